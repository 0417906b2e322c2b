"""Elasticsearch, for sites that outgrow one machine: same analysis, same answers.

The index is reached through an alias, ``{prefix}-{environment}-{site}``, pointing at one
physical index ``{alias}--{timestamp}``. A rebuild fills a new physical index, lays over it
the index work recorded while it ran (``search.outbox``), swaps the alias in one request and
drops the old index, so searches never see a half-built index and no write is lost.

Writes from the site reach this engine through the outbox after commit (``remote``); the
methods here write at once and raise when the server cannot be reached, so the outbox can
retry. Searches time out after ``TIMEOUT`` seconds; ``strict_search`` raises so that
``search.engines.resilient`` can answer from the embedded index instead.
"""

import logging
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import slugify
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers

from .. import analysis, outbox
from ..documents import SearchDocument
from . import build_engine, get_engine, reset_engines
from .base import EngineQuery, EngineResults, Hit, SearchEngine, Suggestion
from .es_mapping import build_index, from_source, to_source
from .es_queries import (
    QueryTerms,
    promoted_keys,
    search_request,
    suggest_fallback_request,
    suggest_request,
    vocabulary_request,
)
from .sqlite import Ranking

logger = logging.getLogger(__name__)

MAX_PER_PAGE = 100
MAX_PAGE = 1000
VOCABULARY_SECONDS = 300  # another process's writes reach this process's vocabulary within this
BULK_CHUNK = 500


class IndexMissing(Exception):
    """The site's index was never built."""


def index_alias(options: dict) -> str:
    """The alias a site and environment search through, safe as an index name."""
    if options.get("INDEX"):
        return slugify(options["INDEX"]).strip("-_") or "helpcenter"
    parts = [options.get("INDEX_PREFIX") or "helpcenter", options.get("ENVIRONMENT") or "dev"]
    parts.append(options.get("SITE") or "site")
    return "-".join(slugify(p).strip("-_") or "x" for p in parts)


def _bounded(value, default: int, most: int) -> int:
    try:
        return min(max(int(value), 1), most)
    except (TypeError, ValueError, OverflowError):
        return default


