"""The interface every search engine implements, and the values that cross it."""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from ..documents import SearchDocument

FACETS = ("type", "category", "locale")


@dataclass
class EngineQuery:
    text: str  # what the customer typed (bounded in length, otherwise raw)
    locale: str | None = None  # "en", "he", or None for every language
    types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    page: int = 1
    per_page: int = 10
    # Normalised term or phrase -> normalised alternatives, from the staff-managed synonyms.
    synonyms: dict[str, list[str]] = field(default_factory=dict)
    # Document keys shown first, in this order, when they match the filters.
    promoted: list[str] = field(default_factory=list)
    now: datetime | None = None


@dataclass
class Hit:
    document: SearchDocument
    score: float
    title_html: str  # escaped, with <mark> around matched words
    snippet_html: str  # escaped, with <mark> around matched words
    promoted: bool = False
    # Where the results page links the hit: through the click recorder when the search was
    # logged (set by the query log), else the document's own URL.
    click_url: str = ""


@dataclass
class EngineResults:
    hits: list[Hit]
    total: int
    # {"type": {"faq": 3, ...}, "category": {...}, "locale": {...}}; each facet is counted
    # with the other facets' filters applied but not its own, so choices stay visible.
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class Suggestion:
    title: str
    url: str
    type: str
    key: str


class SearchEngine(ABC):
    """One engine behind the public search; built by name from settings.SEARCH_ENGINES."""

    def __init__(self, name: str, options: dict):
        self.name = name
        self.options = options

    @abstractmethod
    def index_page(self, page_id: int, documents: list[SearchDocument]) -> None:
        """Replace everything indexed for ``page_id`` with ``documents`` (maybe none)."""

    @abstractmethod
    def delete_pages(self, page_ids: Iterable[int]) -> None: ...

    @abstractmethod
    def search(self, query: EngineQuery) -> EngineResults: ...

    @abstractmethod
    def suggest(
        self, prefix: str, locale: str | None = None, limit: int = 8
    ) -> list[Suggestion]: ...

    @abstractmethod
    def rebuild(
        self, documents: Iterable[SearchDocument], progress: Callable[[int], None] | None = None
    ) -> int:
        """Replace the whole index; returns the number of documents indexed."""

    @abstractmethod
    def vocabulary(self, locale: str | None = None) -> dict[str, int]:
        """Indexed terms (analysed form) -> number of documents, for spelling correction."""

    @abstractmethod
    def count(self) -> int: ...
