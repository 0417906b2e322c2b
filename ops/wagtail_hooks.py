"""Tells staff on the dashboard when queued background work is not being processed."""

from wagtail import hooks
from wagtail.admin.ui.components import Component

from . import queue


class WorkerStatusPanel(Component):
    """On the dashboard only while tasks wait and no worker has been seen lately."""

    name = "worker_status"
    template_name = "ops/worker_status_panel.html"
    order = 40

    def __init__(self, user):
        self.status = queue.worker_status() if user.is_superuser else None

    def render_html(self, parent_context=None):
        # A task queued a moment ago counts too: without a worker it will never run.
        stalled = self.status and not self.status["ok"] and self.status.get("waiting")
        return super().render_html(parent_context) if stalled else ""

    def get_context_data(self, parent_context=None):
        return {"minutes": max(1, round(self.status["oldest_waiting_seconds"] / 60))}


@hooks.register("construct_homepage_panels")
def add_worker_status_panel(request, panels):
    panels.append(WorkerStatusPanel(request.user))
