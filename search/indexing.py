"""Index updates: what to write for a page and its descendants."""

import logging

from wagtail.models import Page

from .documents import documents_for_page, help_page_models, indexable_pages
from .engines import get_engine

logger = logging.getLogger(__name__)


def reindex_page(page, engine=None):
    engine = engine or get_engine()
    engine.index_page(page.pk, documents_for_page(page))


def reindex_subtree(page, engine=None):
    engine = engine or get_engine()
    pages = Page.objects.descendant_of(page, inclusive=True).type(*help_page_models()).specific()
    for each in pages.iterator(chunk_size=200):
        engine.index_page(each.pk, documents_for_page(each))


def remove_page(page_id, engine=None):
    (engine or get_engine()).delete_pages([page_id])


def rebuild(engine=None, progress=None):
    """Refill the index; ``progress(1)`` is called after each page."""
    engine = engine or get_engine()

    def documents():
        for page in indexable_pages().iterator(chunk_size=500):
            yield from documents_for_page(page)
            if progress:
                progress(1)

    return engine.rebuild(documents())
