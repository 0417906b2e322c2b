"""The interface every search engine implements, and the values that cross it.

Every capability a caller may ask about is declared here with its default, so callers ask
the engine, never probe it. Reading has one error policy, written once: ``search`` and
``suggest`` never raise (a failure is logged and answered with nothing, or raised with
``RAISE_ERRORS``), while ``strict_search`` and ``strict_suggest`` raise, for a caller that
has another engine to ask (``search.engines.resilient``).
"""

import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Protocol

from ..documents import SearchDocument

logger = logging.getLogger(__name__)

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


class Marker(Protocol):
    """Marks a query's words in a text (``search.analysis.Highlighter``)."""

    def mark(self, text: str) -> str: ...

    def snippet(self, texts: list[str]) -> str: ...


@dataclass
class Hit:
    document: SearchDocument
    score: float
    # Marks the query's words when the title or snippet is first read: a hybrid search
    # fetches three pages of candidates and shows one, and marking is most of a hit's cost.
    marker: Marker | None = field(default=None, repr=False, compare=False)
    promoted: bool = False
    # Where the results page links the hit: through the click recorder when the search was
    # logged (set by the query log), else the document's own URL.
    click_url: str = ""
    _marked: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def title_html(self) -> str:
        """The title escaped, with <mark> around matched words."""
        if "title" not in self._marked:
            title = self.document.title
            self._marked["title"] = self.marker.mark(title) if self.marker else escape(title)
        return self._marked["title"]

    @property
    def snippet_html(self) -> str:
        """A window of the texts escaped, with <mark> around matched words."""
        if "snippet" not in self._marked:
            doc = self.document
            texts = [doc.summary, doc.body, doc.steps, doc.transcript]
            self._marked["snippet"] = (
                self.marker.snippet(texts) if self.marker else escape(doc.summary)
            )
        return self._marked["snippet"]


@dataclass
class EngineResults:
    hits: list[Hit]
    total: int
    # {"type": {"faq": 3, ...}, "category": {...}, "locale": {...}}; each facet is counted
    # with the other facets' filters applied but not its own, so choices stay visible.
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # Some of the index did not answer (failed shards, a server-side time-out): the hits
    # and counts may miss documents.
    partial: bool = False


@dataclass
class Suggestion:
    title: str
    url: str
    type: str
    key: str


class PageWriteError(Exception):
    """Some pages of a batch were refused by the engine; the others were written."""

    def __init__(self, errors: dict[int, str]):
        super().__init__(f"{len(errors)} pages refused")
        self.errors = errors


class RebuildFailed(Exception):
    """A rebuild stopped before it replaced the index; the old index still answers."""


# Called with a document's key and the reason when a rebuild could not index it.
Refused = Callable[[str, str], None]


