"""Query vectors shared by every process and server of the site.

Embedding a new query is the dearest part of a search (15-30 ms of a core with the default
model). Each process keeps the vectors of its recent queries in memory; without more, every
gunicorn worker embeds a popular query again, and a restart forgets them all. So a query's
vector is also kept in the insights database: a process that has not seen the query reads it
there (one indexed row) before asking the model.

Nothing is written on the request path: new vectors go to a per-process buffer that the
background writer stores in batches (home/write_buffer.py), about ``MAX_KEPT`` of them (the
oldest given up first) for ``SEARCH_QUERY_VECTOR_DAYS`` at most. Queries that hold personal
data (whatever the query log's redaction would replace) are never kept, and a kept vector
is found by a keyed hash of the model and the query, not by its text. It is a cache: when
its table cannot be read or written, the model answers and nothing else changes.
"""

import logging

import numpy as np
from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Subquery
from django.utils import timezone
from django.utils.crypto import salted_hmac

from home import write_buffer
from home.retention import cutoff

from . import redaction
from .db_router import insights_database
from .models import KeptQueryVector

logger = logging.getLogger(__name__)

MAX_KEPT = 50_000  # about 75 MB of 384-dimension vectors
CHECK_EVERY = 1_000  # vectors a process writes between two counts of the table
_written = 0


def _key(model: str, text: str) -> str:
    return salted_hmac("search.query_vector", f"{model}\x00{text}").hexdigest()


def _shareable(text: str) -> bool:
    return bool(settings.SEARCH_SHARE_QUERY_VECTORS) and redaction.redact(text) == text


class Pending:
    """A query's vector, found or still being computed by the model."""

    def __init__(self, text: str, vector=None, future=None, key: str | None = None):
        self.text, self._vector, self._future, self._key = text, vector, future, key

    def known(self):
        """The vector if it was found without the model, else None (not waited for)."""
        return self._vector if self._future is None else None

    def result(self):
        if self._vector is None:
            self._vector = self._future.result()
            if self._key is not None:
                _buffer.add((self._key, np.asarray(self._vector, dtype=np.float32).tobytes()))
        return self._vector


def start(embedder, text: str, may_embed=lambda: True) -> Pending | None:
    """Begin finding the query's vector: from this process's memory, from the shared table,
    or else from the model on its own thread while the caller searches by words (then kept
    for the others). None when only the model could tell it and ``may_embed()`` says no."""
    vector = embedder.cached_query(text)
    if vector is not None:
        return Pending(text, vector)
    key = _key(embedder.name, text) if _shareable(text) else None
    if key is not None:
        vector = _read(key, embedder.dim)
        if vector is not None:
            embedder.remember(text, vector)
            return Pending(text, vector)
    if not may_embed():
        return None
    return Pending(text, future=embedder.embed_query_aside(text), key=key)


def vector_for(embedder, text: str):
    """The query's vector, waited for."""
    return start(embedder, text).result()


def _read(key: str, dim: int):
    # One row by its primary key, in plain SQL: the ORM's query building cost three times
    # the lookup itself, on every new wording.
    connection = connections[insights_database()]
    table, column = (connection.ops.quote_name(n) for n in (KeptQueryVector._meta.db_table, "key"))
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT vector FROM {table} WHERE {column} = %s", [key])  # noqa: S608
            row = cursor.fetchone()
        found = row[0] if row else None
    except DatabaseError:
        logger.warning("Shared query vectors could not be read", exc_info=True)
        return None
    if found is None or len(found) != dim * 4:
        return None  # not kept, or kept by a model of another size under the same name
    return np.frombuffer(bytes(found), dtype=np.float32)


def _write(batch):
    """Store a batch (keys seen twice once); a failed batch is given up, not retried: the
    vectors are only a saving, and the model computes them again."""
    global _written
    now = timezone.now()
    rows = {key: KeptQueryVector(key=key, vector=data, created_at=now) for key, data in batch}
    kept = KeptQueryVector.objects.using(insights_database())
    try:
        kept.bulk_create(rows.values(), ignore_conflicts=True)
        _written += len(rows)
        if _written >= CHECK_EVERY:
            _written = 0
            newest_first = kept.order_by("-created_at").values("created_at")
            kept.filter(created_at__lte=Subquery(newest_first[MAX_KEPT : MAX_KEPT + 1])).delete()
    except DatabaseError:
        logger.warning("Shared query vectors not written (%d given up)", len(rows), exc_info=True)
    return []


def purge(now):
    """Vectors older than ``SEARCH_QUERY_VECTOR_DAYS`` (the queries they came from may
    name someone redaction did not recognise)."""
    expired = cutoff("SEARCH_QUERY_VECTOR_DAYS", now)
    expired_rows = KeptQueryVector.objects.using(insights_database()).filter(created_at__lt=expired)
    return expired_rows.delete()[0]


_buffer = write_buffer.buffer(_write)
