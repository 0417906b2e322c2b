import zlib
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    DraftStateMixin,
    Locale,
    LockableMixin,
    Page,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from . import help_types, structured_data
from .contact_details import ContactDetails  # noqa: F401 (a model of this app: Django finds it here)
from .forms import HelpPageForm, LocalisedSnippetForm
from .panels import SearchHealthPanel
from .publishing import (
    PublishingBlocked,
    PublishingProblem,
    placement_problems,
    stream_problems,
)
from .searchable import SearchPart, join_text, rich_text_to_index
from .timespans import format_span

# How long a help page stays trusted before its owner must look at it again.
REVIEW_INTERVAL = timedelta(days=180)


def default_review_by():
    return timezone.localdate() + REVIEW_INTERVAL


class HelpPage(Page):
    """What every help item shares: a short answer shown first, keywords, and its search parts.

    Subclasses set ``help_type`` and extend ``search_parts`` with what they add.
    """

    help_type = "article"

    # Blank is allowed so a draft can be saved before the answer is written; publishing is not.
    summary = models.TextField(
        _("short answer"),
        max_length=600,
        blank=True,
        help_text=_(
            "One or two sentences that answer the question. Shown first and in search. "
            "Required to publish."
        ),
    )
    keywords = models.CharField(
        _("search keywords"),
        max_length=255,
        blank=True,
        help_text=_("Other words customers use for this, comma-separated."),
    )

    content_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("content owner"),
        help_text=_("Who keeps this page correct. Defaults to the person who created it."),
    )
    review_by = models.DateField(
        _("review by"),
        default=default_review_by,
        db_index=True,
        help_text=_("By this date the owner checks the page is still right, then sets a new date."),
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("keywords"),
    ]
    promote_panels = Page.promote_panels + [FieldPanel("keywords")]
    settings_panels = Page.settings_panels + [
        MultiFieldPanel(
            [FieldPanel("content_owner"), FieldPanel("review_by")],
            heading=_("Ownership and review"),
        ),
    ]
    # Figures from search and feedback, read-only, right under the title the editor works on.
    content_panels = Page.content_panels + [SearchHealthPanel(heading=_("Search health"))]
    base_form_class = HelpPageForm
    parent_page_types = ["kb.CategoryPage"]
    subpage_types = []

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Wagtail sets ``owner`` to the creating user; the content owner starts as that person.
        if self.content_owner_id is None and self.owner_id is not None:
            self.content_owner_id = self.owner_id
        super().save(*args, **kwargs)

    def publishing_problems(self):
        """What stops this page from being published; empty when it may go live."""
        problems = []
        if not (self.summary or "").strip():
            problems.append(
                PublishingProblem(
                    "summary", str(_("Write a short answer: customers read it first."))
                )
            )
        return problems + stream_problems(self) + placement_problems(self)

    def publish(self, revision, *args, **kwargs):
        # The last line of defence: bulk publishing, workflow approval and scheduled or
        # scripted publishing all come through here, not through the editor's form.
        problems = revision.as_object().publishing_problems()
        if problems:
            raise PublishingBlocked(self, problems)
        return super().publish(revision, *args, **kwargs)

    @property
    def category(self):
        parent = self.get_parent()
        return parent.specific if parent else None

    def keyword_list(self):
        return [k.strip() for k in self.keywords.split(",") if k.strip()]

    def body_text(self):
        return ""

    def search_parts(self):
        """What this page offers to search; FAQ pages offer one part per answer."""
        return [
            SearchPart(
                title=self.title,
                summary=self.summary,
                body=self.body_text(),
                keywords=self.keyword_list(),
            )
        ]

    @staticmethod
    def stream_text(stream):
        return join_text(stream.stream_block.get_searchable_content(stream))

    def step_count(self):
        """Numbered steps a customer can say did not work (a guide has them)."""
        return 0

    def structured_data(self, request):
        """schema.org JSON-LD for search engines; each help type says what it is."""
        return {**structured_data.common(self, request, "Article"), "headline": self.title[:110]}

    def related_pages(self, limit=4):
        return (
            self.get_siblings(inclusive=False)
            .live()
            .public()
            .specific()
            .order_by("-first_published_at")[:limit]
        )


