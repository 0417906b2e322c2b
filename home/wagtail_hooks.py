"""Hooks of the shared base: help pages read (and kept whole for cookieless readers),
announcements, content direction, rich-text features."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.rich_text.converters.editor_html import WhitelistRule
from wagtail.admin.rich_text.converters.html_to_contentstate import InlineStyleElementHandler
from wagtail.admin.rich_text.editors.draftail import features as draftail_features
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail.whitelist import allow_without_attributes

from . import page_cache
from .contact_details import ContactDetails
from .erasure_views import ErasePersonalDataView, can_erase
from .models import HelpPage, ServiceAnnouncement


class ServiceAnnouncementViewSet(SnippetViewSet):
    model = ServiceAnnouncement
    icon = "warning"
    menu_label = _("Service announcements")
    list_display = [
        "message",
        Column("severity", label=_("Severity"), accessor="get_severity_display"),
        "starts_at",
        "ends_at",
        BooleanColumn("live_now", label=_("Live now"), accessor="is_active"),
        Column("locale", label=_("Language"), accessor=lambda a: a.locale.get_display_name()),
    ]
    list_filter = ["severity", "locale"]
    search_fields = ["message"]


register_snippet(ServiceAnnouncementViewSet)
register_snippet(ContactDetails)


@hooks.register("before_serve_page")
def count_reads_and_offer_to_cache(page, request, serve_args, serve_kwargs):
    """A help page read is counted and remembered by the visit; any public page may be kept
    whole for the next cookieless reader (home/page_cache.py)."""
    is_help_page = isinstance(page, HelpPage)
    if is_help_page:
        page_cache.page_read(request, page)
    page_cache.offer(request, page, is_help_page)


@hooks.register("insert_global_admin_js")
def content_direction_js():
    return format_html('<script src="{}" defer></script>', static("js/admin-direction.js"))


@hooks.register("register_rich_text_features")
def register_keyboard_key_feature(features):
    """``kbd``: a key to press, shown as a key cap ("press Ctrl + Enter")."""
    features.register_editor_plugin(
        "draftail",
        "kbd",
        draftail_features.InlineStyleFeature(
            {"type": "KEYBOARD", "label": "⌨", "description": str(_("Keyboard key"))}
        ),
    )
    features.register_converter_rule(
        "contentstate",
        "kbd",
        {
            "from_database_format": {"kbd": InlineStyleElementHandler("KEYBOARD")},
            "to_database_format": {"style_map": {"KEYBOARD": "kbd"}},
        },
    )
    features.register_converter_rule(
        "editorhtml", "kbd", [WhitelistRule("kbd", allow_without_attributes)]
    )


@hooks.register("register_rich_text_features")
def register_code_whitelist(features):
    # Wagtail registers inline code for the editor only; the database-HTML cleaner used
    # by the Markdown import needs the rule too.
    features.register_converter_rule(
        "editorhtml", "code", [WhitelistRule("code", allow_without_attributes)]
    )


class ErasureMenuItem(MenuItem):
    def is_shown(self, request):
        return can_erase(request.user)


@hooks.register("register_admin_urls")
def register_erasure_url():
    return [
        path("erase-personal-data/", ErasePersonalDataView.as_view(), name="erase_personal_data")
    ]


@hooks.register("register_settings_menu_item")
def register_erasure_menu_item():
    return ErasureMenuItem(
        _("Erase personal data"), reverse("erase_personal_data"), icon_name="bin", order=900
    )
