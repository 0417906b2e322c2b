"""Elasticsearch, for sites that outgrow one machine: same analysis, same answers.

The index is reached through an alias, ``{prefix}-{environment}-{site}``, pointing at one
physical index ``{alias}--{timestamp}``. A rebuild (one at a time: a lock) fills a new
physical index, waits for its health, lays over it the index work recorded while it ran
(``IndexOutboxEntry``), swaps the alias in one checked request and, once searches still
running on the old index have had time to end, drops the old one.

Writes from the site reach this engine through the outbox after commit (``remote``); the
methods here write at once and raise when the server cannot be reached, so the outbox can
retry. Each write carries the outbox row it comes from as the documents' external version,
so an older write that arrives late never replaces a newer one. Searches time out after
``TIMEOUT`` seconds; ``strict_search`` raises so that ``search.engines.resilient`` can answer
from the embedded index instead.
"""

import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify
from elasticsearch import (
    ApiError,
    AuthenticationException,
    AuthorizationException,
    Elasticsearch,
    NotFoundError,
    SSLError,
    UnsupportedProductError,
    helpers,
)

from .. import analysis
from ..conf import MAX_PAGE, MAX_PER_PAGE, Ranking
from ..documents import SearchDocument
from ..models.outbox import IndexOutboxEntry, RemoteEngineStatus
from ..query_terms import AnalysedQuery
from ..semantic.embedders import stored_name
from ..semantic.store import store_for
from . import get_engine
from .base import (
    EngineQuery,
    EngineResults,
    Hit,
    PageWriteError,
    RebuildFailed,
    Refused,
    SearchEngine,
    Suggestion,
    bounded,
    option_bool,
)
from .es_mapping import build_index, from_source, to_source
from .es_queries import (
    RESULT_WINDOW,
    knn_request,
    promoted_keys,
    search_request,
    suggest_fallback_request,
    suggest_request,
    vocabulary_request,
)

logger = logging.getLogger(__name__)

VOCABULARY_SECONDS = 300  # another process's writes reach this process's vocabulary within this
BULK_CHUNK = 500
MAX_INDEX_BYTES = 255  # Elasticsearch's limit on an index name
SUFFIX = "--%Y%m%d%H%M%S%f"  # a physical index's name after its alias: 22 characters
REBUILD_LEASE = timedelta(minutes=10)  # renewed while the rebuild makes progress
# 409: the index already holds this version or a newer one; 404: a stale document is gone.
SETTLED = (409, 404)
# An index built before passage vectors existed refuses them (its mapping is strict). Whether
# the index behind the alias takes them is asked again this often, so a rebuild is noticed.
VECTOR_CHECK_SECONDS = 60


class IndexMissing(Exception):
    """The site's index was never built."""


class RebuildBusy(RebuildFailed):
    """Another rebuild of the same index is running."""


class IndexUnhealthy(RebuildFailed):
    """A new index did not reach the health it needs before the swap."""


class AliasNotMoved(RebuildFailed):
    """The server did not move the alias as asked (another rebuild moved it meanwhile)."""


def index_alias(options: dict) -> str:
    """The alias a site and environment search through: a valid index name that leaves
    room for a physical index's suffix within the server's 255 bytes."""
    if options.get("INDEX"):
        alias = slugify(options["INDEX"]).strip("-_") or "helpcenter"
    else:
        parts = [options.get("INDEX_PREFIX") or "helpcenter", options.get("ENVIRONMENT") or "dev"]
        parts.append(options.get("SITE") or "site")
        alias = "-".join(slugify(p).strip("-_") or "x" for p in parts)
    room = MAX_INDEX_BYTES - len(timezone.now().strftime(SUFFIX))
    if len(alias) > room:  # slugify leaves ASCII only: characters are bytes
        digest = hashlib.sha256(alias.encode()).hexdigest()[:8]
        alias = f"{alias[: room - 9].rstrip('-_')}-{digest}"
    return alias