class HomePage(Page):
    intro = models.TextField(_("introduction"), blank=True)
    popular = StreamField(
        [
            (
                "page",
                blocks.PageChooserBlock(page_type=help_types.PAGE_MODELS),
            )
        ],
        blank=True,
        verbose_name=_("popular help"),
        help_text=_("Help items featured on the home page."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("popular")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["kb.CategoryPage"]

    def popular_pages(self):
        return [b.value.specific for b in self.popular if b.value and b.value.live]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["categories"] = self.get_children().live().public().specific()
        context["popular_pages"] = self.popular_pages  # only computed when not cached
        return context


class AnnouncementQuerySet(models.QuerySet):
    def active(self, locale=None, now=None):
        now = now or timezone.now()
        qs = self.filter(
            models.Q(shown_from__lte=now) | models.Q(shown_from__isnull=True, starts_at__lte=now)
        ).filter(models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now))
        if locale is not None:
            qs = qs.filter(locale=locale)
        return qs.order_by("-severity_rank", "-starts_at")


class ServiceAnnouncement(TranslatableMixin, models.Model):
    """A message shown across the site while it is active, e.g. a known outage."""

    SEVERITIES = [("info", _("Information")), ("warning", _("Warning")), ("outage", _("Outage"))]
    RANKS = {"info": 0, "warning": 1, "outage": 2}

    message = models.TextField(_("message"), max_length=500)
    severity = models.CharField(_("severity"), max_length=10, choices=SEVERITIES, default="info")
    severity_rank = models.PositiveSmallIntegerField(editable=False, default=0)
    link = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("more information"),
    )
    starts_at = models.DateTimeField(_("starts at"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    # Planned work is announced ahead of its start; customers see the start and end dates.
    shown_from = models.DateTimeField(
        _("show from"),
        null=True,
        blank=True,
        help_text=_(
            "When customers start seeing it, e.g. a day before planned work. Empty: from the start."
        ),
    )

    objects = AnnouncementQuerySet.as_manager()
    base_form_class = LocalisedSnippetForm

    panels = [
        FieldPanel("message"),
        FieldPanel("severity"),
        FieldPanel("link"),
        MultiFieldPanel(
            [FieldPanel("starts_at"), FieldPanel("ends_at"), FieldPanel("shown_from")],
            heading=_("When"),
        ),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("service announcement")
        ordering = ["-starts_at"]

    def __str__(self):
        return self.message[:60]

    def save(self, *args, **kwargs):
        self.severity_rank = self.RANKS.get(self.severity, 0)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must come after the start.")})

    def when(self):
        return format_span(self.starts_at, self.ends_at)

    @property
    def dismiss_key(self):
        """Names this version of the message in the reader's browser: an edit shows it again."""
        ends = self.ends_at.timestamp() if self.ends_at else ""
        text = f"{self.message}|{self.starts_at.timestamp()}|{ends}"
        return f"{self.pk}-{zlib.crc32(text.encode()):x}"

    @classmethod
    def active_for_language(cls, language_code):
        locale = Locale.objects.filter(language_code=language_code).first()
        return cls.objects.active(locale=locale) if locale else cls.objects.none()


class ReusableAnswer(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    TranslatableMixin,
    index.Indexed,
    models.Model,
):
    """An answer written once and shown on many pages, e.g. the service centre's opening hours.

    Changes go through the same review as pages; pages show the published version only.
    """

    title = models.CharField(
        _("name"),
        max_length=200,
        help_text=_(
            "How editors find it, e.g. “Service centre opening hours”. Not shown to customers."
        ),
    )
    answer = RichTextField(_("answer"), features=["bold", "italic", "ol", "ul", "link"])

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="reusable_answer")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="reusable_answer",
        for_concrete_model=False,
    )

    panels = [FieldPanel("title"), FieldPanel("answer")]
    base_form_class = LocalisedSnippetForm
    search_fields = [
        index.SearchField("title"),
        index.AutocompleteField("title"),
        index.SearchField("answer"),
        index.FilterField("locale"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("reusable answer")
        verbose_name_plural = _("reusable answers")
        ordering = ["title"]

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        return self._revisions

    def text(self):
        return rich_text_to_index(self.answer or "")


register_snippet(ReusableAnswer)


class PageViewDay(models.Model):
    """One help page on one day: how often it was read, and how many contact requests were
    sent after reading it. Counts only; nothing about who read it. Kept with the insights
    (search/db_router.py), written in batches (home/page_views.py): the page is named by id."""

    page_id = models.PositiveBigIntegerField(_("page"))
    day = models.DateField(_("day"), db_index=True)
    views = models.PositiveIntegerField(_("views"), default=0)
    contact_requests = models.PositiveIntegerField(_("contact requests after"), default=0)

    class Meta:
        db_table = "home_page_view_day"
        verbose_name = _("page views on a day")
        constraints = [
            models.UniqueConstraint(fields=["page_id", "day"], name="home_page_view_one_per_day")
        ]

    def __str__(self):
        return f"{self.page_id} {self.day}: {self.views}"


@register_setting(icon="help")
class HelpCenterSettings(BaseSiteSetting):
    support_phone = models.CharField(_("support phone"), max_length=40, blank=True)
    support_hours = models.CharField(_("support hours"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)


from .retention import ErasureRecord  # noqa: E402, F401 (a model: the record of an erasure)
