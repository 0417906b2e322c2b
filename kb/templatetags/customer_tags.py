"""Template tags for the feedback box on help pages: its state for this visit and the
reasons offered. They only read."""

from django import template

from home import visit

from ..feedback import MAX_COMMENT_CHARS, PageFeedback

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


@register.simple_tag
def max_comment_chars():
    """The feedback comment's maxlength, as the form checks it."""
    return MAX_COMMENT_CHARS
