"""Search models, one module per concern."""

from .insights import PageSearchStat, SearchClick, SearchDailyStat, SearchQueryLog, SearchTerm
from .outbox import IndexOutboxEntry, RemoteEngineStatus
from .tuning import PromotedResult, SynonymGroup, split_terms

__all__ = [
    "IndexOutboxEntry",
    "PageSearchStat",
    "RemoteEngineStatus",
    "PromotedResult",
    "SearchClick",
    "SearchDailyStat",
    "SearchQueryLog",
    "SearchTerm",
    "SynonymGroup",
    "split_terms",
]