class ElasticsearchEngine(SearchEngine):
    remote = True  # fed through search.outbox, after commit

    def __init__(self, name: str, options: dict):
        super().__init__(name, options)
        self.alias = index_alias(options)
        ranking = options.get("RANKING") or Ranking()
        self.ranking = Ranking(**ranking) if isinstance(ranking, dict) else ranking
        self.timeout = float(options.get("TIMEOUT", 2.0))
        self.write_timeout = float(options.get("WRITE_TIMEOUT", 10.0))
        # "wait_for": a write returns once searches see it, so the next write's clean-up
        # of a page's old documents sees them too.
        self.refresh = options.get("REFRESH", "wait_for")
        self.shards = int(options.get("SHARDS", 1))
        self.replicas = int(options.get("REPLICAS", 1))
        # The site's index work is applied after commit; a script may write through at once.
        self.writes_after_commit = bool(options.get("WRITES_AFTER_COMMIT", True))
        self._client = None
        self._vocab_cache: dict = {}

    # -- connection ----------------------------------------------------------------------

    @property
    def client(self) -> Elasticsearch:
        if self._client is None:
            url = self.options.get("URL") or ""
            hosts = [
                u.strip() for u in (url.split(",") if isinstance(url, str) else url) if u.strip()
            ]
            extra = {"api_key": self.options["API_KEY"]} if self.options.get("API_KEY") else {}
            # No retries here: a failed write is retried by the outbox, a failed search is
            # answered by the fallback; either way within the timeout.
            self._client = Elasticsearch(
                hosts,
                request_timeout=self.write_timeout,
                max_retries=0,
                retry_on_timeout=False,
                **extra,
            )
        return self._client

    def _reader(self) -> Elasticsearch:
        return self.client.options(request_timeout=self.timeout)

    @staticmethod
    def is_outage(error: Exception) -> bool:
        """Whether an error means the server is unusable (rather than one bad request)."""
        if isinstance(error, NotFoundError):
            return True  # no index yet: nothing here can answer
        if isinstance(error, ApiError):
            return error.status_code == 429 or error.status_code >= 500
        return True

    def ping(self) -> bool:
        try:
            return bool(self._reader().ping())
        except Exception:  # noqa: BLE001 (a health check reports, never raises)
            return False

    # -- writing -------------------------------------------------------------------------

    def index_page(self, page_id: int, documents: list[SearchDocument]) -> None:
        self.index_pages({int(page_id): documents})

    def delete_pages(self, page_ids: Iterable[int]) -> None:
        work = {int(i): [] for i in page_ids}
        if work:
            self.index_pages(work)

    def index_pages(self, work: dict[int, list[SearchDocument]], index: str | None = None) -> None:
        """Give each page exactly its documents: write them, then delete the page's others.

        Raises ``outbox.PageWriteError`` naming the pages the server refused (the rest are
        written), and the client's errors when the server cannot be reached.
        """
        target = index or self._write_alias()
        owner, actions = {}, []
        for page_id, documents in work.items():
            for doc in documents:
                source = to_source(doc)
                owner[source["key"]] = int(page_id)
                actions.append(
                    {"_op_type": "index", "_index": target, "_id": source["key"], "_source": source}
                )
        refused = {}
        if actions:
            # Through the alias, never into an index the server would create on the fly.
            _, errors = helpers.bulk(
                self.client,
                actions,
                chunk_size=BULK_CHUNK,
                refresh=self.refresh,
                require_alias=index is None,
                raise_on_error=False,
                raise_on_exception=True,
            )
            for item in errors:
                result = next(iter(item.values()))
                page = owner.get(result.get("_id"))
                refused[page] = str(result.get("error") or result.get("status"))[:500]
        keep = [key for key, page in owner.items() if page not in refused]
        pages = [int(p) for p in work if p not in refused]
        if pages:
            stale = {
                "bool": {
                    "filter": [{"terms": {"page_id": pages}}],
                    "must_not": [{"ids": {"values": keep}}],
                }
            }
            self.client.delete_by_query(
                index=target, query=stale, conflicts="proceed", refresh=bool(self.refresh)
            )
        self._vocab_cache.clear()
        if refused:
            raise outbox.PageWriteError(refused)

    def _write_alias(self) -> str:
        # Never started from whatever is published first: a partial index would answer
        # searches; until a rebuild makes the index, the work waits and the fallback answers.
        if not self.client.indices.exists_alias(name=self.alias):
            raise IndexMissing(f"No index {self.alias!r} yet: run `manage.py search_reindex`.")
        return self.alias

    def _new_index_name(self) -> str:
        return f"{self.alias}--{timezone.now():%Y%m%d%H%M%S%f}"

    def rebuild(
        self, documents: Iterable[SearchDocument], progress: Callable[[int], None] | None = None
    ) -> int:
        start = mark = outbox.last_id()  # work recorded after this is laid over the new index
        physical = self._new_index_name()
        index = build_index(physical, self.shards, self.replicas, building=True)
        self.client.indices.create(index=physical, **index.to_dict())
        try:
            n = self._fill(physical, documents, progress)
            self.client.indices.put_settings(
                index=physical,
                settings={"refresh_interval": "1s", "number_of_replicas": self.replicas},
            )
            self.client.indices.refresh(index=physical)
            mark = self._replay(physical, mark)
            old = self._swap_alias(physical)
        except BaseException:
            self.client.options(ignore_status=404).indices.delete(index=physical)
            raise
        # Work applied through the alias between the replay and the swap reached the old index:
        # lay it over the new one too, or leave it to the outbox to apply again.
        try:
            self._replay(physical, mark)
        except Exception:  # noqa: BLE001 (the rebuild is done; the outbox keeps the rest)
            logger.warning("Index work after the swap of %r is queued again", self.alias)
            outbox.requeue_since(self.name, mark)
        outbox.settle_through(self.name, start)  # older work: the rebuild read what it wrote
        if old:
            self.client.options(ignore_status=404).indices.delete(index=",".join(old))
        self._vocab_cache.clear()
        return n

    def _fill(self, physical: str, documents, progress) -> int:
        n, seen = 0, set()

        def actions():
            nonlocal n
            for doc in documents:
                if doc.key in seen:
                    continue  # one document per key: the first one given wins
                seen.add(doc.key)
                source = to_source(doc)
                yield {
                    "_op_type": "index",
                    "_index": physical,
                    "_id": source["key"],
                    "_source": source,
                }
                n += 1
                if progress:
                    progress(n)

        helpers.bulk(
            self.client, actions(), chunk_size=BULK_CHUNK, max_chunk_bytes=20 * 1024 * 1024
        )
        return n

    def _replay(self, physical: str, after_id: int) -> int:
        work, last = outbox.written_since(self.name, after_id)
        if work:
            self.index_pages(work, index=physical)
        return last

    def _swap_alias(self, physical: str) -> list[str]:
        """Point the alias at ``physical`` alone, atomically; returns the indexes it left."""
        old = []
        if self.client.indices.exists_alias(name=self.alias):
            old = [n for n in self.client.indices.get_alias(name=self.alias).body if n != physical]
        actions = [{"remove": {"index": name, "alias": self.alias}} for name in old]
        actions.append({"add": {"index": physical, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        return old

    def drop(self) -> None:
        """Delete the alias and every physical index behind it (throwaway indexes)."""
        # Wildcard deletes are refused by default (action.destructive_requires_name).
        names = list(self.client.indices.get(index=f"{self.alias}--*", allow_no_indices=True).body)
        if names:
            self.client.options(ignore_status=404).indices.delete(index=",".join(names))
        self._vocab_cache.clear()

    # -- reading -------------------------------------------------------------------------

    def count(self) -> int:
        try:
            return int(self._reader().count(index=self.alias)["count"])
        except NotFoundError:
            return 0

    def vocabulary(self, locale: str | None = None) -> dict[str, int]:
        borrowed = self.options.get("VOCABULARY")
        if borrowed and borrowed != self.name:
            try:
                return get_engine(borrowed).vocabulary(locale)
            except Exception:  # noqa: BLE001 (fall back to this index's own words)
                logger.exception("Vocabulary of %r unavailable; reading %r's", borrowed, self.name)
        cached = self._vocab_cache.get(locale)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        vocab = self._read_vocabulary(locale)
        self._vocab_cache[locale] = (time.monotonic() + VOCABULARY_SECONDS, vocab)
        return vocab

    def _read_vocabulary(self, locale: str | None) -> dict[str, int]:
        vocab, after = {}, None
        while True:
            request = vocabulary_request(locale, after).using(self._reader()).index(self.alias)
            try:
                result = request.execute().to_dict()["aggregations"]["vocab"]
            except NotFoundError:
                return {}
            for bucket in result["buckets"]:
                vocab[bucket["key"]["term"]] = bucket["doc_count"]
            after = result.get("after_key")
            if not after or not result["buckets"]:
                return vocab

    def search(self, query: EngineQuery) -> EngineResults:
        try:
            return self.strict_search(query)
        except NotFoundError:
            return EngineResults(hits=[], total=0, facets={})  # nothing indexed yet
        except Exception:  # noqa: BLE001 (no input may break the search page)
            if self.options.get("RAISE_ERRORS"):
                raise
            logger.exception("Elasticsearch search failed for %r", str(query.text)[:200])
            return EngineResults(hits=[], total=0, facets={})

    def strict_search(self, query: EngineQuery) -> EngineResults:
        """Search, raising when the server fails or is too slow to answer."""
        now = query.now or timezone.now()
        per_page = _bounded(query.per_page, 10, MAX_PER_PAGE)
        page = _bounded(query.page, 1, MAX_PAGE)
        terms = self.query_terms(query)
        request = search_request(query, terms, self.ranking, now, (page - 1) * per_page, per_page)
        response = request.using(self._reader()).index(self.alias).execute()
        promoted = set(promoted_keys(query))
        highlighter = analysis.Highlighter(terms.surfaces, terms.highlight_forms)
        hits = [_hit(h, highlighter, h.meta.id in promoted) for h in response.hits]
        facets = {}
        for name, scope in response.to_dict().get("aggregations", {}).items():
            buckets = scope["values"]["buckets"]
            facets[name] = {b["key"]: b["doc_count"] for b in buckets if b["key"]}
        return EngineResults(hits=hits, total=response.hits.total.value, facets=facets)

    def query_terms(self, query: EngineQuery) -> QueryTerms:
        return QueryTerms.build(
            query.text, self.ranking, self.vocabulary(query.locale), query.synonyms
        )

    def suggest(self, prefix: str, locale: str | None = None, limit: int = 8) -> list[Suggestion]:
        try:
            return self.strict_suggest(prefix, locale, limit)
        except NotFoundError:
            return []
        except Exception:  # noqa: BLE001 (type-ahead must never break the page)
            if self.options.get("RAISE_ERRORS"):
                raise
            logger.exception("Elasticsearch suggest failed for %r", str(prefix)[:200])
            return []

    def strict_suggest(
        self, prefix: str, locale: str | None = None, limit: int = 8
    ) -> list[Suggestion]:
        limit = _bounded(limit, 8, 50)
        now = timezone.now()
        for build in (suggest_request, suggest_fallback_request):
            request = build(prefix, locale, now, limit)
            if request is None:
                continue
            response = request.using(self._reader()).index(self.alias).execute()
            found = [h.to_dict() for h in response.hits]
            if found:
                return [
                    Suggestion(
                        title=s["display"]["title"],
                        url=s["display"]["url"],
                        type=s["type"],
                        key=s["key"],
                    )
                    for s in found
                ]
        return []


def _hit(hit, highlighter: analysis.Highlighter, promoted: bool) -> Hit:
    doc = from_source(hit.to_dict())
    return Hit(
        document=doc,
        score=0.0 if promoted else float(hit.meta.score or 0.0),
        title_html=highlighter.mark(doc.title),
        snippet_html=highlighter.snippet([doc.summary, doc.body, doc.steps, doc.transcript]),
        promoted=promoted,
    )


@contextmanager
def throwaway_indexes(tag: str, **overrides):
    """Point every Elasticsearch engine in settings at indexes of their own for the block,
    dropped afterwards (evaluations and benchmarks run on a throwaway database), with
    ``overrides`` laid over their options."""
    saved = settings.SEARCH_ENGINES
    scratch = {}
    for name, config in saved.items():
        options = dict(config.get("OPTIONS", {}))
        if getattr(_engine_class(config), "remote", False):
            options.update(overrides, INDEX=f"{index_alias(options)}-{tag}")
        scratch[name] = {**config, "OPTIONS": options}
    settings.SEARCH_ENGINES = scratch
    reset_engines()
    try:
        yield
    finally:
        for name, config in scratch.items():
            if getattr(_engine_class(config), "remote", False):
                try:
                    build_engine(name).drop()
                except Exception:  # noqa: BLE001 (an unreachable server keeps its scratch index)
                    logger.warning("Could not drop the throwaway index of %r", name)
        settings.SEARCH_ENGINES = saved
        reset_engines()


def _engine_class(config: dict):
    return import_string(config["ENGINE"])
