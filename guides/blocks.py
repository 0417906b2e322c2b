import re

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from home.blocks import ANSWER_FEATURES, CalloutBlock, DetailsBlock, ReusableAnswerBlock

TIMECODE = re.compile(r"^(?:(\d{1,2}):)?([0-5]?\d):([0-5]\d)$")


def timecode_seconds(value):
    """'1:05' -> 65, '1:02:03' -> 3723."""
    match = TIMECODE.match(value.strip())
    if not match:
        raise ValueError(value)
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    text = blocks.RichTextBlock(features=ANSWER_FEATURES)
    details = DetailsBlock(required=False, help_text="Code, tables, notes or more text.")
    reusable_answer = ReusableAnswerBlock(
        required=False, help_text="An answer kept in one place, shown after the text."
    )
    image = ImageBlock(required=False)
    callout = CalloutBlock(required=False)

    class Meta:
        icon = "list-ol"
        template = "blocks/step.html"
        description = "One numbered step, with an optional picture and tip or warning"
        preview_value = {"title": "Restart the router", "text": "<p>Unplug it for ten seconds.</p>"}


class TimecodeBlock(blocks.CharBlock):
    def clean(self, value):
        value = super().clean(value)
        try:
            timecode_seconds(value)
        except ValueError as err:
            raise ValidationError("Use minutes:seconds, e.g. 1:05") from err
        return value.strip()


class ChapterBlock(blocks.StructBlock):
    start = TimecodeBlock(max_length=8, help_text="minutes:seconds, e.g. 0:45", search_index=False)
    title = blocks.CharBlock(max_length=120)

    class Meta:
        icon = "time"
        template = "blocks/chapter.html"
        description = "A chapter of the video: where it starts and what it shows"
        preview_value = {"start": "0:05", "title": "Open the app"}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["seconds"] = timecode_seconds(value["start"])
        return context
