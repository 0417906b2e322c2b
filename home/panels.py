"""A read-only panel in the page editor: how customers find and rate this page.

The figures come from other apps through the ``help_page_search_health`` hook, so the page
models depend on none of them: each hook function takes the page and returns a list of
``(label, value)`` pairs, or nothing when it has no figures.
"""

from wagtail import hooks
from wagtail.admin.panels import Panel


def search_health_figures(page):
    figures = []
    for provider in hooks.get_hooks("help_page_search_health"):
        figures.extend(provider(page) or [])
    return figures


class SearchHealthPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "home/panels/search_health.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            # A page that has never been saved has no history to show.
            self.figures = search_health_figures(self.instance) if self.instance.pk else []

        def is_shown(self):
            return bool(self.figures) and super().is_shown()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["figures"] = self.figures
            return context
