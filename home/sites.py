"""The request's Wagtail site and its home page in each language, looked up once per process.

Wagtail finds the site with a query per request and every public page then asks for the home
pages of its languages (the header, the language switcher). Both change only when pages or
sites do, so each thread of a server process keeps them under the content generation
(home.fragments) and at most FRAGMENT_CACHE_SECONDS, like the page fragments. Per thread,
not per process: Wagtail's page objects fill in their own attributes as they are used
(``specific``), which two threads must not do at once to one object.
"""

import threading
import time

from django.conf import settings
from django.http.request import split_domain_port
from wagtail.models import Site

from . import fragments

_local = threading.local()
_MAX_KEPT = 256  # host names a process remembers (a flood of made-up hosts stays bounded)


def _remembered(key, compute):
    kept = getattr(_local, "kept", None)
    if kept is None:
        kept = _local.kept = {}
    generation, now = fragments.generation(), time.monotonic()
    entry = kept.get(key)
    if entry is not None and entry[0] == generation and now < entry[1]:
        return entry[2]
    value = compute()
    if len(kept) >= _MAX_KEPT:
        kept.clear()
    kept[key] = (generation, now + settings.FRAGMENT_CACHE_SECONDS, value)
    return value


def site_for(request):
    """The site answering ``request`` (Wagtail's own rules), kept on the request as Wagtail
    keeps it, so its routing and ``Site.find_for_request`` use it too."""
    if request is None:
        return None
    if not hasattr(request, "_wagtail_site"):
        host = split_domain_port(request._get_raw_host())[0]
        request._wagtail_site = _remembered(
            ("site", host, request.get_port()), lambda: Site._find_for_request(request)
        )
    return request._wagtail_site


def home_pages(request) -> dict:
    """{language code: live home page} of the request's site."""
    site = site_for(request)
    if site is None or not site.root_page_id:
        return {}

    def find():
        root = site.root_page
        translations = root.get_translations(inclusive=True).live().select_related("locale")
        return {page.locale.language_code: page for page in translations}

    return _remembered(("homes", site.pk), find)


class SiteMiddleware:
    """Finds the site before anything else asks for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        site_for(request)
        return self.get_response(request)
