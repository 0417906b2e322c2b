"""The filters every report offers: a date range and a language (and a status for failures).

The filter sets only validate and display the choices; the figures are filtered while they
are summed (see ``queries``), since a date filter applied after summing would be wrong.
"""

from datetime import timedelta

import django_filters
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from ..models import SearchTerm
from .queries import DEFAULT_DAYS, Period

# Longer ranges are cut to this: no report needs more, and the trend chart stays readable.
MAX_DAYS = 3 * 366
ANY_STATUS = "all"


class PeriodFilterSet(WagtailFilterSet):
    date = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=settings.LANGUAGES, empty_label=_("All languages")
    )

    class Meta:
        model = SearchTerm
        fields = []

    def period(self):
        """The period asked for: the last DEFAULT_DAYS days unless dates were given."""
        data = self.form.cleaned_data if self.is_valid() else {}
        dates = data.get("date")
        today = timezone.localdate()
        end = dates.stop.date() if dates and dates.stop else today
        start = (
            dates.start.date() if dates and dates.start else end - timedelta(days=DEFAULT_DAYS - 1)
        )
        if start > end:
            start, end = end, start
        start = max(start, end - timedelta(days=MAX_DAYS - 1))
        return Period(start, end, data.get("language") or None)


class FailedSearchFilterSet(PeriodFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[*SearchTerm.STATUSES, (ANY_STATUS, _("Any status"))],
        empty_label=None,
    )

    def chosen_status(self):
        """Open terms unless another status was asked for; None means any."""
        value = (self.form.cleaned_data.get("status") if self.is_valid() else "") or SearchTerm.OPEN
        return None if value == ANY_STATUS else value


class TopSearchesFilterSet(PeriodFilterSet):
    answered = django_filters.ChoiceFilter(
        label=_("Answered directly"),
        choices=[("yes", _("Answered directly")), ("no", _("Never answered directly"))],
        empty_label=_("All searches"),
    )

    def chosen_answered(self):
        """True or False to keep only the terms answered (or never answered) directly."""
        value = self.form.cleaned_data.get("answered") if self.is_valid() else ""
        return {"yes": True, "no": False}.get(value)
