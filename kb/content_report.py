"""Reports -> Content: per help page, category or language over a date range, how often it
was read, how helpful readers found it (and why not), and how often a contact request
followed a read: the pages where self-service fails."""

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.permissions import policy_registry

from home.models import PageViewDay

from .feedback import PageFeedback

GROUPS = {"page": _("Page"), "category": _("Category"), "language": _("Language")}
SORTS = ["views", "contact_requests", "contact_rate", "votes", "helpful_ratio", "search_opens"]
DEFAULT_DAYS = 30
TOP_SEARCHES = 3


@dataclass
class Row:
    key: str
    title: str
    language: str = ""
    views: int = 0
    contact_requests: int = 0
    votes: int = 0
    helpful: int = 0
    reasons: Counter = field(default_factory=Counter)
    search_opens: int = 0
    searches: Counter = field(default_factory=Counter)

    @property
    def contact_rate(self):
        return self.contact_requests / self.views if self.views else 0.0

    @property
    def helpful_ratio(self):
        return self.helpful / self.votes if self.votes else None

    def search_text(self):
        """The searches that most often led here (seen at least twice: one person's words
        are not shown)."""
        common = [(q, n) for q, n in self.searches.most_common(TOP_SEARCHES) if n >= 2]
        return "; ".join(f"“{q}” ({n})" for q, n in common)

    def reason_text(self):
        labels = dict(PageFeedback.Reason.choices)
        return "; ".join(f"{labels.get(r, r)}: {n}" for r, n in self.reasons.most_common() if r)


def may_see(user):
    """The people who see the helpfulness report (feedback readers) see this one too."""
    policy = policy_registry.get_by_type(PageFeedback)
    return policy.user_has_any_permission(user, ["view", "change", "delete"])


def date_range(params):
    """(start, end) dates from ?start=&end= (ISO), the last 30 days by default; bad input
    falls back to the default."""
    today = timezone.localdate()
    try:
        end = timezone.datetime.fromisoformat(params.get("end", "")).date()
    except ValueError:
        end = today
    try:
        start = timezone.datetime.fromisoformat(params.get("start", "")).date()
    except ValueError:
        start = end - timedelta(days=DEFAULT_DAYS - 1)
    return (start, end) if start <= end else (end, start)


def _group_key(page, group):
    if group == "language":
        code = page.locale.language_code
        return code, code
    if group == "category":
        parent = page.get_parent()
        return str(parent.pk), parent.title
    return str(page.pk), page.title


def content_figures(start, end, language=None, group="page", sort="views"):
    # Views and votes live in the insights database: pages are matched to them by id here.
    views = PageViewDay.objects.filter(day__gte=start, day__lte=end)
    feedback = PageFeedback.objects.filter(created_at__date__gte=start, created_at__date__lte=end)
    if language:
        feedback = feedback.filter(language=language)
    per_page = list(views.values("page_id").annotate(v=Sum("views"), c=Sum("contact_requests")))
    votes = list(feedback.values_list("page_id", "helpful", "reason"))
    page_ids = {row["page_id"] for row in per_page} | {page for page, _h, _r in votes}
    pages = Page.objects.filter(pk__in=page_ids).select_related("locale")
    if language:
        pages = pages.filter(locale__language_code=language)
    pages = {p.pk: p for p in pages}
    rows = {}

    def row_for(page_id):
        page = pages.get(page_id)
        if page is None:  # deleted since, or in another language
            return None
        key, title = _group_key(page, group)
        language_code = page.locale.language_code
        return rows.setdefault(key, Row(key, title, language_code if group != "category" else ""))

    for item in per_page:
        if row := row_for(item["page_id"]):
            row.views += item["v"] or 0
            row.contact_requests += item["c"] or 0
    for page_id, helpful, reason in votes:
        if row := row_for(page_id):
            row.votes += 1
            row.helpful += helpful
            if not helpful:
                row.reasons[reason] += 1
    for page_id, query in _search_opens(pages.values(), start, end):
        row = row_for(page_id)
        row.search_opens += 1
        row.searches[query] += 1
    sort = sort if sort in SORTS else "views"
    return sorted(rows.values(), key=lambda r: (getattr(r, sort) or 0, r.views), reverse=True)


