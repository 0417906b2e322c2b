"""A clear "no access" for staff who open an admin page their role does not include.

Wagtail answers a refused admin view with a redirect to the dashboard and a passing message,
which hides what happened (and reads as a broken link); these views answer 403 and say who
may see the page instead.
"""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _


class ForbiddenResponseMixin:
    forbidden_message = _("Your role does not include this page. Ask an administrator.")

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return TemplateResponse(
                request,
                "home/admin/forbidden.html",
                {"message": self.forbidden_message},
                status=403,
            )


class SpreadsheetCsvMixin:
    """CSV exports that spreadsheet programs open in the right encoding: without a byte order
    mark, Excel reads UTF-8 as the local code page and Hebrew comes out garbled."""

    def stream_csv(self, queryset):
        yield "\ufeff"
        yield from super().stream_csv(queryset)
