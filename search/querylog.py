"""Recording what customers search for and which results they open.

The views call ``record_search`` after each search and ``record_click`` when a result is
opened. Logging must never break or slow a search: a write is one indexed SELECT and one
INSERT (or UPDATE), SQLite lock waits are cut short, and any database error is logged and
swallowed.
"""

import logging
import secrets
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import DatabaseError, connections, router, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.http import Http404
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from wagtail.models import Site

from . import analysis, redaction
from .documents import documents_for_page
from .models import PageSearchStat, SearchClick, SearchQueryLog

logger = logging.getLogger(__name__)

SESSION_KEY = "search_visitor"
# How long a log write may wait for SQLite's write lock before the record is dropped.
LOCK_WAIT_MS = 250
MAX_RANK = 1000
MAX_URL_CHARS = 500
_MAX_ID = 2**63 - 1


def visitor_key(request, create=True):
    """The anonymous id of this visitor's session: random, so it says nothing about who
    they are. Feedback and contact requests use it to tie back to the searches."""
    session = getattr(request, "session", None)
    if session is None:
        return ""
    key = session.get(SESSION_KEY, "")
    if not key and create:
        key = secrets.token_hex(16)
        session[SESSION_KEY] = key
    return key


def _base_form(surface):
    """The shortest form reached by reducing a word again and again (English stem, Hebrew
    prefixes stripped), so every word of one family has the same base: "והמנוי", "למנוי"
    and "מנוי" differ in how many prefixes one reduction strips, not in where they end."""
    seen, todo = set(), [surface]
    while todo:
        form = todo.pop()
        if form not in seen:
            seen.add(form)
            todo.extend(analysis.word_forms(form))
    return min(seen, key=lambda form: (len(form), form))


def group_key(text):
    """The form that groups a query in the reports: the base form of each word, stopwords
    dropped, so "והטופס", "לטופס" and "טופס" are one row (search matches them alike)."""
    tokens = analysis.analyze_query(redaction.without_placeholders(text))
    words = [t for t in tokens if not t.stopword] or tokens
    return " ".join(_base_form(t.surface) for t in words)[:500]


@contextmanager
def _short_lock_wait(using):
    """On SQLite, wait at most LOCK_WAIT_MS for the write lock instead of the site's long
    default: a dropped log line is better than a slow search."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA busy_timeout = {LOCK_WAIT_MS:d}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(previous):d}")


@contextmanager
def _guarded(using):
    """Inside a caller's transaction a failed write must not spoil it: use a savepoint."""
    if connections[using].in_atomic_block:
        with transaction.atomic(using=using):
            yield
    else:
        yield


def _filters(outcome):
    filters = {key: list(value) for key, value in outcome.filters.items() if value}
    if outcome.locale is None:
        filters["lang"] = "all"
    return filters


def record_search(request, outcome, source="page"):
    """Log one search and return the log id (None when nothing was logged).

    The same visitor asking the same normalised query again within the window (another
    page, other filters) updates their logged search rather than adding one.
    """
    if not outcome.query:
        return None
    query = redaction.redact(outcome.query)[:500]
    key = group_key(query) or query.casefold()
    known_visitor = bool(visitor_key(request, create=False))
    session_key = visitor_key(request)
    now = timezone.now()
    using = router.db_for_write(SearchQueryLog)
    window = timedelta(minutes=settings.SEARCH_LOG_SAME_SEARCH_MINUTES)
    try:
        with _short_lock_wait(using), _guarded(using):
            existing = None
            if known_visitor:
                existing = (
                    SearchQueryLog.objects.filter(
                        session_key=session_key, normalized=key, updated_at__gte=now - window
                    )
                    .order_by("-pk")
                    .values_list("pk", flat=True)
                    .first()
                )
            if existing is not None:
                SearchQueryLog.objects.filter(pk=existing).update(
                    filters=_filters(outcome),
                    # The search failed only if no view of it found anything.
                    result_count=Greatest("result_count", outcome.total),
                    updated_at=now,
                )
                return existing
            _count_pages_shown(outcome, now, using)
            return SearchQueryLog.objects.create(
                query=query,
                normalized=key,
                locale=outcome.locale or translation.get_language() or settings.LANGUAGE_CODE,
                filters=_filters(outcome),
                result_count=outcome.total,
                engine=outcome.engine[:50],
                latency_ms=round(outcome.took_ms, 3),
                corrected=outcome.correction is not None,
                source=source,
                session_key=session_key,
                created_at=now,
                updated_at=now,
            ).pk
    except DatabaseError:
        logger.exception("A search could not be logged")
        return None


def _count_pages_shown(outcome, now, using):
    """Add one to today's "shown in results" of each page on this new search's first view."""
    page_ids = sorted({hit.document.page_id for hit in outcome.results.hits})
    if not page_ids:
        return
    table = PageSearchStat._meta.db_table
    today = timezone.localdate(now)
    # One statement for all the pages; works on SQLite and PostgreSQL alike.
    rows = ", ".join(["(%s, %s, 1)"] * len(page_ids))
    params = [value for page_id in page_ids for value in (page_id, today)]
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (page_id, date, shown) VALUES {rows} "  # noqa: S608 - our own table name
            "ON CONFLICT (page_id, date) DO UPDATE SET shown = shown + 1",
            params,
        )


def click_url(log_id, rank, url):
    """The link a result is opened through, so the click is counted even without JavaScript."""
    return f"{reverse('search_click', args=[log_id, rank])}?{urlencode({'to': url})}"


def link_hits(outcome, log_id):
    """Give each hit of ``outcome`` the URL that records its click (``hit.click_url``)."""
    for offset, hit in enumerate(outcome.results.hits):
        url = hit.document.url
        hit.click_url = click_url(log_id, outcome.first_rank + offset, url) if log_id else url
    return outcome.results.hits


def indexed_url(request, url):
    """``url`` when it is the address of a document the public search holds, else None.

    The click endpoint redirects only there: never to another site or an unpublished page.
    """
    if not isinstance(url, str) or not 1 < len(url) <= MAX_URL_CHARS:
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or "\\" in url:
        return None
    language = translation.get_language_from_path(parts.path)
    if not language:
        return None
    site = Site.find_for_request(request)
    if site is None:
        return None
    with translation.override(language):
        try:
            match = resolve(parts.path)
            if match.url_name != "wagtail_serve":
                return None
            path = match.args[0] if match.args else match.kwargs.get("path", "")
            route = site.root_page.localized.specific.route(
                request, [c for c in path.split("/") if c]
            )
        except (Resolver404, Http404):
            return None
        urls = {document.url for document in documents_for_page(route[0])}
    return url if url in urls else None


def record_click(request, log_id, rank, url):
    """Count a click on the result at ``rank`` of a logged search; only the visitor who
    searched can add clicks to it. Returns whether the click was recorded."""
    session_key = visitor_key(request, create=False)
    if not session_key or not 0 < log_id <= _MAX_ID or not 0 < rank <= MAX_RANK:
        return False
    using = router.db_for_write(SearchQueryLog)
    try:
        with _short_lock_wait(using), _guarded(using):
            updated = SearchQueryLog.objects.filter(pk=log_id, session_key=session_key).update(
                click_count=F("click_count") + 1
            )
            if updated:
                SearchClick.objects.create(
                    log_id=log_id, rank=rank, url=url[:MAX_URL_CHARS], created_at=timezone.now()
                )
            return bool(updated)
    except DatabaseError:
        logger.exception("A search result click could not be logged")
        return False
