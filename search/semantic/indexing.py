"""Keeping the passages current with the index: publishing rewrites the page's passages,
in the content's transaction (no model runs on the editor's request); the vectors are
computed afterwards by the embedding task (``search.embedding``).
"""

import logging

from django.db import transaction

from .embedders import model_setting
from .store import store_for

logger = logging.getLogger(__name__)


def enabled() -> bool:
    name = model_setting()
    return bool(name) and name.lower() not in ("off", "none", "0", "false")


def page_changed(engine, page_id, documents) -> None:
    """Replace a page's passages (with the content, like the index)."""
    if not enabled():
        return
    store = store_for(engine)
    if store is None:
        return
    content = engine.content_database

    def write():
        try:
            store.replace_pages([page_id], documents)
        except Exception:  # noqa: BLE001 (a failed passage write must not fail a publish)
            logger.exception("Passages of page %s were not updated", page_id)

    if store.alias == content:
        write()
    else:
        transaction.on_commit(write, using=content)


def rebuilt(engine, documents) -> None:
    """Replace every passage after a full rebuild (the vectors of unchanged texts stay)."""
    store = store_for(engine) if enabled() else None
    if store is not None:
        store.replace_pages((), documents, clear_all=True)
