"""SQLite FTS5 search in the site's own database, written in the content's transaction.

The parts, by role: ``schema`` (the tables), ``writer`` (documents in, documents out) and
``reader`` (the query planned as MATCH expressions, hits, facets, type-ahead) and ``titles``
(the type-ahead titles held in memory).
"""

import threading
import time
from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.utils import timezone

from ... import analysis
from ...conf import MAX_PAGE, MAX_PER_PAGE, MAX_PROMOTED, Ranking
from ...documents import SearchDocument
from ...query_terms import AnalysedQuery
from ..base import EngineQuery, EngineResults, Refused, SearchEngine, Suggestion, bounded
from . import reader, schema, titles, writer

# How long a process trusts its copy of the vocabulary before asking whether the index changed.
# Pages are searchable the moment they are written; only spelling and the relevance floor
# learn another process's new words up to this late. Checking per search made every publish
# cost every server process a reload on its next search.
VOCABULARY_CHECK_SECONDS = 1.0


class _Counts(NamedTuple):
    """A language's vocabulary (surface term -> documents holding it) and document count."""

    version: int
    terms: dict[str, int]
    documents: int
    fresh_until: float


class SqliteEngine(SearchEngine):
    """Options: DATABASE, the SQLite alias holding the index (default "default"), and
    CONTENT_DATABASE, the alias holding the pages. When they differ (the content is on
    PostgreSQL), the index lives in its own SQLite file, its tables are created on first
    use and writes wait for the content's commit, so a rolled-back publish never shows."""

    def __init__(self, name: str, options: dict):
        super().__init__(name, options)
        self.database = options.get("DATABASE", "default")
        self.content_database = options.get("CONTENT_DATABASE", "default")
        self.ranking = Ranking.from_option(options.get("RANKING"))
        self._vocab_cache: dict = {}
        self._vocab_lock = threading.Lock()
        self._schema_checked = self.database == self.content_database  # a migration made it
        self._titles = titles.Keeper(self.database)

    @property
    def connection(self):
        connection = connections[self.database]
        if connection.vendor != "sqlite":
            raise ImproperlyConfigured(
                f"The sqlite search engine needs an SQLite database; {self.database!r} is not."
            )
        if not self._schema_checked:
            with transaction.atomic(using=self.database), connection.cursor() as cursor:
                schema.prepare_schema(cursor)
            self._schema_checked = True
        return connection

    def _after_content_commit(self, write: Callable[[], None]) -> None:
        if self.database == self.content_database:
            write()
        else:
            transaction.on_commit(write, using=self.content_database)

    # -- writing -------------------------------------------------------------------------

    def index_page(self, page_id: int, documents: list[SearchDocument]) -> None:
        self._replace([int(page_id)], documents)

    def delete_pages(self, page_ids: Iterable[int]) -> None:
        ids = [int(i) for i in page_ids]
        if ids:
            self._replace(ids, [])

    def _replace(self, page_ids: list[int], documents: list[SearchDocument]) -> None:
        def write():
            with transaction.atomic(using=self.database), self.connection.cursor() as cursor:
                writer.replace_pages(cursor, page_ids, documents)
            self._vocab_cache.clear()  # this process sees its own writes at once

        self._after_content_commit(write)

    def rebuild(
        self,
        documents: Iterable[SearchDocument],
        progress: Callable[[int], None] | None = None,
        refused: Refused | None = None,
    ) -> int:
        try:
            with transaction.atomic(using=self.database), self.connection.cursor() as cursor:
                schema.ensure_current_schema(cursor)
                return writer.refill(cursor, documents, progress)
        finally:
            self._vocab_cache.clear()

    def prepare_documents(self, documents: list[SearchDocument]) -> list[writer.Prepared]:
        return [writer.prepare(documents)]  # the analysis, most of the index's own work

    def schema_is_current(self) -> bool:
        with self.connection.cursor() as cursor:
            return schema.schema_version(cursor) == schema.SCHEMA_VERSION

    # -- reading -------------------------------------------------------------------------

    def version(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT value FROM search_meta WHERE name = 'version'")
            row = cursor.fetchone()
        return row[0] if row else 0

    def index_version(self) -> int:
        return self.version()

    def prepare_suggestions(self) -> bool:
        """Read the title index into memory now (a benchmark's warm-up); whether it could."""
        with self.connection.cursor() as cursor:
            return self._titles.build_now(cursor, self.version()) is not None

    def count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_doc")
            return cursor.fetchone()[0]

    def vocabulary(self, locale: str | None = None) -> dict[str, int]:
        return self._counts(locale).terms

    def documents(self, locale: str | None = None) -> int:
        """How many documents ``locale`` has (counted with its vocabulary, kept as long)."""
        return self._counts(locale).documents

    def _counts(self, locale: str | None) -> "_Counts":
        now = time.monotonic()
        cached = self._vocab_cache.get(locale)
        if cached and now < cached.fresh_until:
            return cached
        # One thread of the process reads it again; the others keep the copy they have
        # rather than all reading the same rows at once.
        if not self._vocab_lock.acquire(blocking=cached is None):
            return cached
        try:
            version = self.version()
            if cached and cached.version == version:
                counts = cached._replace(fresh_until=now + VOCABULARY_CHECK_SECONDS)
            else:
                with self.connection.cursor() as cursor:
                    if locale:
                        cursor.execute(
                            "SELECT term, df FROM search_vocab WHERE locale = %s", [locale]
                        )
                    else:
                        cursor.execute("SELECT term, sum(df) FROM search_vocab GROUP BY term")
                    terms = dict(cursor.fetchall())
                    documents = reader.document_count(cursor, locale)
                counts = _Counts(version, terms, documents, now + VOCABULARY_CHECK_SECONDS)
            self._vocab_cache[locale] = counts
            return counts
        finally:
            self._vocab_lock.release()

    def strict_search(self, query: EngineQuery) -> EngineResults:
        now = writer.to_ts(query.now or timezone.now())
        per_page = bounded(query.per_page, 10, MAX_PER_PAGE)
        page = bounded(query.page, 1, MAX_PAGE)
        offset = (page - 1) * per_page
        terms = AnalysedQuery.build(
            query.text, self.ranking, self.vocabulary(query.locale), query.synonyms
        )
        plan = reader.QueryPlan.build(terms, self.ranking)
        if offset + per_page <= reader.NARROW_MAX_RANK:
            plan.narrow = reader.narrowing(
                terms, self.vocabulary(query.locale), self.documents(query.locale)
            )
        keys = list(dict.fromkeys(analysis.clean(k) for k in query.promoted or ()))
        with self.connection.cursor() as cursor:
            # Facets count promoted documents the filters hide; the results do not show them.
            promoted = reader.promoted(cursor, keys[:MAX_PROMOTED], now)
            groups = reader.groups(cursor, plan.filter, now, promoted)
            promoted = [d for d in promoted if reader.passes(d, query)]
            facets, total = reader.facets(groups, query)
            rows = [(d, 0.0, True) for d in promoted[offset : offset + per_page]]
            if plan.match and len(rows) < per_page:
                rows += reader.ranked(
                    cursor, plan, self.ranking.weights(terms.hebrew_share), query, now,
                    limit=per_page - len(rows),
                    offset=max(0, offset - len(promoted)),
                    exclude=[d["rowid"] for d in promoted],
                )  # fmt: skip
            texts = reader.texts(cursor, [d["rowid"] for d, _, _ in rows])
        highlighter = analysis.Highlighter(terms.surfaces, terms.highlight_forms)
        hits = [
            reader.hit(doc, texts.get(doc["rowid"], {}), score, highlighter, promoted)
            for doc, score, promoted in rows
        ]
        return EngineResults(hits=hits, total=total, facets=facets)

    def strict_suggest(
        self, prefix: str, locale: str | None = None, limit: int = 8
    ) -> list[Suggestion]:
        limit = bounded(limit, 8, 50)
        text = analysis.clean(prefix)[: analysis.MAX_QUERY_CHARS]
        now = timezone.now().timestamp()
        rows = []
        with self.connection.cursor() as cursor:
            memory = self._titles.current(cursor, self.version())
            for match in reader.suggest_matches(text):
                rows = reader.suggest_rows(cursor, match, locale, now, limit, memory)
                if rows:
                    break
        return [Suggestion(title=t, url=u, type=ty, key=k) for t, u, ty, k in rows]
