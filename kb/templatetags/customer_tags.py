"""Template tags for help pages: the feedback box's state and choices, and structured data.
They only read."""

from django import template
from django.utils.safestring import mark_safe

from home import visit

from .. import structured_data
from ..feedback import PageFeedback

register = template.Library()


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
