"""Keeps every web server's embedded index current when the content is on PostgreSQL.

There each server keeps its embedded index in its own SQLite file, and a publish writes only
the file of the server it happened on. So every index write is also recorded in the durable
outbox, in the content's transaction, as a row of the engine ``FEED`` (marked applied: no
drain touches it; it is deleted after SEARCH_OUTBOX_RETENTION_HOURS). A thread in every web
process (``start``) reads the rows after its file's cursor every FEED_SECONDS and applies
them, so every server is current within a few seconds, without cron.

Rows whose transaction committed late (PostgreSQL gives ids at insert, not at commit) are
caught by also re-reading the last RECHECK; rows of one page commit in id order (publishing
locks the page), so applying each page's newest row is always right.
"""

import logging
import os
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone

from .documents import document_from_dict, document_to_dict
from .engines import get_engine
from .models.outbox import IndexOutboxEntry

logger = logging.getLogger(__name__)

FEED = "embedded-feed"
FEED_SECONDS = 2.0
RECHECK = timedelta(seconds=30)
BATCH = 500
CURSOR = "feed_cursor"

_started = {}


def follows(engine):
    """Whether ``engine`` is an embedded index kept apart from the content."""
    return engine.database is not None and engine.database != engine.content_database


def record(engine, page_id, documents):
    """Note, in the content's transaction, the documents ``page_id`` now has."""
    if follows(engine) and settings.SEARCH_INDEX_FEED:
        IndexOutboxEntry.objects.using(engine.content_database).create(
            engine=FEED,
            page_id=int(page_id),
            documents=[document_to_dict(d) for d in documents],
            applied_at=timezone.now(),
        )


def _cursor(cursor):
    cursor.execute("SELECT value FROM search_meta WHERE name = %s", [CURSOR])
    row = cursor.fetchone()
    return row[0] if row else 0


def catch_up(engine=None):
    """Apply the feed rows this index has not seen; returns how many pages were written."""
    engine = engine or get_engine()
    if not follows(engine):
        return 0
    connection = engine.connection  # creates the index's tables on first use
    # One follower per index file at a time (IMMEDIATE: the write lock is taken at BEGIN).
    with transaction.atomic(using=engine.database), connection.cursor() as cursor:
        seen = _cursor(cursor)
        rows = list(
            IndexOutboxEntry.objects.using(engine.content_database)
            .filter(engine=FEED)
            .filter(Q(pk__gt=seen) | Q(created_at__gte=timezone.now() - RECHECK))
            .order_by("pk")
            .values_list("pk", "page_id", "documents")[:BATCH]
        )
        if not rows:
            return 0
        newest = {page_id: documents for _pk, page_id, documents in rows}
        for page_id, documents in newest.items():
            engine.index_page(page_id, [document_from_dict(d) for d in documents])
        cursor.execute(
            "INSERT INTO search_meta (name, value) VALUES (%s, %s) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            [CURSOR, max(seen, rows[-1][0])],
        )
    return len(newest)


def _purge(engine):
    hours = settings.SEARCH_OUTBOX_RETENTION_HOURS
    cutoff = timezone.now() - timedelta(hours=hours)
    IndexOutboxEntry.objects.using(engine.content_database).filter(
        engine=FEED, created_at__lt=cutoff
    ).delete()


def _follow():
    last_purge = 0.0
    while True:
        try:
            engine = get_engine()
            catch_up(engine)
            if time.monotonic() - last_purge > 3600:
                _purge(engine)
                last_purge = time.monotonic()
        except Exception:  # noqa: BLE001 - the follower must survive a database outage
            logger.exception("The embedded index could not follow the content")
        finally:
            connections.close_all()  # this thread's own connections
        time.sleep(FEED_SECONDS)


def start():
    """Follow the feed in this process (web servers call it; once per process)."""
    if not follows(get_engine()) or not settings.SEARCH_INDEX_FEED:
        return
    if _started.get(os.getpid()):
        return
    _started[os.getpid()] = True
    threading.Thread(target=_follow, name="index-feed", daemon=True).start()
