"""The search reports: failed searches, searches without a click, top searches, trends."""

import datetime

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.views.reports import ReportView

from home.admin_access import SpreadsheetCsvMixin

from .. import redaction
from ..models import SearchTerm
from . import queries, rollup
from .access import InsightsAccessMixin
from .charts import trend_chart
from .filters import FailedSearchFilterSet, PeriodFilterSet, TopSearchesFilterSet

LANGUAGE_NAMES = dict(settings.LANGUAGES)
CSV = SpreadsheetExportMixin.FORMAT_CSV
XLSX = SpreadsheetExportMixin.FORMAT_XLSX


def csv_safe(value):
    """Spreadsheet programs run a cell starting with = + - @ as a formula; customers typed
    these cells, so such a cell is quoted as text. Redacted again on the way out, so that
    wordings logged before redaction covered their form never leave in a file."""
    value = redaction.redact(value)
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_datetime(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def percent(value):
    return "" if value is None else f"{value * 100:.0f}%"


def ratio_cell(value):
    return "" if value is None else round(value, 4)


RATIO_EXPORT = {CSV: ratio_cell, XLSX: ratio_cell}


def language_name(term):
    return LANGUAGE_NAMES.get(term.locale, term.locale)


def term_url(term):
    return reverse("search_insights:term", args=[term.pk])


class InsightsReportView(InsightsAccessMixin, SpreadsheetCsvMixin, ReportView):
    """A report over the daily roll-up, filtered by a period and a language."""

    header_icon = "search"
    filterset_class = PeriodFilterSet
    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        datetime.datetime: {
            **SpreadsheetExportMixin.custom_value_preprocess[datetime.datetime],
            CSV: csv_datetime,
        },
        str: {CSV: csv_safe, XLSX: redaction.redact},
    }

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "queryset": SearchTerm.objects.none()}

    @cached_property
    def period(self):
        return self.filters.period()

    @cached_property
    def filters_invalid(self):
        return not self.filters.is_valid()

    def figures(self):
        raise NotImplementedError

    def get_queryset(self):
        rollup.refresh()
        return self.order_queryset(self.figures())

    def filter_queryset(self, queryset):
        return queryset  # applied while summing, in figures()

    def order_queryset(self, queryset):
        # A tie-breaker keeps rows from moving between pages.
        return queryset.order_by(self.ordering, "pk") if self.ordering else queryset

    def get_page_subtitle(self):
        period = self.period
        text = f"{formats.date_format(period.start)} – {formats.date_format(period.end)}"
        if period.locale:
            text += f", {LANGUAGE_NAMES.get(period.locale, period.locale)}"
        # Figures are rolled up at most once a minute: say how fresh they are.
        as_of = formats.time_format(timezone.localtime(rollup.figures_as_of()), "H:i")
        return gettext("%(period)s; figures up to %(time)s") % {"period": text, "time": as_of}

    def get(self, request, *args, **kwargs):
        if self.filters_invalid and self.is_export:
            return HttpResponseBadRequest(gettext("The report's filters are not valid."))
        return super().get(request, *args, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.filters_invalid:
            response.status_code = 400  # the form shows what is wrong
        return response


class FailedSearchReportView(InsightsReportView):
    page_title = _("Failed searches")
    filterset_class = FailedSearchFilterSet
    index_url_name = "search_insights:failed"
    index_results_url_name = "search_insights:failed_results"
    default_ordering = "-failed_count"
    export_filename = "failed-searches"
    columns = [
        TitleColumn("display", label=_("Search"), get_url=term_url),
        Column("samples_text", label=_("Sample wordings")),
        Column("language", label=_("Language"), accessor=language_name),
        NumberColumn("failed_count", label=_("Failed searches"), sort_key="failed_count"),
        NumberColumn("sessions", label=_("Visitors"), sort_key="sessions"),
        DateColumn("first_seen", label=_("First seen"), sort_key="first_seen"),
        DateColumn("last_seen", label=_("Last seen"), sort_key="last_seen"),
        StatusTagColumn("status_label", label=_("Status"), primary=lambda t: t.status == t.OPEN),
    ]
    list_export = [
        "display",
        "normalized",
        "locale",
        "failed_count",
        "sessions",
        "first_seen",
        "last_seen",
        "samples_text",
        "status_label",
        "fix_note",
    ]
    export_headings = {
        "display": _("Search"),
        "normalized": _("Normalised query"),
        "locale": _("Language"),
        "failed_count": _("Failed searches"),
        "sessions": _("Visitors"),
        "first_seen": _("First seen"),
        "last_seen": _("Last seen"),
        "samples_text": _("Sample wordings"),
        "status_label": _("Status"),
        "fix_note": _("Fix"),
    }

    def figures(self):
        return queries.failed_terms(self.period, self.filters.chosen_status())


class NoClickReportView(InsightsReportView):
    page_title = _("Searches without a click")
    index_url_name = "search_insights:no_click"
    index_results_url_name = "search_insights:no_click_results"
    default_ordering = "-no_click_count"
    export_filename = "searches-without-click"
    columns = [
        TitleColumn("display", label=_("Search"), get_url=term_url),
        Column("samples_text", label=_("Sample wordings")),
        Column("language", label=_("Language"), accessor=language_name),
        NumberColumn("no_click_count", label=_("Results, no click"), sort_key="no_click_count"),
        NumberColumn("with_results", label=_("Searches with results"), sort_key="with_results"),
        Column(
            "no_click_rate",
            label=_("Share without a click"),
            sort_key="no_click_rate",
            accessor=lambda t: percent(t.no_click_rate),
        ),
        DateColumn("last_seen", label=_("Last seen"), sort_key="last_seen"),
    ]
    list_export = [
        "display",
        "normalized",
        "locale",
        "no_click_count",
        "with_results",
        "no_click_rate",
        "last_seen",
        "samples_text",
    ]
    custom_field_preprocess = {"no_click_rate": RATIO_EXPORT}
    export_headings = {
        "display": _("Search"),
        "normalized": _("Normalised query"),
        "locale": _("Language"),
        "no_click_count": _("Results, no click"),
        "with_results": _("Searches with results"),
        "no_click_rate": _("Share without a click"),
        "last_seen": _("Last seen"),
        "samples_text": _("Sample wordings"),
    }

    def figures(self):
        return queries.no_click_terms(self.period)


class TopSearchesReportView(InsightsReportView):
    page_title = _("Top searches")
    filterset_class = TopSearchesFilterSet
    index_url_name = "search_insights:top"
    index_results_url_name = "search_insights:top_results"
    default_ordering = "-searches"
    export_filename = "top-searches"
    columns = [
        TitleColumn("display", label=_("Search"), get_url=term_url),
        Column("language", label=_("Language"), accessor=language_name),
        NumberColumn("searches", label=_("Searches"), sort_key="searches"),
        NumberColumn("sessions", label=_("Visitors"), sort_key="sessions"),
        NumberColumn("failed_count", label=_("No results"), sort_key="failed_count"),
        NumberColumn("clicked", label=_("With a click"), sort_key="clicked"),
        Column(
            "ctr", label=_("Click-through rate"), sort_key="ctr", accessor=lambda t: percent(t.ctr)
        ),
        NumberColumn("answered", label=_("Answered directly"), sort_key="answered"),
        NumberColumn(
            "answered_clicked", label=_("Answered, then opened"), sort_key="answered_clicked"
        ),
    ]
    list_export = [
        "display",
        "normalized",
        "locale",
        "searches",
        "sessions",
        "failed_count",
        "clicked",
        "ctr",
        "answered",
        "answered_clicked",
    ]
    custom_field_preprocess = {"ctr": RATIO_EXPORT}
    export_headings = {
        "display": _("Search"),
        "normalized": _("Normalised query"),
        "locale": _("Language"),
        "searches": _("Searches"),
        "sessions": _("Visitors"),
        "failed_count": _("No results"),
        "clicked": _("With a click"),
        "ctr": _("Click-through rate"),
        "answered": _("Answered directly"),
        "answered_clicked": _("Answered, then opened"),
    }

    def figures(self):
        return queries.top_terms(self.period, self.filters.chosen_answered())


class SearchTrendsView(InsightsReportView):
    """Searches per day and the share that failed, as a chart and a table."""

    page_title = _("Search trends")
    index_url_name = "search_insights:trends"
    index_results_url_name = "search_insights:trends_results"
    results_template_name = "search/reports/trends_results.html"
    export_filename = "search-trends"
    paginate_by = None
    columns = [
        Column("date", label=_("Date"), accessor=lambda row: formats.date_format(row["date"])),
        NumberColumn("searches", label=_("Searches")),
        NumberColumn("failed", label=_("No results")),
        Column(
            "failure_rate",
            label=_("Failure rate"),
            accessor=lambda row: percent(row["failure_rate"]),
        ),
        NumberColumn("no_click", label=_("Results, no click")),
        Column("ctr", label=_("Click-through rate"), accessor=lambda row: percent(row["ctr"])),
    ]
    list_export = ["date", "searches", "failed", "failure_rate", "no_click", "clicked", "ctr"]
    export_headings = {
        "date": _("Date"),
        "searches": _("Searches"),
        "failed": _("No results"),
        "failure_rate": _("Failure rate"),
        "no_click": _("Results, no click"),
        "clicked": _("With a click"),
        "ctr": _("Click-through rate"),
    }
    custom_field_preprocess = {"failure_rate": RATIO_EXPORT, "ctr": RATIO_EXPORT}

    def get_queryset(self):
        rollup.refresh()
        return queries.trend(self.period)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["chart"] = trend_chart(context["object_list"])
        return context
