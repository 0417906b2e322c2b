from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ServiceAnnouncement


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


@hooks.register("insert_global_admin_js")
def content_direction_js():
    return format_html('<script src="{}" defer></script>', static("js/admin-direction.js"))
