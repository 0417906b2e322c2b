from wagtail.admin.ui.components import Component

from .freshness import due_for_owner, is_overdue

DASHBOARD_LIMIT = 10


class DueForReviewPanel(Component):
    """The editor's own help pages whose review date has passed or is near."""

    name = "due_for_review"
    template_name = "editorial/dashboard_due_for_review.html"
    order = 120

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        pages = list(due_for_owner(request.user, limit=DASHBOARD_LIMIT))
        for page in pages:
            page.overdue = is_overdue(page)
        return {"pages": pages, "request": request}
