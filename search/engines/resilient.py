"""A remote engine for searching, the embedded one as its always-current fallback.

Writes go to the embedded engine in the content's transaction and, through the outbox, to
the remote engine after commit. Searches ask the remote engine within its timeout; when it
fails or is too slow, the embedded engine answers, and the remote engine is left alone for
``RETRY_AFTER`` seconds so that no customer waits on it meanwhile; an error only an
operator can mend (refused credentials, an untrusted certificate) leaves it alone for
``CONFIGURATION_RETRY_AFTER`` seconds instead. Staff see the degradation in the admin
(Reports → Search index) and it is logged.
"""

import json
import logging
import tempfile
import time
from collections.abc import Callable, Iterable

from django.db import DatabaseError

from ..documents import SearchDocument, document_from_dict, document_to_dict
from ..models.outbox import IndexOutboxEntry, RemoteEngineStatus
from . import get_engine
from .base import EngineQuery, EngineResults, RebuildFailed, Refused, SearchEngine, Suggestion

logger = logging.getLogger(__name__)


def _no_vectors(*args):
    return None


class RebuildIncomplete(RebuildFailed):
    """The fallback index was rebuilt but the remote one was not."""


class ResilientEngine(SearchEngine):
    def __init__(self, name: str, options: dict):
        super().__init__(name, options)
        self.primary_name = options["PRIMARY"]
        self.fallback_name = options["FALLBACK"]
        self.retry_after = float(options.get("RETRY_AFTER", 30.0))
        self.configuration_retry_after = float(options.get("CONFIGURATION_RETRY_AFTER", 300.0))
        self._skip_until = 0.0  # time.monotonic(); the primary is not asked before then
        self._degraded = False

    @property
    def primary(self) -> SearchEngine:
        return get_engine(self.primary_name)

    @property
    def fallback(self) -> SearchEngine:
        return get_engine(self.fallback_name)

    # -- writing -------------------------------------------------------------------------

    def index_page(self, page_id: int, documents: list[SearchDocument]) -> None:
        self.fallback.index_page(page_id, documents)
        IndexOutboxEntry.objects.record(self.primary_name, page_id, documents)

    def delete_pages(self, page_ids: Iterable[int]) -> None:
        ids = [int(i) for i in page_ids]
        self.fallback.delete_pages(ids)
        for page_id in ids:
            IndexOutboxEntry.objects.record(self.primary_name, page_id, [])

    def rebuild(
        self,
        documents: Iterable[SearchDocument],
        progress: Callable[[int], None] | None = None,
        refused: Refused | None = None,
    ) -> int:
        """Rebuild the fallback, then the primary from the same documents (spooled to disk,
        so a large site is read once and never held in memory)."""
        with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:

            def spooled():
                for doc in documents:
                    spool.write(json.dumps(document_to_dict(doc)) + "\n")
                    yield doc

            count = self.fallback.rebuild(spooled(), progress, refused)
            spool.seek(0)
            try:
                self.primary.rebuild(
                    (document_from_dict(json.loads(line)) for line in spool), refused=refused
                )
            except Exception as err:
                raise RebuildIncomplete(
                    f"The {self.fallback_name!r} index was rebuilt with {count} documents, "
                    f"the {self.primary_name!r} index was not: {type(err).__name__}: {err}"
                ) from err
        return count

    # -- reading -------------------------------------------------------------------------

    def strict_search(self, query: EngineQuery) -> EngineResults:
        return self._ask(self.primary.strict_search, self.fallback.search, query)

    def strict_suggest(
        self, prefix: str, locale: str | None = None, limit: int = 8
    ) -> list[Suggestion]:
        return self._ask(self.primary.strict_suggest, self.fallback.suggest, prefix, locale, limit)

    def nearest_passages(self, vector, query: EngineQuery, top: int, keys=()):
        # Without the remote engine, the passage store beside the embedded index answers.
        return self._ask(self.primary.nearest_passages, _no_vectors, vector, query, top, keys)

    def vocabulary(self, locale: str | None = None) -> dict[str, int]:
        # The embedded index holds the same documents, is always current and is local.
        return self.fallback.vocabulary(locale)

    def count(self) -> int:
        return self.fallback.count()

    @property
    def degraded(self) -> bool:
        """Whether this process is answering from the fallback."""
        return self._degraded and time.monotonic() < self._skip_until

    def _ask(self, primary, fallback, *args):
        if time.monotonic() >= self._skip_until:
            started = time.monotonic()
            try:
                answer = primary(*args)
            except Exception as err:  # noqa: BLE001 (the fallback answers whatever went wrong)
                self._primary_failed(primary.__name__, err, time.monotonic() - started)
            else:
                self._primary_answered(answer)
                return answer
        return fallback(*args)

    def _primary_answered(self, answer) -> None:
        if self._degraded:
            self._degraded = False
            logger.warning("Search engine %r answers again", self.primary_name)
            _noted(RemoteEngineStatus.objects.note_search_recovered, self.primary_name)
            _noted(RemoteEngineStatus.objects.note_configuration_fine, self.primary_name)
        if isinstance(answer, EngineResults) and answer.partial:
            logger.warning("Search engine %r answered from part of its index", self.primary_name)
            _noted(RemoteEngineStatus.objects.note_partial_search, self.primary_name)

    def _primary_failed(self, method: str, err: Exception, took: float) -> None:
        message = f"{type(err).__name__}: {err}"[:500]
        primary = self.primary
        if not primary.is_outage(err):
            # One request the server refused: answer it from the fallback, keep asking.
            logger.error(
                "Search engine %r refused a %s (%s); answered by %r",
                self.primary_name,
                method,
                message,
                self.fallback_name,
            )
            return
        configuration = primary.is_configuration_error(err)
        pause = self.configuration_retry_after if configuration else self.retry_after
        self._skip_until = time.monotonic() + pause
        self._degraded = True
        logger.warning(
            "Search engine %r unavailable after %.2fs (%s); %r answers for the next %gs",
            self.primary_name,
            took,
            message,
            self.fallback_name,
            pause,
        )
        _noted(RemoteEngineStatus.objects.note_search_fallback, self.primary_name, message)
        if configuration:
            _noted(RemoteEngineStatus.objects.note_configuration_error, self.primary_name, message)


def _noted(note, *args) -> None:
    """Tell staff through the status row; a search never fails because it could not."""
    try:
        note(*args)
    except DatabaseError:
        logger.exception("Could not record the state of a search engine")