class ElasticsearchEngine(SearchEngine):
    remote = True  # fed through search.outbox, after commit

    def __init__(self, name: str, options: dict):
        super().__init__(name, options)
        self.alias = index_alias(options)
        self.ranking = Ranking.from_option(options.get("RANKING"))
        self.timeout = float(options.get("TIMEOUT", 2.0))
        self.write_timeout = float(options.get("WRITE_TIMEOUT", 10.0))
        # "wait_for": a write returns once searches see it. Off, writes are cheaper and the
        # clean-up of a page's old documents refreshes first so that it sees them all.
        self.refresh = _refresh_option(options.get("REFRESH", "wait_for"))
        self.shards = int(options.get("SHARDS", 1))
        self.replicas = int(options.get("REPLICAS", 1))
        # The server refuses pages past from + size > index.max_result_window.
        self.window = int(options.get("RESULT_WINDOW", RESULT_WINDOW))
        # Another node is tried this many times when one cannot be reached.
        self.max_retries = int(options.get("MAX_RETRIES", 2))
        # A bulk request (or some of its documents) refused with 429 is sent again this many
        # times, waiting BULK_BACKOFF seconds, doubled each time.
        self.bulk_retries = int(options.get("BULK_RETRIES", 5))
        self.bulk_backoff = float(options.get("BULK_BACKOFF", 2.0))
        self.health_timeout = options.get("HEALTH_TIMEOUT", "60s")
        # Searches started on an index before the swap end within their timeout: the old
        # index is dropped after this many seconds.
        self.retire_after = float(options.get("RETIRE_AFTER", self.timeout + 1.0))
        # The site's index work is applied after commit; a script may write through at once.
        self.writes_after_commit = option_bool(options.get("WRITES_AFTER_COMMIT"), True)
        self._client = None
        self._vocab_cache: dict = {}
        self._takes_vectors_at: dict[str, tuple[bool, float]] = {}

    # -- connection ----------------------------------------------------------------------

    @property
    def client(self) -> Elasticsearch:
        if self._client is None:
            url = self.options.get("URL") or ""
            hosts = [
                u.strip() for u in (url.split(",") if isinstance(url, str) else url) if u.strip()
            ]
            extra = {}
            if self.options.get("API_KEY"):
                extra["api_key"] = self.options["API_KEY"]
            # A self-managed cluster's HTTP certificate is signed by its own CA: trust that
            # CA, or pin the certificate's SHA-256 fingerprint. Verification stays on.
            if self.options.get("CA_CERTS"):
                extra["ca_certs"] = self.options["CA_CERTS"]
            if self.options.get("SSL_ASSERT_FINGERPRINT"):
                extra["ssl_assert_fingerprint"] = self.options["SSL_ASSERT_FINGERPRINT"]
            if not option_bool(self.options.get("VERIFY_CERTS"), True):
                extra["verify_certs"] = False
            # A node that cannot be reached is marked dead and the request goes to the next
            # (bounded); a failed write is also retried later by the outbox.
            self._client = Elasticsearch(
                hosts,
                request_timeout=self.write_timeout,
                max_retries=self.max_retries,
                retry_on_timeout=True,
                **extra,
            )
        return self._client

    def _reader(self) -> Elasticsearch:
        # A slow node is not asked again: the customer waits at most the timeout.
        return self.client.options(request_timeout=self.timeout, retry_on_timeout=False)

    def is_outage(self, error: Exception) -> bool:
        if self.is_configuration_error(error):
            return True  # nothing will work until it is mended
        if isinstance(error, ApiError):
            return error.status_code in (404, 429) or error.status_code >= 500
        return True  # unreachable or timed out

    def is_configuration_error(self, error: Exception) -> bool:
        return isinstance(
            error,
            AuthenticationException | AuthorizationException | UnsupportedProductError | SSLError,
        )

    def is_missing_index(self, error: Exception) -> bool:
        return isinstance(error, NotFoundError)

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

    def index_pages(
        self,
        work: dict[int, list[SearchDocument]],
        versions: dict[int, int] | None = None,
        index: str | None = None,
    ) -> None:
        """Give each page exactly its documents: write them and delete the page's others,
        in one bulk request, each versioned by ``versions`` when given.

        Raises ``PageWriteError`` naming the pages the server refused (the rest are
        written), and the client's errors when the server cannot be reached.
        """
        target = index or self._write_alias()
        versions = versions or {}
        indexed = self._indexed(target, list(work))
        vectors = self._vectors([doc for documents in work.values() for doc in documents])
        if vectors and not self._takes_vectors(target):
            vectors = {}  # words only until `search_reindex` builds an index that takes them
        newer = {
            page for page, version in indexed.values() if version > versions.get(page, version)
        }
        owner, actions = {}, []
        for page_id, documents in work.items():
            if page_id in newer:
                continue  # newer work for this page arrived first: this one is already past
            version = _versioned(versions.get(page_id))
            for doc in documents:
                source = to_source(doc, vectors.get(doc.key, ()))
                owner[source["key"]] = int(page_id)
                actions.append(
                    {"_op_type": "index", "_index": target, "_id": source["key"], "_source": source}
                    | version
                )
        for key, (page_id, _) in indexed.items():
            if key not in owner and page_id not in newer:
                owner[key] = page_id
                actions.append(
                    {"_op_type": "delete", "_index": target, "_id": key}
                    | _versioned(versions.get(page_id))
                )
        refused = {}
        # Through the alias, never into an index the server would create on the fly.
        for item in self._bulk(actions, refresh=self.refresh, require_alias=index is None):
            page_id = owner.get(item.get("_id"))
            refused.setdefault(page_id, str(item.get("error") or item.get("status"))[:500])
        self._vocab_cache.clear()
        if refused:
            raise PageWriteError(refused)

    def _vectors(self, documents: list[SearchDocument]) -> dict[str, list]:
        """The passage vectors embedded so far for ``documents`` (kept beside the embedded
        index); the rest arrive when the embedding task writes the pages again."""
        model = stored_name()
        store = store_for(self) if model and documents else None
        return store.document_vectors(model, documents) if store else {}

    def _takes_vectors(self, target: str) -> bool:
        """Whether every index behind ``target`` maps the passage vectors."""
        known = self._takes_vectors_at.get(target)
        if known and time.monotonic() - known[1] < VECTOR_CHECK_SECONDS:
            return known[0]
        mappings = self.client.indices.get_mapping(index=target).body
        takes = bool(mappings) and all(
            "passages" in (m.get("mappings") or {}).get("properties", {}) for m in mappings.values()
        )
        self._takes_vectors_at[target] = (takes, time.monotonic())
        return takes

    def _indexed(self, target: str, page_ids: list[int]) -> dict[str, tuple[int, int]]:
        """key -> (page id, version) of every document the index holds for ``page_ids``."""
        if not page_ids:
            return {}
        if not self.refresh:
            self.client.indices.refresh(index=target)  # the last unrefreshed writes too
        query = {"terms": {"page_id": page_ids}}
        response = self.client.search(
            index=target,
            query=query,
            source=["page_id"],
            version=True,
            size=self.window,
            sort=["_doc"],
        ).body
        hits = response["hits"]["hits"]
        if response["hits"]["total"]["value"] > len(hits):
            hits = helpers.scan(self.client, index=target, query={"query": query}, version=True)
        return {h["_id"]: (int(h["_source"]["page_id"]), int(h.get("_version", 0))) for h in hits}

    def _bulk(self, actions, **options) -> Iterable[dict]:
        """Send ``actions``, retrying what is refused with 429; yields each refused item."""
        for ok, result in helpers.streaming_bulk(
            self.client,
            actions,
            chunk_size=BULK_CHUNK,
            max_chunk_bytes=20 * 1024 * 1024,
            max_retries=self.bulk_retries,
            initial_backoff=self.bulk_backoff,
            raise_on_error=False,
            raise_on_exception=True,
            yield_ok=False,
            **options,
        ):
            item = next(iter(result.values()))
            if not ok and item.get("status") not in SETTLED:
                yield item

    def _write_alias(self) -> str:
        # Never started from whatever is published first: a partial index would answer
        # searches; until a rebuild makes the index, the work waits and the fallback answers.
        if not self.client.indices.exists_alias(name=self.alias):
            raise IndexMissing(f"No index {self.alias!r} yet: run `manage.py search_reindex`.")
        return self.alias

    def _new_index_name(self) -> str:
        return f"{self.alias}{timezone.now():{SUFFIX}}"

    def _own(self, name: str) -> bool:
        return name.startswith(f"{self.alias}--")

    @contextmanager
    def _rebuild_lock(self):
        owner = uuid.uuid4().hex
        if not RemoteEngineStatus.objects.acquire_rebuild(self.name, owner, REBUILD_LEASE):
            raise RebuildBusy(f"Another rebuild of the {self.name!r} index is running.")
        try:
            yield lambda: RemoteEngineStatus.objects.acquire_rebuild(
                self.name, owner, REBUILD_LEASE
            )
        finally:
            RemoteEngineStatus.objects.release_rebuild(self.name, owner)

    def rebuild(
        self,
        documents: Iterable[SearchDocument],
        progress: Callable[[int], None] | None = None,
        refused: Refused | None = None,
    ) -> int:
        with self._rebuild_lock() as renew:
            self._drop_orphans()
            # Work recorded after this row is laid over the new index; the documents read
            # here carry it as their version, so any later write wins over them.
            start = IndexOutboxEntry.objects.last_id()
            physical = self._new_index_name()
            try:
                index = build_index(physical, self.shards, self.replicas, building=True)
                self.client.indices.create(index=physical, **index.to_dict())
                n = self._fill(physical, documents, start, progress, refused, renew)
                self.client.indices.put_settings(
                    index=physical,
                    settings={"refresh_interval": "1s", "number_of_replicas": self.replicas},
                )
                self._wait_for_health(physical)
                self.client.indices.refresh(index=physical)
                mark = self._replay(physical, start)
                old = self._swap_alias(physical)
            except BaseException:
                self._delete_quietly([physical])
                raise
            # Work applied through the alias between the replay and the swap reached the old
            # index: lay it over the new one too, or leave it to the outbox to apply again.
            try:
                self._replay(physical, mark)
            except Exception:  # noqa: BLE001 (the rebuild is done; the outbox keeps the rest)
                logger.warning("Index work after the swap of %r is queued again", self.alias)
                IndexOutboxEntry.objects.requeue_since(self.name, mark)
            IndexOutboxEntry.objects.settle_through(self.name, start)  # the rebuild read it
            self._vocab_cache.clear()
            self._takes_vectors_at.clear()
            self._retire([name for name in old if self._own(name)])
        return n

    def _fill(self, physical, documents, version, progress, refused, renew) -> int:
        n, seen = 0, set()

        def actions():
            nonlocal n
            for doc in documents:
                if doc.key in seen:
                    continue  # one document per key: the first one given wins
                seen.add(doc.key)
                source = to_source(doc, self._vectors([doc]).get(doc.key, ()))
                yield (
                    {"_op_type": "index", "_index": physical, "_id": source["key"]}
                    | {"_source": source}
                    | _versioned(version)
                )
                n += 1
                if progress:
                    progress(n)
                if n % BULK_CHUNK == 0:
                    renew()

        for item in self._bulk(actions()):
            n -= 1
            reason = str(item.get("error") or item.get("status"))[:500]
            key = str(item.get("_id"))
            logger.warning("Search document %s not indexed in %r: %s", key, self.name, reason)
            if refused:
                refused(key, reason)
        return n

    def _wait_for_health(self, physical: str) -> None:
        """Green when every replica can be placed on a node of its own, else yellow (one
        node never places replicas)."""
        nodes = self.client.cluster.health().body.get("number_of_data_nodes", 1)
        wanted = "green" if self.replicas < nodes else "yellow"
        health = self.client.options(ignore_status=408).cluster.health(
            index=physical, wait_for_status=wanted, timeout=self.health_timeout
        )
        if health.body.get("timed_out"):
            raise IndexUnhealthy(
                f"The new index {physical!r} stayed {health.body.get('status')}, "
                f"not {wanted}, for {self.health_timeout}."
            )

    def _replay(self, physical: str, after_id: int) -> int:
        """Lay the work recorded after row ``after_id`` over ``physical``; returns the last
        row it read."""
        rows = IndexOutboxEntry.objects.written_since(self.name, after_id)
        if rows:
            self.index_pages(
                {page_id: documents for page_id, (_, documents) in rows.items()},
                versions={page_id: row_id for page_id, (row_id, _) in rows.items()},
                index=physical,
            )
        return max((row_id for row_id, _ in rows.values()), default=after_id)

    def _swap_alias(self, physical: str) -> list[str]:
        """Point the alias at ``physical`` alone, atomically; returns the indexes it left.

        Each removal must find the alias where it was read: if another rebuild moved it
        meanwhile, the server refuses the whole request instead of leaving the alias on
        two indexes.
        """
        old = []
        if self.client.indices.exists_alias(name=self.alias):
            old = [n for n in self.client.indices.get_alias(name=self.alias).body if n != physical]
        actions = [
            {"remove": {"index": name, "alias": self.alias, "must_exist": True}} for name in old
        ]
        actions.append({"add": {"index": physical, "alias": self.alias}})
        response = self.client.indices.update_aliases(actions=actions).body
        if response.get("errors") or not response.get("acknowledged"):
            raise AliasNotMoved(f"The alias {self.alias!r} was not moved: {response}"[:1000])
        return old

    def _retire(self, names: list[str]) -> None:
        """Drop indexes the alias left, once searches begun on them have ended."""
        if not names:
            return
        time.sleep(self.retire_after)
        self._delete_quietly(names)

    def _drop_orphans(self) -> None:
        """Drop this site's physical indexes that no alias points at (a rebuild that died
        before cleaning up); only the rebuild holding the lock runs this."""
        found = self.client.indices.get_alias(index=f"{self.alias}--*", allow_no_indices=True)
        orphans = [
            name
            for name, about in found.body.items()
            if self._own(name) and self.alias not in about.get("aliases", {})
        ]
        self._delete_quietly(orphans)

    def _delete_quietly(self, names: list[str]) -> None:
        """Delete indexes; a failure is logged and never hides what went wrong before."""
        if not names:
            return
        try:
            # Wildcard deletes are refused by default (action.destructive_requires_name).
            self.client.options(ignore_status=404).indices.delete(index=",".join(names))
        except Exception:  # noqa: BLE001 (a leftover index is dropped by the next rebuild)
            logger.warning("Could not delete the search indexes %s", names, exc_info=True)

    def drop(self) -> None:
        """Delete the alias and every physical index behind it (throwaway indexes)."""
        names = list(self.client.indices.get(index=f"{self.alias}--*", allow_no_indices=True).body)
        self._delete_quietly([name for name in names if self._own(name)])
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

    def strict_search(self, query: EngineQuery) -> EngineResults:
        """Search, raising when the server fails or is too slow to answer."""
        now = query.now or timezone.now()
        per_page = bounded(query.per_page, 10, MAX_PER_PAGE)
        page = bounded(query.page, 1, MAX_PAGE)
        terms = AnalysedQuery.build(
            query.text, self.ranking, self.vocabulary(query.locale), query.synonyms
        )
        request = search_request(
            query, terms, self.ranking, now, (page - 1) * per_page, per_page, self.window
        )
        response = request.using(self._reader()).index(self.alias).execute()
        raw = response.to_dict()
        promoted = set(promoted_keys(query))
        highlighter = analysis.Highlighter(terms.surfaces, terms.highlight_forms)
        hits = [_hit(h, highlighter, h.meta.id in promoted) for h in response.hits]
        facets = {}
        for name, scope in raw.get("aggregations", {}).items():
            buckets = scope["values"]["buckets"]
            facets[name] = {b["key"]: b["doc_count"] for b in buckets if b["key"]}
        # Shards that failed or a server-side time-out: what came back is not everything.
        partial = bool(raw.get("timed_out") or raw.get("_shards", {}).get("failed"))
        return EngineResults(
            hits=hits, total=response.hits.total.value, facets=facets, partial=partial
        )

    def nearest_passages(self, vector, query: EngineQuery, top: int, keys=()):
        """kNN over the nested passage vectors; an index without vectors yet answers None
        (the passage store beside the embedded index answers instead)."""
        if not self._takes_vectors(self.alias):
            return None
        now = query.now or timezone.now()
        request = knn_request(vector, query, now, top, keys)
        found = {}
        for response in request.using(self._reader()).index(self.alias).execute():
            for hit in response.to_dict()["hits"]["hits"]:
                inner = hit.get("inner_hits", {}).get("passages", {}).get("hits", {})
                best = (inner.get("hits") or [{}])[0].get("_source") or {}
                # The server's cosine score is (1 + cosine) / 2.
                found[hit["_source"]["key"]] = (2.0 * float(hit["_score"]) - 1.0, best.get("n", 0))
        return found or None

    def strict_suggest(
        self, prefix: str, locale: str | None = None, limit: int = 8
    ) -> list[Suggestion]:
        limit = bounded(limit, 8, 50)
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


def _versioned(version: int | None) -> dict:
    """Bulk action options that keep the newest of competing writes (None: unversioned)."""
    return {} if version is None else {"version": int(version), "version_type": "external"}


def _refresh_option(value):
    """REFRESH as the client takes it: "wait_for", or on/off from a bool or environment text."""
    if isinstance(value, str) and value.strip().lower() == "wait_for":
        return "wait_for"
    return option_bool(value, True)


def _hit(hit, highlighter: analysis.Highlighter, promoted: bool) -> Hit:
    doc = from_source(hit.to_dict())
    return Hit(
        document=doc,
        score=0.0 if promoted else float(hit.meta.score or 0.0),
        marker=highlighter,
        promoted=promoted,
    )
