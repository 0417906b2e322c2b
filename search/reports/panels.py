"""The admin dashboard panel: this week's most frequent failed searches."""

from django.conf import settings
from wagtail.admin.ui.components import Component

from . import queries, rollup
from .access import can_view_insights


class FailedSearchesPanel(Component):
    name = "failed_searches"
    template_name = "search/reports/dashboard_panel.html"
    order = 150

    def render_html(self, parent_context=None):
        if not can_view_insights(parent_context["request"].user):
            return ""
        return super().render_html(parent_context)

    def get_context_data(self, parent_context=None):
        rollup.refresh()
        languages = dict(settings.LANGUAGES)
        return {
            "rows": [
                {"term": term, "language": languages.get(term.locale, term.locale)}
                for term in queries.top_failed_this_week()
            ]
        }
