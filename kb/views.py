"""Thin views for the customer's side: feedback on help pages and the contact form."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Site

from home import page_views, visit

from . import abuse, contact, feedback
from .forms import ContactForm, ContactPrefillForm, FeedbackForm, FeedbackReasonForm

# The reference of the request this visit just sent, for the "thank you" page (a signed
# cookie: no server session for customers).
SENT_COOKIE = "help_contact_sent"
SENT_SALT = "kb.contact.sent"


def _field_errors(form):
    return {field: [str(e) for e in errors] for field, errors in form.errors.items()}


def _vote(request):
    """Validate and store a yes/no vote. Returns (form, stored feedback or None, status)."""
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return form, None, 400
    page = form.cleaned_data["page"]
    try:
        stored = feedback.record_vote(
            page,
            form.cleaned_data["helpful"] == "yes",
            abuse.client_key(request),
            step=form.cleaned_data.get("step"),
            visit=abuse.visit_key(visit.visitor_id(request)),
        )
    except feedback.FeedbackLimitExceeded:
        return form, None, 429
    visit.record_feedback(request, page, stored)
    return form, stored, 201


def _give_reason(request):
    form = FeedbackReasonForm(request.POST, owned=lambda pk: visit.owns_feedback(request, pk))
    if not form.is_valid():
        return form, None, 400
    stored = feedback.record_reason(
        form.cleaned_data["feedback"], form.cleaned_data["reason"], form.cleaned_data["comment"]
    )
    visit.record_feedback(request, stored.page.specific, stored)
    return form, stored, 200


def _page_url(request, page):
    return page.get_url(request) if page is not None else None


@require_POST
def feedback_form(request):
    """The "Was this helpful?" buttons without JavaScript: vote, then back to the page,
    which now asks why (for "no") or says thank you."""
    form, stored, status = _vote(request)
    if stored is not None:
        return redirect(stored.page.get_url(request) + "#feedback", permanent=False)
    context = {
        "form": form,
        "back_url": _page_url(request, form.cleaned_data.get("page")),
        "rate_limited": status == 429,
    }
    return TemplateResponse(request, "kb/feedback_problem.html", context, status=status)


@require_POST
def feedback_reason_form(request):
    form, stored, status = _give_reason(request)
    if stored is not None:
        return redirect(stored.page.get_url(request) + "#feedback", permanent=False)
    # The form again, with what they wrote, so that nothing typed is lost.
    given = form.cleaned_data.get("feedback")
    context = {"form": form, "back_url": _page_url(request, given.page if given else None)}
    return TemplateResponse(request, "kb/feedback_reason.html", context, status=status)


def _feedback_json(stored):
    # The page's language, not the API address's: the contact link must open in it.
    with translation.override(stored.language):
        return _feedback_fields(stored)


def _feedback_fields(stored):
    return {
        "id": stored.pk,
        "page": stored.page_id,
        "helpful": stored.helpful,
        "step": stored.step,
        "reason": stored.reason,
        "contact_url": reverse("contact"),
    }


@require_POST
def feedback_api(request):
    form, stored, status = _vote(request)
    if stored is None:
        error = "too many requests" if status == 429 else "invalid parameters"
        return JsonResponse({"error": error, "fields": _field_errors(form)}, status=status)
    return JsonResponse(_feedback_json(stored), status=status)


@require_POST
def feedback_reason_api(request):
    form, stored, status = _give_reason(request)
    if stored is None:
        return JsonResponse(
            {"error": "invalid parameters", "fields": _field_errors(form)}, status=status
        )
    return JsonResponse(_feedback_json(stored), status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def contact_form(request):
    """The contact form ("Still need help?"), starting from what the customer already did."""
    status = 200
    rate_limited = False
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                sent = contact.submit(
                    form.request_fields(),
                    get_language(),
                    abuse.client_key(request),
                    Site.find_for_request(request),
                )
            except contact.ContactLimitExceeded:
                status, rate_limited = 429, True
            else:
                page_views.record_contact_after(visit.page_ids(request))
                visit.forget(request)
                response = redirect("contact_sent")
                response.set_signed_cookie(
                    SENT_COOKIE,
                    sent.reference,
                    salt=SENT_SALT,
                    max_age=3600,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
                return response
        else:
            status = 400
    else:
        prefill = ContactPrefillForm(request.GET)
        query = prefill.cleaned_data.get("q", "") if prefill.is_valid() else ""
        status = 200 if prefill.is_valid() else 400
        form = ContactForm(initial={"subject": query[:200], "tried": visit.summary(request, query)})
    context = {
        "form": form,
        "rate_limited": rate_limited,
        "honeypot": abuse.HONEYPOT_FIELD,
        "visit_remembered": visit.remembered(request),
    }
    return TemplateResponse(request, "kb/contact.html", context, status=status)


@require_POST
def contact_forget(request):
    """The customer clears what this visit remembers (searches, pages read, feedback)."""
    visit.forget(request)
    return redirect("contact")


@require_GET
def contact_sent(request):
    reference = request.get_signed_cookie(SENT_COOKIE, default="", salt=SENT_SALT, max_age=3600)
    if not reference:
        return redirect("contact")
    return TemplateResponse(request, "kb/contact_sent.html", {"reference": reference})
