"""What a customer did in this visit, kept in their session: searches, help pages read, and
the "not helpful" they gave. The contact form starts from it so nobody has to retype.

Only short, recent lists are kept; this is a memory aid, not a log (the search app keeps
its own query log). Plain data only, so that any session backend can store it.
"""

from django.utils import translation
from django.utils.translation import gettext

SESSION_KEY = "help_visit"
MAX_SEARCHES = 8
MAX_PAGES = 8
MAX_FEEDBACK = 20
MAX_TEXT = 200


def _visit(request):
    session = getattr(request, "session", None)
    if session is None:
        return None
    visit = session.get(SESSION_KEY)
    if not isinstance(visit, dict):
        visit = {}
    visit.setdefault("searches", [])
    visit.setdefault("pages", [])
    visit.setdefault("feedback", {})
    return visit


def _save(request, visit):
    request.session[SESSION_KEY] = visit


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
        "steps": getattr(page, "step_count", lambda: None)(),
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


def searches(request):
    visit = _visit(request)
    return list(visit["searches"]) if visit else []


def page_ids(request):
    """The help pages read in this visit (for counting what led to a contact request)."""
    visit = _visit(request)
    return [entry["id"] for entry in visit["pages"] if entry.get("id")] if visit else []


def forget(request):
    """Start afresh, e.g. once the customer has sent what they tried to a person."""
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(SESSION_KEY, None)


def _step_text(entry):
    if entry.get("steps"):
        return gettext("step %(step)s of %(steps)s did not work") % entry
    return gettext("step %(step)s did not work") % entry


def summary(request, extra_search=""):
    """The visit as lines a person can read, edit and send: what was searched, read and
    found not helpful. ``extra_search`` is a query carried in a link (e.g. from a search
    that found nothing), added if the session does not have it."""
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
