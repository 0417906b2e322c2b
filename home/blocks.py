"""Blocks shared by every help page type."""

from django.utils.functional import cached_property
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageBlock
from wagtail.rich_text import RichText
from wagtail.snippets.blocks import SnippetChooserBlock

from .searchable import rich_text_to_index

CALLOUT_KINDS = [("tip", "Tip"), ("warning", "Warning"), ("note", "Note")]
# Rich-text features, named once: what each kind of text may hold (``code`` and ``kbd`` are
# inline code and keyboard keys, registered in home.wagtail_hooks).
INLINE_FEATURES = ["bold", "italic", "code", "kbd", "link"]
ANSWER_FEATURES = ["bold", "italic", "code", "kbd", "ol", "ul", "link"]
BODY_FEATURES = ["h2", "h3", "h4", *ANSWER_FEATURES]


def _is_blank(value, default):
    if value is None or value == default:
        return True
    if isinstance(value, RichText):
        return not rich_text_to_index(value.source).strip()
    if isinstance(value, str):
        return not value.strip()
    return False


class OptionalStructBlock(blocks.StructBlock):
    """A group of fields that may be left out as a whole when it is not required.

    Wagtail checks a StructBlock's children even when the block itself is optional, so an
    optional tip whose text is required would refuse every step without a tip. Here a block
    made with ``required=False`` and left empty (every child blank or at its default) is
    accepted and stored as its default; once anything is filled in, the children's own rules
    apply.
    """

    def __init__(self, local_blocks=None, **kwargs):
        # Left in kwargs, so that migrations record it as given.
        self._required = kwargs.get("required", True)
        super().__init__(local_blocks, **kwargs)

    @property
    def required(self):
        return self._required

    def is_empty(self, value):
        return value is None or all(
            _is_blank(value.get(name), child.get_default())
            for name, child in self.child_blocks.items()
        )

    def clean(self, value):
        if not self._required and self.is_empty(value):
            return self.get_default()
        return super().clean(value)


class CalloutBlock(OptionalStructBlock):
    kind = blocks.ChoiceBlock(choices=CALLOUT_KINDS, default="tip", search_index=False)
    text = blocks.RichTextBlock(features=INLINE_FEATURES)

    class Meta:
        icon = "warning"
        template = "blocks/callout.html"
        description = "A highlighted tip, warning or note"
        preview_value = {"kind": "tip", "text": "<p>Restart the router before calling us.</p>"}


class FigureBlock(blocks.StructBlock):
    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/figure.html"
        description = "An image with alternative text and an optional caption"
        preview_value = {"caption": "The router's status lights"}


class HelpTableBlock(TableBlock):
    class Meta:
        icon = "table"
        template = "blocks/table.html"
        description = "A table, e.g. plans, fees or opening hours"
        preview_value = {
            "data": [["Plan", "Speed"], ["Basic", "100 Mb/s"]],
            "first_row_is_table_header": True,
        }


class ParagraphBlock(blocks.RichTextBlock):
    def get_searchable_content(self, value):
        return [rich_text_to_index(value.source)] if self.search_index else []

    class Meta:
        icon = "pilcrow"
        template = "blocks/paragraph.html"
        description = "Formatted text"
        preview_value = "<p>Most faults clear after a restart.</p>"


class CodeTextBlock(blocks.TextBlock):
    """Text kept exactly as typed: the indentation of code is part of its meaning."""

    @cached_property
    def field(self):
        field = super().field
        field.strip = False
        return field


class CodeBlock(blocks.StructBlock):
    language = blocks.CharBlock(
        required=False,
        max_length=40,
        search_index=False,
        help_text="Optional, e.g. bash or python.",
    )
    code = CodeTextBlock()

    class Meta:
        icon = "code"
        template = "blocks/code.html"
        description = "Commands or code, shown as typed, with a copy button"
        preview_value = {"language": "bash", "code": "sudo apt update\nsudo apt install zulip"}


class MissingImageBlock(blocks.StructBlock):
    """Where an imported file showed an image that could not be brought in (not found, or
    on another site). It is never shown to customers and the page cannot be published
    until an editor replaces it with a figure or deletes it (see home.publishing)."""

    source = blocks.CharBlock(max_length=500, help_text="Where the imported file said it was.")
    alt_text = blocks.CharBlock(required=False, max_length=255)
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "warning"
        template = "blocks/missing_image.html"
        description = "An imported image still to be chosen: replace it with a figure"
        preview_value = {"source": "images/screen.png", "alt_text": "The settings screen"}


class ReusableAnswerBlock(SnippetChooserBlock):
    """An answer kept once as a snippet and shown wherever it is chosen.

    Only its published version is shown and searched; a page that uses an unpublished one
    cannot be published (see home.publishing).
    """

    def __init__(self, target_model="home.ReusableAnswer", **kwargs):
        super().__init__(target_model, **kwargs)

    def get_searchable_content(self, value):
        return [value.text()] if value is not None and value.live else []

    def get_preview_value(self):
        return self.target_model.objects.filter(live=True).first()

    class Meta:
        icon = "snippet"
        template = "blocks/reusable_answer.html"
        description = "An answer written once and kept the same on every page that uses it"


def help_body_blocks():
    """The blocks an article body is made of."""
    return [
        ("paragraph", ParagraphBlock(features=BODY_FEATURES)),
        ("figure", FigureBlock()),
        ("callout", CalloutBlock()),
        ("code", CodeBlock()),
        ("table", HelpTableBlock()),
        ("reusable_answer", ReusableAnswerBlock(label="Reusable answer")),
        ("missing_image", MissingImageBlock()),
    ]


class DetailsBlock(blocks.StreamBlock):
    """What an FAQ answer or a guide step may hold after its text: more text, code, tables
    and notes."""

    paragraph = ParagraphBlock(features=ANSWER_FEATURES)
    code = CodeBlock()
    table = HelpTableBlock()
    callout = CalloutBlock()
    missing_image = MissingImageBlock()

    class Meta:
        icon = "placeholder"
        template = "blocks/details.html"
        required = False
