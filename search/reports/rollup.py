"""Rolling the query log up into daily figures per search term.

The reports read only ``SearchDailyStat`` and ``SearchTerm``, never the raw log, so they
stay fast with millions of logged searches. ``refresh`` recomputes the days that may still
change (the last day rolled up, yesterday and today: a click can arrive after midnight) and
fills in any day never rolled up; it runs before a report is shown, at most once per
``SEARCH_INSIGHTS_REFRESH_SECONDS``, and from ``search_log_purge``.
"""

import logging
from collections import Counter, defaultdict
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections, router, transaction
from django.db.models import Count, IntegerField, Max, Min, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from ..models import SearchDailyStat, SearchQueryLog, SearchTerm

logger = logging.getLogger(__name__)

CACHE_KEY = "search-insights-rolled-up"
SAMPLES_KEPT = 5
# An ignored term comes back to the open list when it keeps failing: this many failed
# searches after it was ignored. A handled term comes back at its first new failure.
IGNORED_COMES_BACK_AFTER = 5
_CHUNK = 500

FAILED = Q(result_count=0)
ANSWERED = ~Q(answer_url="")


def day_bounds(day):
    """The start and end of ``day`` in the site's time zone, as aware datetimes."""
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), zone)
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), zone)
    return start, end


def _figures(logs):
    return (
        logs.values("locale", "normalized")
        .annotate(
            searches=Count("id"),
            sessions=Count("session_key", distinct=True),
            failed=Count("id", filter=FAILED),
            failed_sessions=Count("session_key", distinct=True, filter=FAILED),
            no_click=Count("id", filter=Q(result_count__gt=0, click_count=0)),
            clicked=Count("id", filter=Q(click_count__gt=0)),
            clicks=Sum("click_count"),
            answered=Count("id", filter=ANSWERED),
            answered_clicked=Count("id", filter=ANSWERED & Q(click_count__gt=0)),
            first_seen=Min("created_at"),
            last_seen=Max("created_at"),
            first_failed=Min("created_at", filter=FAILED),
            last_failed=Max("created_at", filter=FAILED),
        )
        .order_by()
    )


def _wordings(logs):
    """(locale, normalized) -> its wordings, most frequent first."""
    counts = defaultdict(Counter)
    rows = logs.values_list("locale", "normalized", "query").annotate(n=Count("id")).order_by()
    for locale, normalized, query, n in rows:
        counts[(locale, normalized)][query] += n
    return {key: [q for q, _ in c.most_common(SAMPLES_KEPT)] for key, c in counts.items()}


def _merge_samples(recent, known):
    """The day's wordings first, then the ones known before; ``known`` itself when only
    their order changed below the first, to spare rewriting every term every day."""
    merged = list(recent)
    merged += [s for s in known if s not in merged]
    merged = merged[:SAMPLES_KEPT]
    if known and merged[0] == known[0] and set(merged) == set(known):
        return known
    return merged


def _existing_terms(keys):
    """(locale, normalized) -> SearchTerm for the keys that have one (by the unique index)."""
    by_locale = defaultdict(list)
    for locale, normalized in keys:
        by_locale[locale].append(normalized)
    found = {}
    for locale, names in by_locale.items():
        for i in range(0, len(names), _CHUNK):
            terms = SearchTerm.objects.filter(locale=locale, normalized__in=names[i : i + _CHUNK])
            found.update({(t.locale, t.normalized): t for t in terms})
    return found


def _terms(wordings):
    """(locale, normalized) -> SearchTerm for every key, creating the new ones."""
    terms = _existing_terms(wordings)
    missing = [
        SearchTerm(locale=locale, normalized=normalized, samples=samples)
        for (locale, normalized), samples in wordings.items()
        if (locale, normalized) not in terms
    ]
    if missing:
        SearchTerm.objects.bulk_create(missing, batch_size=_CHUNK, ignore_conflicts=True)
        terms.update(_existing_terms([(t.locale, t.normalized) for t in missing]))
    changed = []
    for key, term in terms.items():
        samples = _merge_samples(wordings[key], term.samples)
        if samples is not term.samples:
            term.samples = samples
            changed.append(term)
    SearchTerm.objects.bulk_update(changed, ["samples"], batch_size=_CHUNK)
    return terms


