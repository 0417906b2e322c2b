"""The help center's own "not found" and "something went wrong" pages, in every mode.

With DEBUG off Django already renders templates/404.html and 500.html. With DEBUG on it shows
its technical pages instead, so a customer trying the site in development (``make run``) would
meet them; this middleware keeps the branded pages on public addresses there too. Staff and
machine addresses (admin, APIs, files) keep Django's own answers. A 500 is still logged with
its traceback.
"""

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger("django.request")

# Exceptions Django turns into their own 4xx answers (the 404 is branded above).
HANDLED = (Http404, PermissionDenied, SuspiciousOperation, BadRequest)
NOT_PUBLIC = ("/admin/", "/django-admin/", "/api/", "/static/", "/media/", "/documents/")


def _public_html(request):
    return not request.path.startswith(NOT_PUBLIC)


class BrandedErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and _public_html(request)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return render(request, "404.html", {"request_path": request.path}, status=404)
        return response

    def process_exception(self, request, exception):
        if not settings.DEBUG or not _public_html(request) or isinstance(exception, HANDLED):
            return None
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return HttpResponseServerError(loader.get_template("500.html").render())
