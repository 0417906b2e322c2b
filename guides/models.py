from django.db import models
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from home.addresses import page_address
from home.blocks import ANSWER_FEATURES
from home.models import HelpPage
from home.publishing import PublishingProblem, looks_like_file_name
from home.searchable import SearchPart, rich_text_to_index
from home.structured_data import absolute, common, date, iso_duration, text

from .blocks import ChapterBlock, StepBlock, timecode_seconds

VIDEO_EXTENSIONS = {".webm", ".mp4", ".m4v", ".ogv"}


def is_video_file(document):
    return f".{document.file_extension.lower()}" in VIDEO_EXTENSIONS


def is_webvtt_file(document):
    """A WebVTT file starts with "WEBVTT" (after an optional byte order mark); browsers
    ignore any other captions file without a word."""
    try:
        with document.open_file() as fh:
            head = fh.read(16)
    except OSError:
        return False
    if isinstance(head, str):
        head = head.encode()
    return head.removeprefix(b"\xef\xbb\xbf").startswith(b"WEBVTT")


class GuidePage(HelpPage):
    """Step-by-step instructions."""

    help_type = "guide"

    prerequisites = RichTextField(
        _("before you start"),
        blank=True,
        features=[f for f in ANSWER_FEATURES if f != "ol"],
    )
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated time (minutes)"), default=5)
    steps = StreamField([("step", StepBlock())], min_num=1, verbose_name=_("steps"))

    content_panels = HelpPage.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("prerequisites", heading=_("What to have ready")),
                FieldPanel("estimated_minutes"),
            ],
            heading=_("Before you start"),
        ),
        FieldPanel("steps"),
    ]
    search_fields = HelpPage.search_fields + [index.SearchField("steps")]

    class Meta:
        verbose_name = _("step-by-step guide")

    def step_count(self):
        return len(self.steps)

    def structured_data(self, request):
        url = page_address(self, request)
        steps = []
        for number, block in enumerate(self.steps, start=1):
            step = {
                "@type": "HowToStep",
                "position": number,
                "name": block.value["title"],
                "text": text(block.value["text"]),
                "url": f"{url}#step-{number}",
            }
            image = block.value.get("image")
            if image:
                step["image"] = absolute(request, image.get_rendition("width-800").url)
            steps.append(step)
        data = {**common(self, request, "HowTo"), "step": steps}
        if self.estimated_minutes:
            data["totalTime"] = f"PT{self.estimated_minutes}M"
        return data

    def body_text(self):
        return rich_text_to_index(self.prerequisites or "")

    def search_parts(self):
        part = super().search_parts()[0]
        return [SearchPart(**{**part.__dict__, "steps": self.stream_text(self.steps)})]


class VideoPage(HelpPage):
    """A video how-to: a self-hosted video, captions, a transcript and chapters."""

    help_type = "video"

    # Video, captions and transcript may be missing from a draft (captions often arrive
    # later); a page without them cannot be published (see publishing_problems).
    video = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("video file"),
        help_text=_("MP4 (H.264), which every browser plays. Required to publish."),
    )
    # Browsers take the first source they can play; this one is offered after the main file.
    video_alternative = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("same video in another format"),
        help_text=_("Optional, e.g. a smaller WebM of the same video."),
    )
    captions = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("captions (WebVTT)"),
        help_text=_("A .vtt file in the page's language. Required to publish."),
    )
    poster = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("poster image"),
        help_text=_("Give the image a description (its alt text) in the image library."),
    )
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), default=0)
    transcript = RichTextField(
        _("transcript"),
        blank=True,
        features=["bold", "italic", "ul", "ol"],
        help_text=_("Everything said and shown in the video. Required to publish."),
    )
    chapters = StreamField([("chapter", ChapterBlock())], blank=True, verbose_name=_("chapters"))

    content_panels = HelpPage.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("video"),
                FieldPanel("video_alternative"),
                FieldPanel("captions"),
                FieldPanel("poster"),
                FieldPanel("duration_seconds"),
            ],
            heading=_("Video"),
        ),
        FieldPanel("chapters"),
        FieldPanel("transcript"),
    ]
    search_fields = HelpPage.search_fields + [
        index.SearchField("transcript"),
        index.SearchField("chapters"),
    ]

    class Meta:
        verbose_name = _("video how-to")

    def caption_tracks(self):
        """Captions in the page's language first (on by default), then its translations'."""
        pages = [self] + [
            page.specific for page in self.get_translations().live().select_related("locale")
        ]
        return [
            {
                "language": get_language_info(page.locale.language_code),
                "url": page.captions.url,
                "default": page is self,
            }
            for page in pages
            if page.captions
        ]

    def structured_data(self, request):
        url = page_address(self, request)
        data = {
            **common(self, request, "VideoObject"),
            "uploadDate": date(self.first_published_at),
            "contentUrl": absolute(request, self.video.url),
            "transcript": text(self.transcript),
        }
        if self.duration_seconds:
            data["duration"] = iso_duration(self.duration_seconds)
        if self.poster:
            data["thumbnailUrl"] = absolute(request, self.poster.get_rendition("width-1280").url)
        chapters = self.chapter_list()
        if chapters:
            ends = [start for start, _code, _title in chapters[1:]] + [
                self.duration_seconds or None
            ]
            data["hasPart"] = [
                {
                    "@type": "Clip",
                    "name": title,
                    "startOffset": start,
                    **({"endOffset": end} if end else {}),
                    "url": f"{url}#t={start}",
                }
                for (start, _code, title), end in zip(chapters, ends, strict=True)
            ]
        return data

    def chapter_list(self):
        return [
            (timecode_seconds(b.value["start"]), b.value["start"], b.value["title"])
            for b in self.chapters
        ]

    def body_text(self):
        return self.stream_text(self.chapters)

    def search_parts(self):
        part = super().search_parts()[0]
        return [
            SearchPart(**{**part.__dict__, "transcript": rich_text_to_index(self.transcript or "")})
        ]

    def publishing_problems(self):
        problems = super().publishing_problems()
        if self.video_id is None:
            problems.append(PublishingProblem("video", str(_("Choose the video file."))))
        elif not is_video_file(self.video):
            problems.append(
                PublishingProblem(
                    "video",
                    str(
                        _("“%(file)s” is not a video: choose a WebM or MP4 file.")
                        % {"file": self.video.filename}
                    ),
                )
            )
        if self.captions_id is None:
            problems.append(
                PublishingProblem(
                    "captions", str(_("Add captions: many customers watch without sound."))
                )
            )
        elif not is_webvtt_file(self.captions):
            problems.append(
                PublishingProblem(
                    "captions",
                    str(
                        _(
                            "“%(file)s” is not a WebVTT captions file (it must start with "
                            "WEBVTT): export the captions as .vtt."
                        )
                        % {"file": self.captions.filename}
                    ),
                )
            )
        if not rich_text_to_index(self.transcript or "").strip():
            problems.append(
                PublishingProblem(
                    "transcript", str(_("Add a transcript for people who cannot watch the video."))
                )
            )
        poster_alt = (self.poster.description or "").strip() if self.poster else ""
        if self.poster is not None and (
            not poster_alt or looks_like_file_name(poster_alt, self.poster)
        ):
            problems.append(
                PublishingProblem(
                    "poster",
                    str(
                        _(
                            "The poster image “%(image)s” has no alt text: "
                            "add a description to it in the image library."
                        )
                        % {"image": self.poster.title}
                    ),
                )
            )
        return problems
