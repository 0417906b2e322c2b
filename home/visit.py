"""What a customer did in this visit: searches, help pages read, and the "not helpful" they
gave. The contact form starts from it so nobody has to retype, shows it, and lets them clear it.

It travels in a signed cookie, not a server session: reading and searching write nothing on
the server. The cookie holds only short recent lists (searches already redacted by the
caller), stays under MAX_COOKIE_BYTES, and expires VISIT_SECONDS after the last change.
It also carries the visit's anonymous id (random, says nothing about who they are) and the
keys of its recent searches, so that the search log ties a visit's searches and clicks.
"""

import secrets
import time

from django.conf import settings
from django.core import signing
from django.utils import translation
from django.utils.translation import gettext

COOKIE = "help_visit"
SALT = "home.visit"
VISIT_SECONDS = 3 * 3600
MAX_COOKIE_BYTES = 3000
MAX_SEARCHES = 8
MAX_PAGES = 8
MAX_FEEDBACK = 20
MAX_SEARCH_KEYS = 8
MAX_TEXT = 200


class Visit(dict):
    """The cookie's content; ``changed`` says whether the response must send it again."""

    changed = False
    cleared = False


def _load(request):
    try:
        data = signing.loads(request.COOKIES.get(COOKIE, ""), salt=SALT, max_age=VISIT_SECONDS)
    except (signing.BadSignature, ValueError, TypeError):
        data = {}
    visit = Visit(data if isinstance(data, dict) else {})
    for name, empty in (("searches", []), ("pages", []), ("feedback", {}), ("keys", {})):
        if not isinstance(visit.get(name), type(empty)):
            visit[name] = empty
    if not isinstance(visit.get("id"), str):
        visit["id"] = ""
    return visit


def _visit(request):
    if request is None:
        return None
    visit = getattr(request, "_help_visit", None)
    if visit is None:
        visit = request._help_visit = _load(request)
    return visit


def _save(request, visit):
    visit.changed = True


def encoded(visit):
    """The cookie value: signed (so it cannot be forged), trimmed oldest first to fit."""
    data = {k: visit[k] for k in ("id", "searches", "pages", "feedback", "keys")}
    value = _signed(data)
    while len(value) > MAX_COOKIE_BYTES:
        longest = max(("searches", "pages", "feedback", "keys"), key=lambda k: len(data[k]))
        if not data[longest]:
            break
        if isinstance(data[longest], dict):
            data[longest].pop(next(iter(data[longest])))
        else:
            data[longest] = data[longest][1:]
        value = _signed(data)
    return value


COMPRESS_FROM_BYTES = 600


def _signed(data):
    """Compressed only when long: a short visit (a first search) gains little from it, and
    zlib sets up its whole window for every cookie, a few hundredths of a millisecond."""
    value = signing.dumps(data, salt=SALT)
    return (
        value if len(value) < COMPRESS_FROM_BYTES else signing.dumps(data, salt=SALT, compress=True)
    )


class VisitCookieMiddleware:
    """Sends the visit cookie back when a view changed the visit (or deletes it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        visit = getattr(request, "_help_visit", None)
        if visit is not None and visit.cleared:
            response.delete_cookie(COOKIE, samesite="Lax")
        elif visit is not None and visit.changed:
            response.set_cookie(
                COOKIE,
                encoded(visit),
                max_age=VISIT_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def visitor_id(request, create=True):
    """This visit's anonymous id ("" when it has none and ``create`` is false)."""
    visit = _visit(request)
    if visit is None:
        return ""
    if not visit["id"] and create:
        visit["id"] = secrets.token_hex(16)
        _save(request, visit)
    return visit["id"]


def search_key(request, fingerprint, within_seconds):
    """The key this visit gave a search with that fingerprint within the last
    ``within_seconds``, or None."""
    visit = _visit(request)
    entry = visit["keys"].get(fingerprint) if visit else None
    if isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str):
        if isinstance(entry[1], int) and time.time() - entry[1] <= within_seconds:
            return entry[0]
    return None


def remember_search_key(request, fingerprint, key):
    """Remember (and refresh) the key of this visit's search with that fingerprint."""
    visit = _visit(request)
    if visit is None:
        return
    keys = visit["keys"]
    keys.pop(fingerprint, None)
    keys[fingerprint] = [key, int(time.time())]
    while len(keys) > MAX_SEARCH_KEYS:
        keys.pop(next(iter(keys)))
    _save(request, visit)


def _in_language(page, label):
    with translation.override(page.locale.language_code):
        return str(label())


