"""Search models, one module per concern."""

from .insights import PageSearchStat, SearchClick, SearchDailyStat, SearchQueryLog, SearchTerm
from .outbox import IndexOutboxEntry, RemoteEngineStatus
from .query_vectors import KeptQueryVector
from .tuning import PromotedResult, SynonymGroup, split_terms

__all__ = [
    "IndexOutboxEntry",
    "KeptQueryVector",
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
