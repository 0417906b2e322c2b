"""The admin's view of remote search engines: reachable or not, how much index work waits,
whether searches are answered by the fallback; and a button to apply the waiting work."""

from django.conf import settings
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from . import outbox
from .engines import get_engine

MANAGE_PERMISSION = "search.change_indexoutboxentry"
REPLAY_SECONDS = 20.0  # a press of the button applies at most this long; the rest waits


def can_apply_index_work(user) -> bool:
    return bool(user and user.is_active and (user.is_superuser or user.has_perm(MANAGE_PERMISSION)))


def needs_attention(health: outbox.EngineHealth, now=None) -> bool:
    """Something staff should know: failing writes, fallback searches, or work left waiting."""
    now = now or timezone.now()
    stuck = health.oldest_pending_at and (now - health.oldest_pending_at).total_seconds() > 60
    return health.degraded or bool(stuck)


class IndexStatusView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "search/admin/index_status.html"
    page_title = _("Search index")
    header_icon = "search"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = []
        for health in outbox.health():
            try:
                engine = get_engine(health.engine)
                reachable = engine.ping()
            except Exception:  # noqa: BLE001 (a misconfigured engine is shown as unreachable)
                reachable = False
            rows.append({"health": health, "status": health.status, "reachable": reachable})
        outdated = [
            name for name in settings.SEARCH_ENGINES if not get_engine(name).schema_is_current()
        ]
        context.update(
            rows=rows, outdated=outdated, can_apply=can_apply_index_work(self.request.user)
        )
        return context

    def post(self, request, *args, **kwargs):
        if not can_apply_index_work(request.user):
            # A plain 403 (Wagtail would redirect to the dashboard).
            return HttpResponseForbidden(gettext("You may not apply search index updates."))
        applied = failed = 0
        for health in outbox.health():
            report = outbox.drain(health.engine, force=True, budget=REPLAY_SECONDS)
            applied, failed = applied + report.applied, failed + report.failed
        if failed:
            messages.error(
                request,
                ngettext(
                    "%(applied)d page updated; %(failed)d could not be, they stay pending.",
                    "%(applied)d pages updated; %(failed)d could not be, they stay pending.",
                    applied,
                )
                % {"applied": applied, "failed": failed},
            )
        else:
            messages.success(
                request,
                ngettext("%(applied)d page updated.", "%(applied)d pages updated.", applied)
                % {"applied": applied},
            )
        return redirect(reverse("search_index_status"))


class IndexStatusPanel(Component):
    """On the dashboard only while something is wrong with a remote engine."""

    name = "search_index_status"
    template_name = "search/admin/index_status_panel.html"
    order = 60

    def __init__(self):
        self.rows = [h for h in outbox.health() if needs_attention(h)]

    def render_html(self, parent_context=None):
        return super().render_html(parent_context) if self.rows else ""

    def get_context_data(self, parent_context=None):
        return {"rows": self.rows}
