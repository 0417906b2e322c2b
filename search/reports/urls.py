"""Admin URLs of the search reports, under /admin/reports/ (see search.wagtail_hooks)."""

from django.urls import path

from .term_views import SearchTermFixView, SearchTermView
from .views import (
    FailedSearchReportView,
    NoClickReportView,
    SearchTrendsView,
    TopSearchesReportView,
)

app_name = "search_insights"


def _report(prefix, view, name):
    return [
        path(f"{prefix}/", view.as_view(), name=name),
        path(f"{prefix}/results/", view.as_view(results_only=True), name=f"{name}_results"),
    ]


urlpatterns = [
    *_report("failed-searches", FailedSearchReportView, "failed"),
    *_report("searches-without-click", NoClickReportView, "no_click"),
    *_report("top-searches", TopSearchesReportView, "top"),
    *_report("search-trends", SearchTrendsView, "trends"),
    path("failed-searches/<int:pk>/", SearchTermView.as_view(), name="term"),
    *(
        path(
            f"failed-searches/<int:pk>/{action}/",
            SearchTermFixView.as_view(action=action),
            name=action,
        )
        for action in SearchTermFixView.FIXES
    ),
]
