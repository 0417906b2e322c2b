"""Checks a help page must pass before customers may see it.

Drafts may break these rules (an editor saves half-finished work, an import brings in a file
without a short answer); publishing may not. The rules live here once and are applied by the
page editor's form (so the editor sees why, beside the field) and by ``HelpPage.publish`` (so
no other way of publishing slips past them).
"""

import re
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _
from wagtail.actions.publish_page_revision import PublishPagePermissionError
from wagtail.blocks import ListBlock, StreamBlock, StructBlock
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock

from .blocks import MissingImageBlock, ReusableAnswerBlock

WRONG_LANGUAGE = "wrong-language"


@dataclass(frozen=True)
class PublishingProblem:
    field: str  # the form field the editor must fix
    message: str
    kind: str = ""  # set for problems also shown as a warning on drafts


class PublishingBlocked(PublishPagePermissionError):
    """Publishing was refused because the page breaks a publishing rule."""

    def __init__(self, page, problems):
        self.page = page
        self.problems = problems
        details = "; ".join(p.message for p in problems)
        super().__init__(
            _("“%(title)s” cannot be published: %(details)s")
            % {"title": page.title, "details": details}
        )


# One "word" of letters, digits, dashes and underscores with a digit, dash or underscore in it,
# or anything ending in an image extension: "ext-step2", "IMG_0042", "router.png".
FILE_NAME_LIKE = re.compile(
    r"^(?=.*[\d_-])[\w-]+$|\.(?:png|jpe?g|gif|webp|avif|svg|bmp|tiff?|heic)$", re.IGNORECASE
)


def looks_like_file_name(text, image=None):
    """True for alt text that names a file rather than describing the picture.

    Choosing an image fills its alt text with the image's description or, failing that, its
    title, which is the uploaded file's name unless someone changed it; such text tells a
    screen reader user nothing.
    """
    text = (text or "").strip()
    if not text:
        return False
    names = set()
    if image is not None:
        file_name = PurePath(getattr(image.file, "name", "") or "").name
        names = {file_name.casefold(), PurePath(file_name).stem.casefold()}
    return text.casefold() in names or bool(FILE_NAME_LIKE.search(text))


def _walk(block, value, found):
    """Collect (block, value) for every image and reusable answer inside a stream value."""
    if value is None:
        return
    if isinstance(block, ImageBlock):
        found.append((block, value))
    elif isinstance(block, (ReusableAnswerBlock, MissingImageBlock)):
        found.append((block, value))
    elif isinstance(block, StreamBlock):
        for child in value:
            _walk(child.block, child.value, found)
    elif isinstance(block, ListBlock):
        for item in value:
            _walk(block.child_block, item, found)
    elif isinstance(block, StructBlock):
        for name, child in block.child_blocks.items():
            _walk(child, value.get(name), found)


def stream_problems(page):
    """Images without alt text and unpublished reusable answers in any of the page's streams."""
    problems = []
    for field in page._meta.get_fields():
        if not isinstance(field, StreamField):
            continue
        stream = getattr(page, field.name)
        found = []
        _walk(stream.stream_block, stream, found)
        label = str(field.verbose_name)
        for block, value in found:
            if isinstance(block, ImageBlock):
                alt = (getattr(value, "contextual_alt_text", "") or "").strip()
                if getattr(value, "decorative", False):
                    continue
                if not alt:
                    problems.append(
                        PublishingProblem(
                            field.name,
                            _(
                                "An image in “%(field)s” (%(image)s) has no alt text: "
                                "describe it, or mark it as decorative."
                            )
                            % {"field": label, "image": value.title},
                        )
                    )
                elif looks_like_file_name(alt, value):
                    problems.append(
                        PublishingProblem(
                            field.name,
                            _(
                                "The alt text of an image in “%(field)s” is “%(alt)s”, which "
                                "looks like a file name: say what the picture shows."
                            )
                            % {"field": label, "alt": alt},
                        )
                    )
            elif isinstance(block, MissingImageBlock):
                problems.append(
                    PublishingProblem(
                        field.name,
                        _(
                            "An imported image in “%(field)s” (%(source)s) is missing: "
                            "replace the placeholder with a figure, or delete it."
                        )
                        % {"field": label, "source": value["source"]},
                    )
                )
            elif not value.live:
                problems.append(
                    PublishingProblem(
                        field.name,
                        _("The reusable answer “%(answer)s” in “%(field)s” is not published yet.")
                        % {"answer": value.title, "field": label},
                    )
                )
            elif page.locale_id and value.locale_id != page.locale_id:
                problems.append(
                    PublishingProblem(
                        field.name, wrong_language_message(value, page, label), WRONG_LANGUAGE
                    )
                )
    return problems


def wrong_language_message(answer, page, label):
    """Why a page cannot show a reusable answer written in another language, and what to do."""
    names = {
        "answer": answer.title,
        "field": label,
        "answer_language": answer.locale.get_display_name(),
        "language": page.locale.get_display_name(),
    }
    if answer.get_translation_or_none(page.locale) is not None:
        return (
            _(
                "The reusable answer “%(answer)s” in “%(field)s” is in %(answer_language)s: "
                "choose its %(language)s version."
            )
            % names
        )
    return (
        _(
            "The reusable answer “%(answer)s” in “%(field)s” is in %(answer_language)s and has "
            "no %(language)s version yet: translate it (Snippets → Reusable answers → "
            "Translate), have it approved, then choose it here."
        )
        % names
    )


def untranslated_answers(page):
    """Why each reusable answer in ``page`` that is in another language cannot stay."""
    return [p.message for p in stream_problems(page) if p.kind == WRONG_LANGUAGE]


def placement_problems(page):
    """A page under an unpublished category (such as the import's Inbox) would be served at
    its address yet found by no search, since search hides what such a category holds."""
    if not page.path:
        return []  # a page being created: HelpPage.publish checks it once it has a place
    hidden = page.get_ancestors().filter(depth__gt=1, live=False).first()
    if hidden is None:
        return []
    return [
        PublishingProblem(
            "",
            _(
                "It is in “%(category)s”, which is not published: move it to a published "
                "category first."
            )
            % {"category": hidden.title},
        )
    ]
