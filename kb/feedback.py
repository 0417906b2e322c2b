"""Feedback on help pages ("Was this helpful?"): one vote per page per visit, with a reason
and a comment for "no", and which guide step failed when the customer says so.

One vote per visit is a unique constraint on (page, visit), so a double click or a script
sending the same visit's vote many times at once still leaves one row. Comments are stored
redacted: a customer who writes their phone number there is not asking to be called.
"""

from django.conf import settings
from django.db import IntegrityError, models, router, transaction
from django.db.models import Count, F, FloatField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from home.redaction import redact

from . import abuse

MAX_COMMENT_CHARS = 1000
# A visitor votes once per page; this only stops scripts from flooding the counts.
RATE_LIMIT = (60, 3600)


class FeedbackLimitExceeded(Exception):
    pass


class PageFeedbackQuerySet(models.QuerySet):
    def not_helpful(self):
        return self.filter(helpful=False)


class PageFeedback(models.Model):
    class Reason(models.TextChoices):
        OUTDATED = "outdated", _("It is out of date")
        UNCLEAR = "unclear", _("It is hard to understand")
        NOT_SOLVED = "not_solved", _("It didn't solve my problem")
        OTHER = "other", _("Something else")

    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="help_feedback",
        verbose_name=_("page"),
    )
    helpful = models.BooleanField(_("helpful"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    comment = models.TextField(_("comment"), max_length=MAX_COMMENT_CHARS, blank=True)
    step = models.PositiveSmallIntegerField(
        _("step that did not work"),
        null=True,
        blank=True,
        help_text=_("For step-by-step guides: the step the customer said did not work."),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    client = models.CharField(max_length=32, editable=False, db_index=True)
    # A pseudonym of the visit that voted (kb.abuse.visit_key); empty for older votes.
    visit = models.CharField(max_length=32, editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("given at"), default=timezone.now, db_index=True)

    objects = PageFeedbackQuerySet.as_manager()
    # A vote names its page; tracking that as a "usage" of the page would add a write to
    # every vote and tell editors nothing.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("page feedback")
        verbose_name_plural = _("page feedback")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "visit"],
                condition=~models.Q(visit=""),
                name="kb_feedback_one_vote_per_visit",
            )
        ]

    def __str__(self):
        return f"{self.page_id}: {'yes' if self.helpful else 'no'}"


def helpfulness_by_page():
    """Help pages with feedback, each annotated with yes/no counts, the helpful ratio and a
    count per reason; the least helpful (with the most votes) first."""
    counts = {
        "votes": Count("help_feedback"),
        "yes": Count("help_feedback", filter=Q(help_feedback__helpful=True)),
        "no": Count("help_feedback", filter=Q(help_feedback__helpful=False)),
        "failed_steps": Count("help_feedback", filter=Q(help_feedback__step__isnull=False)),
    }
    for value, _label in PageFeedback.Reason.choices:
        counts[f"reason_{value}"] = Count("help_feedback", filter=Q(help_feedback__reason=value))
    return (
        Page.objects.filter(help_feedback__isnull=False)
        .annotate(**counts)
        .annotate(ratio=Cast(F("yes"), FloatField()) / Cast(F("votes"), FloatField()))
        .select_related("locale")
        .order_by("ratio", "-votes", "title")
    )


def record_vote(page, helpful, client, step=None, visit=""):
    """Store a yes/no vote on ``page``. A visit that already voted on the page changes its
    vote instead of counting twice; only new votes count against the client's rate limit."""
    fields = {
        "helpful": helpful,
        "step": None if helpful else step,
        "language": page.locale.language_code,
    }
    if helpful:
        fields.update(reason="", comment="")
    mine = PageFeedback.objects.filter(page=page, visit=visit)
    if visit and mine.update(**fields):
        return mine.get()
    if not abuse.take("feedback", client, *RATE_LIMIT):
        raise FeedbackLimitExceeded
    try:
        with transaction.atomic(using=router.db_for_write(PageFeedback)):
            return PageFeedback.objects.create(page=page, client=client, visit=visit, **fields)
    except IntegrityError:
        # This visit's vote on the page was stored a moment ago (a double click).
        mine.update(**fields)
        return mine.get()


def record_reason(feedback, reason, comment):
    feedback.helpful = False
    feedback.reason = reason
    feedback.comment = redact(comment)[:MAX_COMMENT_CHARS]
    feedback.save(update_fields=["helpful", "reason", "comment"])
    return feedback