def _recent(items, item, key, limit):
    """``items`` with ``item`` moved (or added) to the end, at most ``limit`` long."""
    kept = [i for i in items if key(i) != key(item)]
    return [*kept, item][-limit:]


def record_search(request, text):
    """Remember a search the customer ran (the cleaned query as searched)."""
    text = " ".join((text or "").split())[:MAX_TEXT]
    visit = _visit(request)
    if not text or visit is None:
        return
    if visit["searches"][-1:] == [text]:
        return
    visit["searches"] = _recent(visit["searches"], text, str.casefold, MAX_SEARCHES)
    _save(request, visit)


def record_page(request, page):
    """Remember a help page the customer opened."""
    visit = _visit(request)
    if visit is None:
        return
    entry = {"id": page.pk, "title": page.title[:MAX_TEXT], "url": page.get_url(request) or ""}
    if visit["pages"][-1:] == [entry]:
        return
    visit["pages"] = _recent(visit["pages"], entry, lambda p: p.get("id"), MAX_PAGES)
    _save(request, visit)


def record_feedback(request, page, feedback):
    """Remember the feedback this visit gave on ``page`` (one per page; a new vote replaces it)."""
    visit = _visit(request)
    if visit is None:
        return
    entries = visit["feedback"]
    entries.pop(str(page.pk), None)
    entries[str(page.pk)] = {
        "id": feedback.pk,
        "helpful": feedback.helpful,
        "reason": feedback.reason,
        # The label in the page's language (the JSON API has no language in its address), so
        # this module needs no feedback model.
        "reason_label": _in_language(page, feedback.get_reason_display) if feedback.reason else "",
        "step": feedback.step,
        "steps": page.step_count(),
        "title": page.title[:MAX_TEXT],
        "url": page.get_url(request) or "",
    }
    while len(entries) > MAX_FEEDBACK:
        entries.pop(next(iter(entries)))
    _save(request, visit)


def feedback_for(request, page_id):
    """The feedback this visit gave on a page, as remembered: a dict, or None."""
    visit = _visit(request)
    return visit["feedback"].get(str(page_id)) if visit else None


def owns_feedback(request, feedback_id):
    """Whether this visit gave the feedback with that id (so it may add a reason to it)."""
    visit = _visit(request)
    return bool(visit) and any(e.get("id") == feedback_id for e in visit["feedback"].values())


def page_ids(request):
    """The help pages read in this visit (for counting what led to a contact request)."""
    visit = _visit(request)
    return [entry["id"] for entry in visit["pages"] if entry.get("id")] if visit else []


def forget(request):
    """Start afresh: the customer cleared it, or sent what they tried to a person."""
    visit = _visit(request)
    if visit is not None:
        visit.clear()
        visit.update(_load_empty())
        visit.cleared = True


def _load_empty():
    return {"id": "", "searches": [], "pages": [], "feedback": {}, "keys": {}}


def remembered(request):
    """Whether this visit remembers anything the contact form would show."""
    visit = _visit(request)
    return bool(visit and (visit["searches"] or visit["pages"] or visit["feedback"]))


def _step_text(entry):
    if entry.get("steps"):
        return gettext("step %(step)s of %(steps)s did not work") % entry
    return gettext("step %(step)s did not work") % entry


def summary(request, extra_search=""):
    """The visit as lines a person can read, edit and send: what was searched, read and
    found not helpful. ``extra_search`` is a query carried in a link (e.g. from a search
    that found nothing), added if the visit does not have it."""
    visit = _visit(request) or {"searches": [], "pages": [], "feedback": {}}
    found = list(visit["searches"])
    extra_search = " ".join((extra_search or "").split())[:MAX_TEXT]
    if extra_search and extra_search.casefold() not in {s.casefold() for s in found}:
        found.append(extra_search)

    def absolute(url):
        return request.build_absolute_uri(url) if url else ""

    lines = []
    if found:
        quoted = ", ".join(f"“{s}”" for s in found)
        lines.append(gettext("Searched for: %(searches)s") % {"searches": quoted})
    unhelpful = {int(k): e for k, e in visit["feedback"].items() if not e.get("helpful")}
    for entry in visit["pages"]:
        if entry.get("id") not in unhelpful:
            lines.append(gettext("Read: %(title)s") % entry + f" ({absolute(entry.get('url'))})")
    for entry in unhelpful.values():
        details = []
        if entry.get("step"):
            details.append(_step_text(entry))
        if entry.get("reason_label"):
            details.append(entry["reason_label"])
        line = gettext("Not helpful: %(title)s") % entry
        if details:
            line += " – " + "; ".join(details)
        lines.append(f"{line} ({absolute(entry.get('url'))})")
    return "\n".join(lines)
