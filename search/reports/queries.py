"""The figures behind each report, read from the daily roll-up (see ``rollup``)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, FloatField, Max, Min, Q, Sum
from django.db.models.functions import Cast, NullIf
from django.utils import timezone

from ..models import SearchDailyStat, SearchTerm

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Period:
    """What every report is filtered by: a date range (inclusive) and a language."""

    start: date
    end: date
    locale: str | None = None

    @classmethod
    def default(cls, locale=None, days=DEFAULT_DAYS):
        today = timezone.localdate()
        return cls(today - timedelta(days=days - 1), today, locale)

    def days(self):
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def _terms(period, *conditions):
    terms = SearchTerm.objects.filter(
        Q(daily__date__gte=period.start, daily__date__lte=period.end), *conditions
    )
    if period.locale:
        terms = terms.filter(locale=period.locale)
    return terms


def _rate(part, whole):
    return Cast(part, FloatField()) / NullIf(Cast(whole, FloatField()), 0.0)


def failed_terms(period, status=None):
    """Terms with searches that found nothing, with how often and by how many visitors."""
    terms = _terms(period, Q(daily__failed__gt=0))
    if status:
        terms = terms.filter(status=status)
    return terms.annotate(
        failed_count=Sum("daily__failed"),
        sessions=Sum("daily__failed_sessions"),
        searches=Sum("daily__searches"),
        first_seen=Min("daily__first_failed"),
        last_seen=Max("daily__last_failed"),
    )


def no_click_terms(period):
    """Terms whose searches found results that no one opened."""
    return (
        _terms(period, Q(daily__no_click__gt=0))
        .annotate(
            no_click_count=Sum("daily__no_click"),
            searches=Sum("daily__searches"),
            with_results=Sum(F("daily__searches") - F("daily__failed")),
            sessions=Sum("daily__sessions"),
            last_seen=Max("daily__last_seen"),
        )
        .annotate(no_click_rate=_rate(F("no_click_count"), F("with_results")))
    )


def top_terms(period, answered=None):
    """The most searched terms with their click-through rate (searches with a click out
    of searches with results) and how many were answered directly (answer first), and of
    those how many went on to open a result. ``answered``: True keeps the terms answered at
    least once in the period, False those never answered."""
    terms = (
        _terms(period)
        .annotate(
            searches=Sum("daily__searches"),
            sessions=Sum("daily__sessions"),
            failed_count=Sum("daily__failed"),
            clicked=Sum("daily__clicked"),
            with_results=Sum(F("daily__searches") - F("daily__failed")),
            answered=Sum("daily__answered"),
            answered_clicked=Sum("daily__answered_clicked"),
        )
        .annotate(ctr=_rate(F("clicked"), F("with_results")))
    )
    if answered is not None:
        terms = terms.filter(answered__gt=0) if answered else terms.filter(answered=0)
    return terms


def trend(period):
    """One row per day of the period: searches, failed, no-click and clicked searches."""
    stats = SearchDailyStat.objects.filter(date__gte=period.start, date__lte=period.end)
    if period.locale:
        stats = stats.filter(term__locale=period.locale)
    sums = {
        row["date"]: row
        for row in stats.values("date")
        .annotate(
            searches=Sum("searches"),
            failed=Sum("failed"),
            no_click=Sum("no_click"),
            clicked=Sum("clicked"),
        )
        .order_by()
    }
    rows = []
    for day in period.days():
        row = sums.get(day, {"searches": 0, "failed": 0, "no_click": 0, "clicked": 0})
        searches, failed = row["searches"], row["failed"]
        rows.append(
            {
                "date": day,
                "searches": searches,
                "failed": failed,
                "no_click": row["no_click"],
                "clicked": row["clicked"],
                "failure_rate": failed / searches if searches else 0.0,
                "ctr": row["clicked"] / (searches - failed) if searches > failed else 0.0,
            }
        )
    return rows


def top_failed_this_week(locale=None, limit=5):
    """The dashboard's list: the week's most frequent failed searches still open."""
    period = Period.default(locale, days=7)
    return list(
        failed_terms(period, SearchTerm.OPEN).order_by("-failed_count", "-last_seen")[:limit]
    )
