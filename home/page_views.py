"""How often help pages are read, and how often a contact request follows: daily counts per
page, nothing about the reader (no cookie, no address, no agent string is stored).

``record_page_view(page)`` is the one place a read is counted. Nothing is written on the
request path: each count goes to a per-process buffer (home/write_buffer.py) that a
background thread adds to the insights database in batches, one statement per batch.
"""

import re
from collections import Counter

from django.db import connections, router, transaction
from django.utils import timezone

from . import write_buffer
from .models import PageViewDay

_CHUNK = 200

# Crawlers, link previews and monitors announce themselves; counting them would drown the
# figures customers make.
BOT_AGENTS = re.compile(
    r"bot|crawl|spider|slurp|preview|monitor|fetch|curl|wget|python-|headless|scan|lighthouse",
    re.IGNORECASE,
)


def is_bot(request):
    """Whether a request is not a person reading (a bot, a prefetch or a HEAD check)."""
    agent = request.headers.get("User-Agent", "")
    prefetch = "prefetch" in request.headers.get("Sec-Purpose", request.headers.get("Purpose", ""))
    return request.method != "GET" or not agent or prefetch or bool(BOT_AGENTS.search(agent))


def record_page_view(page):
    """Count one read of ``page`` today."""
    _buffer.add((page.pk, timezone.localdate(), "views"))


def record_contact_after(page_ids):
    """Count a contact request sent after reading each of these pages in the same visit."""
    day = timezone.localdate()
    for page_id in set(page_ids):
        _buffer.add((page_id, day, "contact_requests"))


def _write(entries):
    """Add a batch of counts to the days' rows (made when missing) in one transaction."""
    counts = Counter(entries)
    rows = sorted({(page_id, day) for page_id, day, _field in counts})
    using = router.db_for_write(PageViewDay)
    table = PageViewDay._meta.db_table
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        for i in range(0, len(rows), _CHUNK):
            chunk = rows[i : i + _CHUNK]
            params = [
                value
                for page_id, day in chunk
                for value in (
                    page_id,
                    day,
                    counts[(page_id, day, "views")],
                    counts[(page_id, day, "contact_requests")],
                )
            ]
            cursor.execute(
                f"INSERT INTO {table} (page_id, day, views, contact_requests) VALUES "  # noqa: S608 - our own table name
                + ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
                + " ON CONFLICT (page_id, day) DO UPDATE SET"
                f" views = {table}.views + excluded.views,"
                f" contact_requests = {table}.contact_requests + excluded.contact_requests",
                params,
            )
    return []


_buffer = write_buffer.buffer(_write)


def flush():
    """Write what this process has counted now (tests, commands)."""
    return _buffer.flush()
