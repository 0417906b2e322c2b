"""The shipped variant list, shown to staff in the admin beside the synonyms they add."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from . import variants

LANGUAGE_NAMES = {"en": _("English"), "he": _("Hebrew")}


class VariantListView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "search/admin/variants.html"
    page_title = _("Everyday wordings")
    header_icon = "link"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            languages=[
                {"code": c, "name": LANGUAGE_NAMES.get(c, c), "groups": variants.groups(c)}
                for c in variants.languages()
            ],
            add_synonym_url=reverse("wagtailsnippets_search_synonymgroup:add"),
            **kwargs,
        )
