"""How often help pages are read, and how often a contact request follows: daily counts per
page, nothing about the reader (no cookie, no address, no agent string is stored).

``record_page_view(page)`` is the one place a read is counted, so the write can be moved off
the request path (batched) without touching its callers.
"""

import re

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import PageViewDay

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
    _count(page.pk, "views")


def record_contact_after(page_ids):
    """Count a contact request sent after reading each of these pages in the same visit."""
    for page_id in set(page_ids):
        _count(page_id, "contact_requests")


def _count(page_id, field):
    day = timezone.localdate()
    rows = PageViewDay.objects.filter(page_id=page_id, day=day)
    if rows.update(**{field: F(field) + 1}):
        return
    try:
        with transaction.atomic():
            PageViewDay.objects.create(page_id=page_id, day=day, **{field: 1})
    except IntegrityError:  # another request created today's row first
        rows.update(**{field: F(field) + 1})
