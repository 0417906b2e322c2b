"""Thin views: validate the request, ask the search service, render."""

import orjson
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET

from home import visit

from . import presenters, querylog, redaction, service
from .forms import SearchForm, SuggestForm
from .query_text import MAX_QUERY_CHARS


def _json(data, status=200):
    """A JSON response, its text as UTF-8 (not \\u escapes); orjson takes a tenth of the
    standard encoder's time on a page of hits."""
    body = orjson.dumps(data, default=str, option=orjson.OPT_NON_STR_KEYS)
    return HttpResponse(body, status=status, content_type="application/json")


def _params(form, default_lang):
    data = form.cleaned_data
    lang = data.get("lang") or default_lang
    return {
        "text": data.get("q") or "",
        "locale": None if lang == "all" else lang,
        "types": data.get("type") or [],
        "categories": data.get("category") or [],
        "page": data.get("page") or 1,
        "correct": data.get("spelling") != "exact",
    }


@require_GET
def search_page(request):
    form = SearchForm(request.GET)
    outcome = None
    if form.is_valid():
        params = _params(form, get_language())
        outcome = service.search(**params)
        if outcome.results.total and params["page"] > outcome.page_count:
            # A page past the end (an old link, a hand-edited URL) shows the last page.
            params["page"] = outcome.page_count
            outcome = service.search(**params)
        querylog.link_hits(outcome, querylog.record_search(request, outcome, source="page"))
        # For the contact form's "what you tried"; redacted, as it travels in a cookie.
        visit.record_search(request, redaction.redact(outcome.query))
    status = 200 if form.is_valid() else 400
    context = {
        "form": form,
        "query": request.GET.get("q", "")[:MAX_QUERY_CHARS],
        "outcome": outcome,
    }
    if outcome is not None:
        context.update(
            facet_groups=presenters.facet_groups(request, outcome, get_language()),
            filter_count=presenters.selected_filter_count(outcome, get_language()),
            pagination=presenters.pagination(request, outcome),
            correction=presenters.correction_links(request, outcome),
            contact_url=presenters.contact_url(outcome),
        )
    return TemplateResponse(request, "search/search.html", context, status=status)


def _error(form):
    errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
    return _json({"error": "invalid parameters", "fields": errors}, status=400)


def _hit_json(hit):
    doc = hit.document
    return {
        "key": doc.key,
        "title": doc.title,
        "url": doc.url,
        "click_url": hit.click_url,
        "type": doc.type,
        "category": doc.category,
        "category_title": doc.category_title,
        "language": doc.locale,
        "summary": doc.summary,
        "title_html": hit.title_html,
        "snippet": hit.snippet_html,
        "promoted": hit.promoted,
    }


def _answer_json(answer):
    if answer is None:
        return None
    return {
        "title": answer.title,
        "url": answer.url,
        "click_url": answer.click_url,
        "text": answer.text,
        "key": answer.key,
        "language": answer.language,
    }


@require_GET
def search_api(request):
    form = SearchForm(request.GET)
    if not form.is_valid():
        return _error(form)
    outcome = service.search(**_params(form, "all"))
    log_key = querylog.record_search(request, outcome, source="api")
    querylog.link_hits(outcome, log_key)
    correction = outcome.correction
    return _json(
        {
            "query": outcome.query,
            "log_id": log_key,
            "language": outcome.locale,
            "total": outcome.found,
            # The results match only incidental words of the query (counted as failed).
            "weak": outcome.weak,
            # Ranked by meaning as well as words (false: model off, nothing embedded yet, or
            # a new wording while the server was too busy for the model).
            "by_meaning": outcome.semantic,
            "page": outcome.page,
            "pages": outcome.page_count,
            "correction": {"text": correction.text, "kind": correction.kind}
            if correction
            else None,
            "action": {"kind": "contact", "url": request.build_absolute_uri(contact)}
            if (contact := presenters.contact_url(outcome))
            else None,
            "answer": _answer_json(outcome.answer),
            "facets": outcome.results.facets,
            "results": [_hit_json(h) for h in outcome.results.hits],
        }
    )


@require_GET
def suggest_api(request):
    form = SuggestForm(request.GET)
    if not form.is_valid():
        return _error(form)
    lang = form.cleaned_data.get("lang") or "all"
    suggestions = service.suggest(form.cleaned_data.get("q") or "", None if lang == "all" else lang)
    return _json(
        {
            "query": form.cleaned_data.get("q") or "",
            "suggestions": [{"title": s.title, "url": s.url, "type": s.type} for s in suggestions],
        }
    )


@require_GET
def search_click(request, key, rank):
    """Opens a search result and counts the click (works without JavaScript). A link whose
    token does not match still opens the page but is not counted."""
    target = querylog.indexed_url(request, request.GET.get("to", ""))
    if target is None:
        return HttpResponseBadRequest(gettext("This link does not lead to a help page."))
    querylog.record_click(key[:32], rank, target, request.GET.get("t", ""))
    response = HttpResponseRedirect(target)
    response["Cache-Control"] = "no-store"
    return response
