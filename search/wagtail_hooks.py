from functools import partial

from django.contrib.auth.models import Permission
from django.urls import include, path, reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import PromotedResult, SynonymGroup
from .reports import urls as insights_urls
from .reports.access import can_view_insights
from .reports.panels import FailedSearchesPanel


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
    # Not plain "Search": the admin's own search box already carries that name.
    menu_label = _("Search tuning")
    menu_icon = "search"
    menu_order = 250
    items = (SynonymGroupViewSet, PromotedResultViewSet)

    def get_submenu_items(self):
        # The shipped everyday wordings, read-only, beside the synonyms staff add.
        return [
            *super().get_submenu_items(),
            MenuItem(
                _("Everyday wordings"),
                reverse_lazy("search_variants"),
                name="everyday-wordings",
                icon_name="link",
                order=300,
            ),
        ]


register_snippet(SearchTuningGroup)


# Search insights: the managers' reports under /admin/reports/ and the dashboard panel.
class InsightsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_insights(request.user)


@hooks.register("register_admin_urls")
def register_variants_url():
    from .variants_admin import VariantListView

    return [path("search-variants/", VariantListView.as_view(), name="search_variants")]


@hooks.register("register_admin_urls")
def register_insights_urls():
    return [path("reports/", include(insights_urls, namespace="search_insights"))]


INSIGHTS_REPORTS = [
    ("failed-searches", _("Failed searches"), "search_insights:failed"),
    ("searches-without-click", _("Searches without a click"), "search_insights:no_click"),
    ("top-searches", _("Top searches"), "search_insights:top"),
    ("search-trends", _("Search trends"), "search_insights:trends"),
]


def _insights_menu_item(position):
    name, label, url_name = INSIGHTS_REPORTS[position]
    return InsightsMenuItem(
        label, reverse(url_name), name=name, icon_name="search", order=1310 + position
    )


for _position in range(len(INSIGHTS_REPORTS)):
    hooks.register("register_reports_menu_item", partial(_insights_menu_item, _position))


@hooks.register("construct_homepage_panels")
def add_failed_searches_panel(request, panels):
    panels.append(FailedSearchesPanel())


@hooks.register("register_permissions")
def register_insights_permission():
    return Permission.objects.filter(
        content_type__app_label="search", codename="view_search_insights"
    )


# Remote search engines (Elasticsearch): index status and pending work, for staff.
class IndexStatusMenuItem(MenuItem):
    def is_shown(self, request):
        from .engines import remote_engine_names

        return bool(remote_engine_names())


@hooks.register("register_admin_urls")
def register_index_status_url():
    from .index_status import IndexStatusView

    return [path("search-index/", IndexStatusView.as_view(), name="search_index_status")]


@hooks.register("register_reports_menu_item")
def register_index_status_menu_item():
    return IndexStatusMenuItem(
        _("Search index"),
        reverse("search_index_status"),
        name="search-index",
        icon_name="search",
        order=1400,
    )


@hooks.register("construct_homepage_panels")
def add_index_status_panel(request, panels):
    from .index_status import IndexStatusPanel

    panels.append(IndexStatusPanel())
