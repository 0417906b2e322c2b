"""Keeping the passages current with the index, and the embedding pass after a publish.

Publishing only rewrites the page's passages, in the content's transaction (no model runs
on the editor's request); the vectors are computed after the commit, in a background
thread of the same process, or by ``manage.py search_embed`` (from a worker or cron) when
``SEARCH_EMBED_AFTER_PUBLISH`` is off. Either way the pass embeds only texts that have no
vector yet, so it resumes after any interruption.
"""

import logging
import threading

from django.conf import settings
from django.db import connections, transaction

from .embedders import get_embedder, model_setting
from .store import store_for

logger = logging.getLogger(__name__)
_running = threading.Lock()


def enabled() -> bool:
    name = model_setting()
    return bool(name) and name.lower() not in ("off", "none", "0", "false")


def page_changed(engine, page_id, documents) -> None:
    """Replace a page's passages (with the content, like the index), then embed what is new
    once the content commits."""
    if not enabled():
        return
    store = store_for(engine)
    if store is None:
        return
    content_alias = getattr(engine, "content_alias", "default")

    def write():
        try:
            store.replace_pages([page_id], documents)
        except Exception:  # noqa: BLE001 (a failed passage write must not fail a publish)
            logger.exception("Passages of page %s were not updated", page_id)

    if store.alias == content_alias:
        write()
    else:
        transaction.on_commit(write, using=content_alias)
    if getattr(settings, "SEARCH_EMBED_AFTER_PUBLISH", True):
        transaction.on_commit(lambda: embed_in_background(store), using=content_alias)


def rebuilt(engine, documents) -> None:
    """Replace every passage after a full rebuild (the vectors of unchanged texts stay)."""
    store = store_for(engine) if enabled() else None
    if store is not None:
        store.replace_pages((), documents, clear_all=True)


def embed_in_background(store) -> None:
    """One embedding pass at a time per process; a pass that is running picks up new texts."""
    if not _running.acquire(blocking=False):
        return

    def run():
        try:
            # Its own model instance: searches never wait behind a batch of passages.
            embedder = get_embedder()
            if embedder is not None:
                store.embed_missing(type(embedder)())
        except Exception:  # noqa: BLE001 (the next pass or search_embed finishes the job)
            logger.exception("The embedding pass stopped")
        finally:
            connections.close_all()
            _running.release()

    threading.Thread(target=run, name="search-embed", daemon=True).start()