_COUNTS = [
    "searches", "sessions", "failed", "failed_sessions", "no_click", "clicked", "clicks",
    "answered", "answered_clicked",
]  # fmt: skip
_TIMES = ["first_seen", "last_seen", "first_failed", "last_failed"]


def rollup_day(day):
    """Recompute one day's figures from the log; returns the number of term rows."""
    start, end = day_bounds(day)
    logs = SearchQueryLog.objects.filter(created_at__gte=start, created_at__lt=end)
    figures = list(_figures(logs))
    terms = _terms(_wordings(logs)) if figures else {}
    # Written in one short transaction that starts with the write, so SQLite takes its lock
    # at once instead of failing to upgrade a read.
    with transaction.atomic(using=router.db_for_write(SearchDailyStat)):
        SearchDailyStat.objects.filter(date=day).delete()
        _insert(day, [(terms[(row["locale"], row["normalized"])].pk, row) for row in figures])
    return len(figures)


def _insert(day, rows):
    """One executemany of plain values: bulk_create spends most of a roll-up preparing
    values field by field, and a manager's request may be waiting for it."""
    if not rows:
        return
    connection = connections[router.db_for_write(SearchDailyStat)]
    ops = connection.ops
    names = ["date", "term_id", *_COUNTS, *_TIMES]
    table = ops.quote_name(SearchDailyStat._meta.db_table)
    columns = ", ".join(ops.quote_name(name) for name in names)
    marks = ", ".join(["%s"] * len(names))
    date = ops.adapt_datefield_value(day)
    values = [
        (
            date,
            term_id,
            *(row[name] or 0 for name in _COUNTS),
            *(ops.adapt_datetimefield_value(row[name]) for name in _TIMES),
        )
        for term_id, row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)  # noqa: S608


def _days_to_roll(today):
    last = SearchDailyStat.objects.aggregate(last=Max("date"))["last"]
    if last is not None:
        start = min(last, today - timedelta(days=1))
    else:
        first = SearchQueryLog.objects.aggregate(first=Min("created_at"))["first"]
        if first is None:
            return []
        start = timezone.localdate(first)
    return [start + timedelta(days=n) for n in range((today - start).days + 1)]


def reopen_failing(now=None):
    """Handled and ignored terms that fail again go back to the open list."""
    failures_since = (
        SearchQueryLog.objects.filter(
            FAILED,
            locale=OuterRef("locale"),
            normalized=OuterRef("normalized"),
            created_at__gt=OuterRef("status_changed_at"),
        )
        .order_by()
        .values("normalized")
        .annotate(n=Count("id"))
        .values("n")
    )
    marked = SearchTerm.objects.exclude(status=SearchTerm.OPEN).annotate(
        failures=Subquery(failures_since, output_field=IntegerField())
    )
    back = marked.filter(
        Q(status=SearchTerm.HANDLED, failures__gte=1)
        | Q(status=SearchTerm.IGNORED, failures__gte=IGNORED_COMES_BACK_AFTER)
    ).values_list("pk", flat=True)
    return SearchTerm.objects.filter(pk__in=list(back)).update(
        status=SearchTerm.OPEN, reopened=True, status_changed_at=now or timezone.now()
    )


def refresh(force=False, now=None):
    """Bring the daily figures up to date; returns the number of days recomputed.

    Never raises a database error: a report then shows the figures it has.
    """
    interval = settings.SEARCH_INSIGHTS_REFRESH_SECONDS
    now = now or timezone.now()
    # The cached value is the moment the figures were brought up to date (figures_as_of).
    if not force and interval > 0 and not cache.add(CACHE_KEY, now, interval):
        return 0
    if force and interval > 0:
        cache.set(CACHE_KEY, now, interval)
    try:
        days = _days_to_roll(timezone.localdate(now))
        for day in days:
            rollup_day(day)
        reopen_failing(now)
    except DatabaseError:
        logger.exception("Search insights could not be rolled up")
        cache.delete(CACHE_KEY)
        return 0
    return len(days)


def figures_as_of(now=None):
    """Up to when the reports' figures count searches: the last refresh in this cache."""
    refreshed = cache.get(CACHE_KEY)
    if isinstance(refreshed, datetime) and settings.SEARCH_INSIGHTS_REFRESH_SECONDS > 0:
        return refreshed
    return now or timezone.now()
