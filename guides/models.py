from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from home.models import HelpPage
from home.searchable import SearchPart
from wagtail.rich_text import get_text_for_indexing

from .blocks import ChapterBlock, StepBlock, timecode_seconds


class GuidePage(HelpPage):
    """Step-by-step instructions."""

    help_type = "guide"

    prerequisites = RichTextField(
        _("before you start"), blank=True, features=["bold", "italic", "ul", "link"]
    )
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated time (minutes)"), default=5)
    steps = StreamField([("step", StepBlock())], min_num=1, verbose_name=_("steps"))

    content_panels = HelpPage.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("prerequisites"), FieldPanel("estimated_minutes")], heading=_("Before you start")),
        FieldPanel("steps"),
    ]
    search_fields = HelpPage.search_fields + [index.SearchField("steps")]

    class Meta:
        verbose_name = _("step-by-step guide")

    def step_count(self):
        return len(self.steps)

    def body_text(self):
        return get_text_for_indexing(self.prerequisites or "")

    def search_parts(self):
        part = super().search_parts()[0]
        return [SearchPart(**{**part.__dict__, "steps": self.stream_text(self.steps)})]


class VideoPage(HelpPage):
    """A video how-to: a self-hosted video, captions, a transcript and chapters."""

    help_type = "video"

    video = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("video file"), help_text=_("WebM or MP4."),
    )
    captions = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("captions (WebVTT)"), help_text=_("A .vtt file in the page's language."),
    )
    poster = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("poster image"),
    )
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), default=0)
    transcript = RichTextField(_("transcript"), features=["bold", "italic", "ul", "ol"])
    chapters = StreamField([("chapter", ChapterBlock())], blank=True, verbose_name=_("chapters"))

    content_panels = HelpPage.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("video"), FieldPanel("captions"), FieldPanel("poster"), FieldPanel("duration_seconds")],
            heading=_("Video"),
        ),
        FieldPanel("chapters"),
        FieldPanel("transcript"),
    ]
    search_fields = HelpPage.search_fields + [index.SearchField("transcript"), index.SearchField("chapters")]

    class Meta:
        verbose_name = _("video how-to")

    def chapter_list(self):
        return [(timecode_seconds(b.value["start"]), b.value["start"], b.value["title"]) for b in self.chapters]

    def body_text(self):
        return self.stream_text(self.chapters)

    def search_parts(self):
        part = super().search_parts()[0]
        return [SearchPart(**{**part.__dict__, "transcript": get_text_for_indexing(self.transcript or "")})]