def _search_opens(pages, start, end):
    """(page id, query) for each time a search result opened one of these pages. Read
    through the model registry: the report works, showing less, without the search app."""
    try:
        SearchClick = apps.get_model("search", "SearchClick")
    except LookupError:
        return []
    by_url = {page.get_url(): page.pk for page in pages if page.get_url()}
    clicks = SearchClick.objects.filter(
        created_at__date__gte=start, created_at__date__lte=end
    ).values_list("url", "log__query")
    opened = ((by_url.get(url.split("#")[0]), query) for url, query in clicks.iterator())
    return [(page_id, query) for page_id, query in opened if page_id]


def daily_trend(start, end, language=None):
    """[(day, views, contact requests)] for every day of the range, zeros included."""
    rows = PageViewDay.objects.filter(day__gte=start, day__lte=end)
    if language:
        in_language = Page.objects.filter(locale__language_code=language)
        rows = rows.filter(page_id__in=list(in_language.values_list("pk", flat=True)))
    totals = defaultdict(lambda: (0, 0))
    for row in rows.values("day").annotate(v=Sum("views"), c=Sum("contact_requests")):
        totals[row["day"]] = (row["v"] or 0, row["c"] or 0)
    days = (end - start).days + 1
    return [(start + timedelta(days=i), *totals[start + timedelta(days=i)]) for i in range(days)]


def trend_points(trend, width=600, height=120):
    """SVG polyline points for views and contact requests over the range."""
    top = max([v for _d, v, _c in trend] + [1])
    step = width / max(len(trend) - 1, 1)

    def points(index):
        return " ".join(
            f"{i * step:.1f},{height - item[index] * height / top:.1f}"
            for i, item in enumerate(trend)
        )

    return {"views": points(1), "contacts": points(2), "top": top}


def most_often_ending_in_contact(limit=5, days=DEFAULT_DAYS):
    """Pages with the highest share of reads followed by a contact request (dashboard)."""
    end = timezone.localdate()
    rows = content_figures(end - timedelta(days=days - 1), end, sort="contact_rate")
    return [row for row in rows if row.contact_requests][:limit]


def csv_response(rows, start, end):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="content-{start}-{end}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read Hebrew titles as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        ["title", "language", "views", "contact_requests", "contact_rate", "votes",
         "helpful_ratio", "not_helpful_reasons", "search_opens", "searches"]
    )  # fmt: skip
    for row in rows:
        ratio = "" if row.helpful_ratio is None else f"{row.helpful_ratio:.2f}"
        writer.writerow(
            [row.title, row.language, row.views, row.contact_requests,
             f"{row.contact_rate:.3f}", row.votes, ratio, row.reason_text(), row.search_opens,
             row.search_text()]
        )  # fmt: skip
    return response


def content_report_view(request):
    """The report page (or its CSV with ?export=csv)."""
    if not may_see(request.user):
        raise PermissionDenied
    start, end = date_range(request.GET)
    language = request.GET.get("language") if request.GET.get("language") in {"en", "he"} else ""
    group = request.GET.get("group") if request.GET.get("group") in GROUPS else "page"
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "views"
    rows = content_figures(start, end, language or None, group, sort)
    if request.GET.get("export") == "csv":
        return csv_response(rows, start, end)
    trend = daily_trend(start, end, language or None)
    query = request.GET.copy()
    query.pop("sort", None)
    return render(
        request,
        "kb/content_report.html",
        {
            "rows": rows,
            "start": start,
            "end": end,
            "language": language,
            "group": group,
            "groups": GROUPS,
            "sort": sort,
            "base_query": query.urlencode(),
            "trend": trend,
            "chart": trend_points(trend),
            "total_views": sum(v for _d, v, _c in trend),
            "total_contacts": sum(c for _d, _v, c in trend),
        },
    )
