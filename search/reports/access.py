"""Who may see the search reports and apply their fixes."""

from django.template.response import TemplateResponse

PERMISSION = "search.view_search_insights"
# The group whose members hold it; created once, by migrations/0004_search_managers_group.
SEARCH_MANAGERS = "Search managers"


def can_view_insights(user):
    return bool(user and user.is_active and (user.is_superuser or user.has_perm(PERMISSION)))


class InsightsAccessMixin:
    """Answers everyone else with 403 Forbidden. (Raising PermissionDenied would not do: the
    admin turns it into a redirect to the dashboard, which hides that access was refused.)"""

    def dispatch(self, request, *args, **kwargs):
        if not can_view_insights(request.user):
            return TemplateResponse(request, "search/reports/forbidden.html", status=403)
        return super().dispatch(request, *args, **kwargs)
