"""Template tags for the customer's side: feedback state, structured data, popular help and
the strings the page scripts need. They only read."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from wagtail.models import Site

from home import visit
from home.templatetags.help_tags import HELP_TYPE_LABELS

from .. import structured_data
from ..feedback import PageFeedback

register = template.Library()

POPULAR_LIMIT = 5


@register.simple_tag(takes_context=True)
def feedback_state(context, page):
    """What the "Was this helpful?" box shows for this visit: "ask", "reason" (they said no
    and may say why) or "thanks"; with the feedback they gave, if any."""
    given = visit.feedback_for(context.get("request"), page.pk)
    if not given:
        return {"state": "ask", "given": None}
    waiting_for_reason = not given.get("helpful") and not given.get("reason")
    return {"state": "reason" if waiting_for_reason else "thanks", "given": given}


@register.simple_tag
def feedback_reasons():
    return PageFeedback.Reason.choices


@register.simple_tag(takes_context=True)
def json_ld(context, page):
    """schema.org JSON-LD for a help page, as a <script> element ("" for other pages)."""
    data = structured_data.for_page(page, context.get("request"))
    if not data:
        return ""
    script = structured_data.to_script_json(data)
    return mark_safe(f'<script type="application/ld+json">{script}</script>')  # noqa: S308 (escaped above)


@register.simple_tag(takes_context=True)
def popular_help(context, language):
    """The home page's popular help in ``language`` (at most five items)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None or not site.root_page_id:
        return []
    home = (
        site.root_page.get_translations(inclusive=True)
        .filter(locale__language_code=language)
        .live()
        .specific()
        .first()
    )
    popular = getattr(home, "popular_pages", None)
    return popular()[:POPULAR_LIMIT] if popular else []


@register.simple_tag
def contact_url(query=""):
    """The contact form, carrying a search the customer already tried."""
    url = reverse("contact")
    return f"{url}?{urlencode({'q': query})}" if query else url


@register.simple_tag
def ui_strings():
    """Text the page scripts show or announce, in the page's language."""
    return {
        "suggestions": gettext("Suggestions"),
        "oneSuggestion": gettext("1 suggestion. Use the up and down arrow keys to choose."),
        "manySuggestions": gettext(
            "%(count)s suggestions. Use the up and down arrow keys to choose."
        ),
        "noSuggestions": gettext("No suggestions. Press Enter to search."),
        "types": {key: str(label) for key, label in HELP_TYPE_LABELS.items()},
        "pageNote": gettext("Sorry this did not help."),
        "stepNote": gettext("Sorry that step %(step)s did not work."),
        "feedbackFailed": gettext("Sorry, we could not save that. Please try again."),
        "articlesHeading": gettext("These answers may help:"),
    }
