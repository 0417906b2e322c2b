"""Feedback on help pages ("Was this helpful?"): one vote per page per visit, with a reason
and a comment for "no", and which guide step failed when the customer says so.

One vote per visit is a unique constraint on (page, visit), so a double click or a script
sending the same visit's vote many times at once still leaves one row. Comments are stored
redacted: a customer who writes their phone number there is not asking to be called.
"""

from django.conf import settings
from django.db import IntegrityError, models, router, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from home.redaction import redact

from . import abuse

MAX_COMMENT_CHARS = 1000
# A visitor votes once per page; this only stops scripts from flooding the counts.
RATE_LIMIT = (60, 3600)


class FeedbackLimitExceeded(Exception):
    pass


class PageFeedback(models.Model):
    """A vote kept with the insights (search/db_router.py), in a database publishing never
    waits for: the page is named by its id, resolved in Python where a title is shown."""

    class Reason(models.TextChoices):
        OUTDATED = "outdated", _("It is out of date")
        UNCLEAR = "unclear", _("It is hard to understand")
        NOT_SOLVED = "not_solved", _("It didn't solve my problem")
        OTHER = "other", _("Something else")

    page_id = models.PositiveBigIntegerField(_("page"), db_index=True)
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

    # Wagtail's reference index lives with the content: a vote must not write there.
    wagtail_reference_index_ignore = True

    class Meta:
        db_table = "kb_page_feedback"
        verbose_name = _("page feedback")
        verbose_name_plural = _("page feedback")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["page_id", "visit"],
                condition=~models.Q(visit=""),
                name="kb_page_feedback_one_per_visit",
            )
        ]

    def __str__(self):
        return f"{self.page_id}: {'yes' if self.helpful else 'no'}"

    @cached_property
    def page(self):
        """The page voted on (None once it is deleted)."""
        return Page.objects.filter(pk=self.page_id).first()


def helpfulness_by_page():
    """Help pages with feedback, each given yes/no counts, the helpful ratio and a count per
    reason; the least helpful (with the most votes) first."""
    counts = {
        "votes": Count("pk"),
        "yes": Count("pk", filter=Q(helpful=True)),
        "no": Count("pk", filter=Q(helpful=False)),
        "failed_steps": Count("pk", filter=Q(step__isnull=False)),
    }
    for value, _label in PageFeedback.Reason.choices:
        counts[f"reason_{value}"] = Count("pk", filter=Q(reason=value))
    figures = PageFeedback.objects.order_by().values("page_id").annotate(**counts)
    by_page = {row.pop("page_id"): row for row in figures}
    pages = Page.objects.filter(pk__in=by_page).select_related("locale")
    for page in pages:
        for name, value in by_page[page.pk].items():
            setattr(page, name, value)
        page.ratio = page.yes / page.votes
    return sorted(pages, key=lambda page: (page.ratio, -page.votes, page.title))


def pages_with_feedback():
    """(id, title) of the pages that have votes, by title: the feedback list's page filter."""
    ids = PageFeedback.objects.order_by().values_list("page_id", flat=True).distinct()
    return list(Page.objects.filter(pk__in=list(ids)).order_by("title").values_list("pk", "title"))


def record_vote(page, helpful, client, step=None, visit=""):
    """Store a yes/no vote on ``page``. A visit that already voted on the page changes its
    vote instead of counting twice; only new votes count against the client's rate limit.
    One short transaction in the insights database: the row's id is the answer (the visit
    adds its reason to it), so it is written at once rather than batched."""
    fields = {
        "helpful": helpful,
        "step": None if helpful else step,
        "language": page.locale.language_code,
    }
    if helpful:
        fields.update(reason="", comment="")
    mine = PageFeedback.objects.filter(page_id=page.pk, visit=visit)
    if visit and mine.update(**fields):
        return mine.get()
    if not abuse.take("feedback", client, *RATE_LIMIT):
        raise FeedbackLimitExceeded
    try:
        with transaction.atomic(using=router.db_for_write(PageFeedback)):
            return PageFeedback.objects.create(
                page_id=page.pk, client=client, visit=visit, **fields
            )
    except IntegrityError:
        # This visit's vote on the page was stored a moment ago (a double click).
        mine.update(**fields)
        return mine.get()


def forget_deleted_page(sender, instance, **kwargs):
    """Votes (and their comments) go with their page, as when they pointed at its row."""
    PageFeedback.objects.filter(page_id=instance.pk).delete()


def record_reason(feedback, reason, comment):
    feedback.helpful = False
    feedback.reason = reason
    feedback.comment = redact(comment)[:MAX_COMMENT_CHARS]
    feedback.save(update_fields=["helpful", "reason", "comment"])
    return feedback
