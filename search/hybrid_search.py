"""Meaning-based retrieval fused into a search outcome, in the service layer, so every
engine gets it: the engine ranks by words, the passage vectors by meaning, and
``semantic.fusion`` blends the two. Documents found only by meaning are fetched from the
engine by key (as promoted documents are), so they show with the same title and snippet."""

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from . import load_shedding, query_vectors
from .engines.base import EngineQuery, EngineResults
from .semantic.embedders import Embedder, get_embedder
from .semantic.fusion import CANDIDATES, Dense, dense_ranking, fuse, similarities
from .semantic.store import Matrix, PassageStore, store_for

logger = logging.getLogger(__name__)

# Threads that read the passage matrix while the request's thread ranks the words: numpy's
# product and SQLite's query both let the interpreter go, so a search waits for the longer.
_side: ThreadPoolExecutor | None = None
_side_lock = threading.Lock()


def _side_threads() -> ThreadPoolExecutor:
    global _side  # noqa: PLW0603 (one pool per process, made on first use)
    with _side_lock:
        if _side is None:
            _side = ThreadPoolExecutor(2, thread_name_prefix="dense")
        return _side


@dataclass
class Hybrid:
    embedder: Embedder
    store: PassageStore
    dense: Dense | None = None
    pending: query_vectors.Pending | None = None  # the query's vector, begun before the words
    matrix: Matrix | None = None  # the passages ``similar`` is being computed over
    similar: Future | None = None

    def start(self, text: str, locale: str | None = None, engine=None) -> bool:
        """Begin the query's vector, so that the model works while the engine ranks words;
        when the vector is already known and the passages are local (the embedded index),
        begin scoring them too. False when the vector is not known and the machine is too
        busy for the model to take it on (``load_shedding``): the search ranks by words."""
        self.pending = query_vectors.start(
            self.embedder, text, may_embed=load_shedding.model_may_embed
        )
        if self.pending is None:
            return False
        known = self.pending.known()
        if known is None or engine is None or engine.remote:
            return True
        self.matrix = self.store.matrix(self.embedder.name, locale)
        if self.matrix is not None:
            self.similar = _side_threads().submit(similarities, self.matrix, known)
        return True

    def vector(self, text: str):
        if self.pending is not None and self.pending.text == text:
            return self.pending.result()
        return query_vectors.vector_for(self.embedder, text)  # a respelt query


def available(engine) -> Hybrid | None:
    """What the hybrid ranking needs for ``engine``, or None (search stays lexical)."""
    embedder = get_embedder()
    store = store_for(engine) if embedder else None
    return Hybrid(embedder, store) if store else None


def _dense(hybrid: Hybrid, engine, vector, outcome, keys, now) -> Dense | None:
    """Meaning-based scores from the engine's own vectors (Elasticsearch kNN), else from
    the passage store beside the embedded index; None before anything is embedded."""
    filters = outcome.filters
    types, categories = tuple(filters.get("types") or ()), tuple(filters.get("categories") or ())
    query = EngineQuery("", outcome.locale, types, categories, now=now)
    try:
        found = engine.nearest_passages(vector, query, CANDIDATES, keys)
    except Exception:  # noqa: BLE001 (the passage store answers; the words still rank)
        logger.exception("Meaning-based search failed in %r", engine.name)
        found = None
    if found:
        return Dense({k: c for k, (c, _) in found.items()}, {k: n for k, (_, n) in found.items()})
    matrix = hybrid.store.matrix(hybrid.embedder.name, outcome.locale)
    if matrix is None:
        return None
    computed = None
    if hybrid.similar is not None and hybrid.matrix is matrix and hybrid.pending.known() is vector:
        computed = hybrid.similar.result()
    return dense_ranking(
        matrix, vector, types=set(types), categories=set(categories), also=keys, computed=computed
    )


def rank(outcome, hybrid: Hybrid, text: str, now, engine) -> None:
    """Re-rank ``outcome.results`` (the lexical candidates) and cut the requested page."""
    results, filters = outcome.results, outcome.filters
    offset = (outcome.page - 1) * outcome.per_page
    promoted = [h for h in results.hits if h.promoted]
    lexical = [(h.document.key, h.score) for h in results.hits if not h.promoted]
    vector = hybrid.vector(text)
    dense = _dense(hybrid, engine, vector, outcome, [key for key, _ in lexical], now)
    if dense is None:  # nothing embedded yet: the lexical order as it is
        outcome.results = EngineResults(
            results.hits[offset : offset + outcome.per_page], results.total, results.facets
        )
        return
    hybrid.dense = dense
    outcome.lexical_top = lexical[0][0] if lexical else ""
    first = [h.document.key for h in promoted]
    fused = [key for key, _ in fuse(lexical, dense, locale=outcome.locale) if key not in first]
    order = first + fused
    page_keys = order[offset : offset + outcome.per_page]
    hits = {h.document.key: h for h in results.hits}
    missing = [key for key in page_keys if key not in hits]
    if missing:
        found = engine.search(
            EngineQuery(
                text=text,
                locale=outcome.locale,
                types=tuple(filters.get("types") or ()),
                categories=tuple(filters.get("categories") or ()),
                page=1,
                per_page=len(missing),
                promoted=missing,
                now=now,
            )
        )
        for hit in found.hits:
            if hit.promoted and hit.document.key in missing:
                hit.promoted = False  # found by meaning, not put first by staff
                hits[hit.document.key] = hit
    lexical_keys = {key for key, _ in lexical} | set(first)
    added = sum(1 for key in order if key not in lexical_keys)
    outcome.results = EngineResults(
        [hits[key] for key in page_keys if key in hits], results.total + added, results.facets
    )
    outcome.semantic = True
