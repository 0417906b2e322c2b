"""Whole public pages kept for readers who bring nothing of their own.

A Wagtail page costs tens of milliseconds to route and render (the site, the page tree, the
translations, the template); the same page for every cookieless reader is the common case
(first visits, links from search engines, a CDN in front). Such a response is kept in the
cache under the content generation (home.fragments), so publishing replaces it at once in
the cache this process uses and, with the per-process default, other processes keep it at
most FRAGMENT_CACHE_SECONDS.

Only a request that can carry nothing personal is served from here: GET, no cookie but the
CSRF and language ones (no session, no visit memory, no messages). Only a response that says
nothing personal is kept: a 200 from a public page that sets no cookie, does not vary by
cookie and wrote nothing to the session. The CSRF token of a page's forms (help pages ask
"Was this helpful?") is kept as a placeholder and each reader gets a token of their own, as
rendering would give them. A kept help page still counts as read, and the visit still
remembers it, exactly as if it had been rendered.
"""

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils.cache import cc_delim_re, get_max_age
from django.utils.translation import get_language

from . import fragments, page_views, visit

_NEUTRAL_COOKIES = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Link")
_OFFER = "_page_cache_offer"
_TOKEN_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
_ANY_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
_TOKEN_PLACEHOLDER = b"page-cache-csrf-token-7f3a"


@dataclass(frozen=True)
class ReadPage:
    """What counting a read of a help page needs, kept with its response."""

    pk: int
    title: str
    url: str

    def get_url(self, request=None):
        return self.url


def eligible(request) -> bool:
    return request.method == "GET" and set(request.COOKIES) <= _NEUTRAL_COOKIES


def page_read(request, page) -> None:
    """A customer opened a help page: the visit remembers it and the day's count grows."""
    visit.record_page(request, page)
    if not page_views.is_bot(request):
        page_views.record_page_view(page)


def offer(request, page, is_help_page: bool) -> None:
    """Called as a public page is served: its response may be kept if nothing in it turns
    out to be personal. Pages behind a login or a password never are."""
    if eligible(request) and not page.get_view_restrictions().exists():
        read = ReadPage(page.pk, page.title, page.get_url(request) or "") if is_help_page else None
        setattr(request, _OFFER, {"read": read})


def _key(request) -> str:
    # The address hashed: a long query string would make a key no cache server takes.
    where = f"{get_language() or ''}:{request.get_host()}:{request.get_full_path()}"
    digest = hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()
    return f"page-cache:{fragments.generation()}:{digest}"


def _kept_content(request, response) -> bytes | None:
    """What to keep of ``response`` (its CSRF token as a placeholder), or None."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", ""))}
    control = response.get("Cache-Control", "").lower()
    personal = "private" in control or "no-store" in control or get_max_age(response) == 0
    # A cookieless reader's session is empty (reading it, as the user bar does, says nothing
    # about them); one that was written to is theirs.
    session = getattr(request, "session", None)
    if personal or {"cookie", "*"} & vary or (session is not None and session.modified):
        return None
    content = response.content
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        # One render, one token (Django's template context asks once) in the forms' fields.
        # Two, or another masking of this reader's secret anywhere else (a separately
        # rendered part), and the page is not kept: it would hand their secret to others.
        tokens = set(_TOKEN_FIELD.findall(content))
        if len(tokens) != 1:
            return None
        content = content.replace(tokens.pop(), _TOKEN_PLACEHOLDER)
        if _holds_secret(content, request.META.get("CSRF_COOKIE", "")):
            return None
    return content


def _holds_secret(content: bytes, secret: str) -> bool:
    return any(
        _unmask_cipher_token(found.decode()) == secret for found in _ANY_TOKEN.findall(content)
    )


class PageCacheMiddleware:
    """Answers from the cache when it can; keeps what a page offered (see ``offer``). It
    sits last, after the language is chosen from the address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not eligible(request):
            return self.get_response(request)
        key = _key(request)
        kept = cache.get(key)
        if kept is not None:
            content, headers, read = kept
            if read is not None:
                page_read(request, read)
            if _TOKEN_PLACEHOLDER in content:
                content = content.replace(_TOKEN_PLACEHOLDER, get_token(request).encode())
            return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        offered = getattr(request, _OFFER, None)
        content = _kept_content(request, response) if offered is not None else None
        if content is not None:
            headers = {h: response[h] for h in _KEPT_HEADERS if h in response}
            cache.set(key, (content, headers, offered["read"]), settings.FRAGMENT_CACHE_SECONDS)
        return response
