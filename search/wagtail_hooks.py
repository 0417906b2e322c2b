from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import PromotedResult, SynonymGroup


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "link"
    menu_label = _("Synonyms")
    list_display = ["terms", "locale", "updated_at"]
    list_filter = ["locale"]
    search_fields = ["terms"]


class PromotedResultViewSet(SnippetViewSet):
    model = PromotedResult
    icon = "pick"
    menu_label = _("Promoted results")
    list_display = ["query", "page", "locale", "starts_at", "ends_at"]
    list_filter = ["locale"]
    search_fields = ["query"]


class SearchTuningGroup(SnippetViewSetGroup):
    menu_label = _("Search")
    menu_icon = "search"
    menu_order = 250
    items = (SynonymGroupViewSet, PromotedResultViewSet)


register_snippet(SearchTuningGroup)