class SearchEngine(ABC):
    """One engine behind the public search; built by name from settings.SEARCH_ENGINES."""

    # The index lives on another server: the site's writes reach it through the outbox
    # (``search.outbox``), after commit, and it may be unreachable.
    remote = False
    # The Django database holding the index, for an engine that keeps it in one (an embedded
    # index); None when the index lives elsewhere.
    database: str | None = None
    # The Django database holding the pages: the site's index writes follow its transactions.
    content_database = "default"

    def __init__(self, name: str, options: dict):
        self.name = name
        self.options = options
        # Index work from the site is recorded in the outbox and applied after commit
        # rather than written in the content's transaction.
        self.writes_after_commit = self.remote
        self.raise_errors = option_bool(options.get("RAISE_ERRORS"), False)

    # -- writing -------------------------------------------------------------------------

    @abstractmethod
    def index_page(self, page_id: int, documents: list[SearchDocument]) -> None:
        """Replace everything indexed for ``page_id`` with ``documents`` (maybe none)."""

    @abstractmethod
    def delete_pages(self, page_ids: Iterable[int]) -> None: ...

    def index_pages(
        self, work: dict[int, list[SearchDocument]], versions: dict[int, int] | None = None
    ) -> None:
        """Give each page exactly its documents, in one round trip where the engine can.

        ``versions`` (page id -> the outbox row the documents come from) orders writes that
        may arrive out of order: an engine that receives them so keeps the newest; one that
        is written in one place at a time ignores them. Raises ``PageWriteError`` naming the
        pages it refused (the others are written).
        """
        for page_id, documents in work.items():
            self.index_page(page_id, documents)

    @abstractmethod
    def rebuild(
        self,
        documents: Iterable[SearchDocument],
        progress: Callable[[int], None] | None = None,
        refused: Refused | None = None,
    ) -> int:
        """Replace the whole index; returns the number of documents indexed. A document the
        engine cannot index is reported to ``refused`` and left out, never the rebuild."""

    def prepare_documents(self, documents: list[SearchDocument]) -> list:
        """What ``rebuild`` may be given in place of ``documents``: the part of indexing them
        that needs no database, which a rebuild's worker processes do
        (``search.rebuild_workers``). The documents themselves when there is none."""
        return documents

    def drop(self) -> None:
        """Remove the index's documents (a throwaway index is dropped whole)."""
        self.rebuild([])

    # -- health --------------------------------------------------------------------------

    def ping(self) -> bool:
        """Whether the engine can be reached (a local one always can)."""
        return True

    def schema_is_current(self) -> bool:
        """Whether the index has this version's layout (else a rebuild is due)."""
        return True

    def is_outage(self, error: Exception) -> bool:
        """Whether ``error`` means the engine cannot answer now (rather than one request
        refused): callers then stop asking it for a while."""
        return True

    def is_configuration_error(self, error: Exception) -> bool:
        """Whether ``error`` can only be mended by an operator (credentials, certificates,
        a proxy in the way): retrying soon is pointless and staff must be told."""
        return False

    def is_missing_index(self, error: Exception) -> bool:
        """Whether ``error`` only says the index was never built: nothing to find."""
        return False

    # -- reading -------------------------------------------------------------------------

    def search(self, query: EngineQuery) -> EngineResults:
        """Search; never raises (no input may break the search page)."""
        nothing = EngineResults(hits=[], total=0)
        return self._answer(self.strict_search, (query,), nothing, query.text)

    def suggest(self, prefix: str, locale: str | None = None, limit: int = 8) -> list[Suggestion]:
        """Type-ahead titles; never raises."""
        return self._answer(self.strict_suggest, (prefix, locale, limit), [], prefix)

    def _answer(self, method, args: tuple, nothing, text):
        try:
            return method(*args)
        except Exception as err:
            if self.is_missing_index(err):
                return nothing
            if self.raise_errors:
                raise
            logger.exception(
                "Search engine %r failed in %s for %r", self.name, method.__name__, str(text)[:200]
            )
            return nothing

    def nearest_passages(
        self, vector, query: EngineQuery, top: int, keys=()
    ) -> dict[str, tuple[float, int]] | None:
        """The documents closest to ``vector`` by meaning, filtered as ``query`` is: the
        ``top`` closest and those ``keys`` names, each as key -> (cosine of its closest
        passage, that passage's number). None when this engine keeps no vectors: the passage
        store beside the embedded index answers instead. May raise."""
        return None

    @abstractmethod
    def strict_search(self, query: EngineQuery) -> EngineResults:
        """Search, raising whatever went wrong."""

    @abstractmethod
    def strict_suggest(
        self, prefix: str, locale: str | None = None, limit: int = 8
    ) -> list[Suggestion]: ...

    @abstractmethod
    def vocabulary(self, locale: str | None = None) -> dict[str, int]:
        """Indexed terms (analysed form) -> number of documents, for spelling correction."""

    @abstractmethod
    def count(self) -> int: ...

    def index_version(self):
        """A value that changes with every write to the index, in any process, cheap to
        read; None when this engine cannot say (its search outcomes are then never kept)."""
        return None


def option_bool(value, default: bool) -> bool:
    """An on/off option given as a bool or as text from the environment ("false", "0")."""
    if value is None or value == "":
        return default
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off")
    return bool(value)


def bounded(value, default: int, most: int) -> int:
    """A positive whole number from anything, at most ``most``."""
    try:
        return min(max(int(value), 1), most)
    except (TypeError, ValueError, OverflowError):
        return default
