"""Keeping the passages current with the index, and the embedding pass after a publish.

Publishing only rewrites the page's passages, in the content's transaction (no model runs
on the editor's request); once it commits, ``embed_search_passages`` is queued for the
background worker (django-tasks: ``manage.py run_worker``; without a worker the task waits
in the queue and search ranks the new texts by words until it runs). The worker also runs
it periodically, and ``manage.py search_embed`` by hand. Every pass embeds only texts that
have no vector yet, so it resumes after any interruption and a repeated task costs nothing.
"""

import logging
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django_tasks import task

from .. import outbox
from ..documents import documents_for_page, indexable_pages
from ..engines import get_engine, remote_engine_names
from .embedders import get_embedder, model_setting
from .store import store_for

logger = logging.getLogger(__name__)


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
        transaction.on_commit(
            lambda: embed_search_passages.enqueue(engine.name), using=content_alias, robust=True
        )


def rebuilt(engine, documents) -> None:
    """Replace every passage after a full rebuild (the vectors of unchanged texts stay)."""
    store = store_for(engine) if enabled() else None
    if store is not None:
        store.replace_pages((), documents, clear_all=True)


@lru_cache(maxsize=1)
def _passage_embedder(model: str):
    """A model instance of its own for embedding passages: in a web process (a backend
    without a worker runs the task there) searches never wait behind a batch."""
    embedder = get_embedder()
    return type(embedder)() if embedder is not None else None


@task()
def embed_search_passages(engine_name=None):
    """Embed every passage of ``engine_name``'s store (the default engine's) that has no
    vector for the configured model; returns how many were embedded."""
    if not enabled():
        return 0
    store = store_for(get_engine(engine_name))
    embedder = _passage_embedder(model_setting())
    if store is None or embedder is None:
        return 0
    embedded = []
    count = store.embed_missing(embedder, embedded=embedded)
    if embedded:
        send_vectors(store.pages_of(embedded))
    return count


def send_vectors(page_ids) -> None:
    """Write the pages again to every engine on another server, now with their vectors
    (through the outbox, as any index work)."""
    names = remote_engine_names()
    if not names or not page_ids:
        return
    with transaction.atomic():
        for page in indexable_pages().filter(pk__in=page_ids).specific().iterator(200):
            documents = documents_for_page(page)
            for name in names:
                outbox.enqueue(name, page.pk, documents)
