"""Index updates: what to write for a page and its descendants.

Embedded engines are written here, in the content's transaction; an engine on another
server (``remote``) gets the work through ``search.outbox``, applied after commit.
"""

import logging

from wagtail.models import Page

from . import embedding, index_feed, outbox, rebuild_workers
from .documents import documents_for_page, help_page_models
from .engines import get_engine
from .semantic import indexing as semantic_indexing

logger = logging.getLogger(__name__)


def write_page(engine, page_id, documents):
    if engine.writes_after_commit:
        outbox.enqueue(engine.name, page_id, documents)
    else:
        engine.index_page(page_id, documents)
        index_feed.record(engine, page_id, documents)  # for the other servers' indexes
    semantic_indexing.page_changed(engine, page_id, documents)
    embedding.after_publish(engine)


def reindex_page(page, engine=None):
    write_page(engine or get_engine(), page.pk, documents_for_page(page))


def reindex_subtree(page, engine=None):
    engine = engine or get_engine()
    pages = Page.objects.descendant_of(page, inclusive=True).type(*help_page_models()).specific()
    for each in pages.iterator(chunk_size=200):
        write_page(engine, each.pk, documents_for_page(each))


def remove_page(page_id, engine=None):
    write_page(engine or get_engine(), page_id, [])  # no documents: the page leaves the index


def rebuild(engine=None, progress=None, refused=None, passages=True):
    """Refill the index (and the passages to embed, unless ``passages`` is false);
    ``progress(n)`` is called as pages are read, ``refused(key, reason)`` for each document
    the engine could not index."""
    engine = engine or get_engine()
    seen = []

    def documents(batches):
        for pages, docs, items in batches:
            if passages:
                seen.extend(docs)
            yield from items
            if progress:
                progress(pages)

    with rebuild_workers.page_batches(engine, documents=passages) as batches:
        count = engine.rebuild(documents(batches), refused=refused)
    if passages:
        semantic_indexing.rebuilt(engine, seen)
    return count
