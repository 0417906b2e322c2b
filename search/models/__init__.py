"""Search models, one module per concern."""

from .tuning import PromotedResult, SynonymGroup, split_terms

__all__ = ["PromotedResult", "SynonymGroup", "split_terms"]
