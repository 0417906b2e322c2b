"""The embedding pass as background work: a django-tasks task, as the outbox drain is.

After a publish commits, ``embed_search_passages`` is queued for the worker
(``manage.py run_worker``); without a worker the task waits in the queue and search ranks
the new texts by their words until it runs. The worker also runs it periodically, and
``manage.py search_embed`` runs the same pass by hand. Every pass embeds only texts that
have no vector yet, so it resumes after any interruption and a repeated task costs nothing.
Engines on another server get the new vectors with their pages, through the outbox.
"""

from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django_tasks import task

from . import outbox
from .documents import documents_for_page, indexable_pages
from .engines import get_engine, remote_engine_names
from .semantic.embedders import get_embedder, model_setting
from .semantic.indexing import enabled
from .semantic.store import store_for


def after_publish(engine) -> None:
    """Queue the pass once the content's transaction commits."""
    if enabled() and settings.SEARCH_EMBED_AFTER_PUBLISH:
        transaction.on_commit(
            lambda: embed_search_passages.enqueue(engine.name),
            using=engine.content_database,
            robust=True,
        )


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
