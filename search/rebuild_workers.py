"""A large rebuild's pages read, made into documents and prepared for the engine by forked
worker processes, while the rebuilding process only writes the index.

Reading a page and analysing its text are about two thirds of a rebuild, and need nothing
but a database to read from; writing the index is one process's work (SQLite has one
writer). On a machine with several cores the workers run beside the writer. The results
arrive in page order, so the index comes out the same as when one process builds it.

Workers are forked (their code is the parent's: only page ids go to them, and the batches
they make come back) after the parent has closed its database connections: each worker
opens its own and never touches what it inherited. They read the committed pages, so the
parent must not be in a transaction, and a SQLite content database must be a file in WAL
mode, where readers never wait for the writer (an in-memory database lives in its one
connection, which would have to cross the fork).
"""

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import islice

from django.conf import settings
from django.db import connections

from .documents import documents_for_page, indexable_page_ids, indexable_pages

# Pages one worker reads and prepares at a time: enough to make its queries few, small enough
# that the writer always has the next batch waiting.
CHUNK_PAGES = 200
# Below this many pages, starting the workers costs about what they save.
MIN_PAGES = 500


def worker_count(pages: int) -> int:
    """How many worker processes to use for a rebuild of ``pages`` pages; 0 builds in this
    process (SEARCH_REBUILD_WORKERS; one per core, at most four, where it is not set)."""
    wanted = getattr(settings, "SEARCH_REBUILD_WORKERS", None)
    if wanted is None:
        wanted = min(os.cpu_count() or 1, 4)
    if wanted < 1 or pages < getattr(settings, "SEARCH_REBUILD_WORKERS_FROM", MIN_PAGES):
        return 0
    return wanted if _can_fork() else 0


def _can_fork() -> bool:
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            return False  # workers would not see what this transaction has written
    content = connections["default"]
    if content.vendor != "sqlite":
        return True
    if content.is_in_memory_db():
        return False
    with content.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        return cursor.fetchone()[0].lower() == "wal"


# Set in the parent just before the workers fork, so they inherit them rather than unpickle.
_prepare: Callable | None = None
_send_documents = True


@contextmanager
def page_batches(engine, documents=True) -> Iterator[Iterator[tuple[int, list, list]]]:
    """Batches of (pages read, their documents, what ``engine.prepare_documents`` makes of
    them) for every indexable page, in the order of ``indexable_pages``; without
    ``documents``, workers do not send the documents themselves. The workers, if any, start
    on entry: before the engine opens its transaction."""
    ids = list(indexable_page_ids())
    workers = worker_count(len(ids))
    if not workers:
        yield _in_this_process()
        return
    global _prepare, _send_documents  # noqa: PLW0603 (handed to the forked workers)
    _prepare, _send_documents = engine.prepare_documents, documents
    # Nothing open is inherited: SQLite and PostgreSQL connections must not cross a fork.
    connections.close_all()
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_started) as pool:
            yield _from_workers(pool, workers, ids)
    finally:
        _prepare = None


def _in_this_process():
    categories = {}
    for page in indexable_pages().iterator(chunk_size=500):
        docs = documents_for_page(page, categories)
        yield 1, docs, docs


def _from_workers(pool, workers: int, ids: list[int]):
    chunks = (ids[i : i + CHUNK_PAGES] for i in range(0, len(ids), CHUNK_PAGES))
    # A few batches ahead of the writer, not the whole site: memory stays bounded.
    pending = deque(pool.apply_async(_read, (c,)) for c in islice(chunks, workers * 2))
    while pending:
        done = pending.popleft().get()
        pending.extend(pool.apply_async(_read, (c,)) for c in islice(chunks, 1))
        yield done


def _started() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _read(ids: list[int]) -> tuple[int, list, list]:
    categories = {}
    docs = [
        doc
        for page in indexable_pages().filter(pk__in=ids)
        for doc in documents_for_page(page, categories)
    ]
    return len(ids), docs if _send_documents else [], _prepare(docs)
