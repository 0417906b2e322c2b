"""A help page written out as one Markdown file: front matter, then its content.

The format is what reader.py reads, so a page can be exported, edited anywhere and imported
again (README.md, "Editorial workflow", shows it).
"""

import html
import re

from wagtail.models import Page

from editorial.models import TranslationKeyName
from home.blocks import CALLOUT_KINDS

from . import frontmatter
from .richtext import MarkdownWriter, escape_text

# "**Tip:**": the labels the editor chooses from start a callout in Markdown too.
CALLOUT_LABELS = dict(CALLOUT_KINDS)


def _url_for_page(cache):
    def url_for(page_id):
        if page_id not in cache:
            page = Page.objects.filter(pk=page_id).first() if str(page_id).isdigit() else None
            cache[page_id] = page.get_url() if page is not None else None
        return cache[page_id]

    return url_for


class PageWriter:
    """``media_path(obj)`` is how an image or document is referred to from the file."""

    def __init__(self, media_path):
        self.media_path = media_path
        self.text = MarkdownWriter(_url_for_page({}))
        self.used_media = []

    def render(self, page):
        return frontmatter.join(self.front_matter(page), self.body(page))

    # front matter --------------------------------------------------------------------------
    def front_matter(self, page):
        parent = page.get_parent()
        meta = {
            "title": page.title,
            "type": page.help_type,
            "language": page.locale.language_code,
            "category": parent.slug if parent else "",
            "slug": page.slug,
            "translation_key": key_name(page.translation_key),
        }
        if page.summary:
            meta["summary"] = page.summary
        if page.keyword_list():
            meta["tags"] = page.keyword_list()
        if page.content_owner_id:
            meta["owner"] = page.content_owner.get_username()
        if page.review_by:
            meta["review_by"] = page.review_by
        if page.help_type == "guide":
            meta["minutes"] = page.estimated_minutes
        if page.help_type == "video":
            for field in ("video", "captions", "poster"):
                obj = getattr(page, field)
                if obj is not None:
                    meta[field] = self.media(obj)
            meta["duration"] = page.duration_seconds
            chapters = [
                {"start": b.value["start"], "title": b.value["title"]} for b in page.chapters
            ]
            if chapters:
                meta["chapters"] = chapters
        return meta

    def media(self, obj):
        self.used_media.append(obj)
        return self.media_path(obj)

    # bodies --------------------------------------------------------------------------------
    def body(self, page):
        writer = getattr(self, f"{page.help_type}_body")
        return writer(page)

    def article_body(self, page):
        parts = []
        previous = None
        for block in page.body:
            kind, value = block.block_type, block.value
            if kind == "paragraph":
                parts.append(self.text.write(value.source))
            elif kind == "figure":
                parts.append(self.image(value["image"], value.get("caption") or ""))
            elif kind == "callout":
                if previous == "callout":
                    # Two quotes in a row would read back as one.
                    parts.append("<!-- -->")
                parts.append(self.callout(value))
            elif kind == "table":
                parts.append(self.table(value))
            elif kind == "code":
                parts.append(self.code(value))
            elif kind == "missing_image":
                parts.append(self.missing_image(value))
            elif kind == "reusable_answer":
                parts.append(self.reusable_answer(value))
            previous = kind
        return self.join(parts)

    def details(self, stream):
        """The code, tables, notes and text after an FAQ answer's or a step's text."""
        parts, previous = [], None
        for block in stream or []:
            kind, value = block.block_type, block.value
            if kind == "paragraph":
                parts.append(self.text.write(value.source))
            elif kind == "callout":
                if previous == "callout":
                    parts.append("<!-- -->")
                parts.append(self.callout(value))
            elif kind == "code":
                parts.append(self.code(value))
            elif kind == "table":
                parts.append(self.table(value))
            elif kind == "missing_image":
                parts.append(self.missing_image(value))
            previous = kind
        return self.join(parts)

    def faq_body(self, page):
        parts = [self.text.write(page.intro or "")]
        for block in page.faqs:
            value = block.value
            parts.append(f"## {escape_text(value['question'])}")
            if value.get("answer"):
                parts.append(self.text.write(value["answer"].source))
            parts.append(self.details(value.get("details")))
            parts.append(self.reusable_answer(value.get("reusable_answer")))
        return self.join(parts)

    def guide_body(self, page):
        parts = [self.text.write(page.prerequisites or "")]
        for block in page.steps:
            value = block.value
            parts.append(f"## {escape_text(value['title'])}")
            if value.get("text"):
                parts.append(self.text.write(value["text"].source))
            parts.append(self.details(value.get("details")))
            parts.append(self.reusable_answer(value.get("reusable_answer")))
            if value.get("image"):
                parts.append(self.image(value["image"], ""))
            if value.get("callout") and value["callout"].get("text"):
                parts.append(self.callout(value["callout"]))
        return self.join(parts)

    def video_body(self, page):
        return self.text.write(page.transcript or "")

    @staticmethod
    def join(parts):
        return "\n\n".join(p for p in parts if p and p.strip())

    # pieces --------------------------------------------------------------------------------
    def image(self, image, caption):
        if image is None:
            return ""
        src = self.media(image)
        alt = "" if image.decorative else (image.contextual_alt_text or "")
        # An image's title (our caption) is taken literally, escapes and all.
        if _plain(alt) and _plain(caption) and not any(ch in caption for ch in '"\\'):
            title = f' "{caption}"' if caption else ""
            marker = "{: .decorative}" if image.decorative else ""
            return f"![{escape_text(alt)}]({src}{title}){marker}"
        # Text Markdown cannot carry in an image's brackets goes in plain HTML instead.
        attrs = f'src="{html.escape(src)}" alt="{html.escape(alt)}"'
        if image.decorative:
            attrs += ' class="decorative"'
        figcaption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
        return f"<figure><img {attrs}>{figcaption}</figure>"

    def callout(self, value):
        label = CALLOUT_LABELS.get(value.get("kind"), "Note")
        text = self.text.write(value["text"].source if value.get("text") else "")
        lines = f"**{label}:** {text}".split("\n")
        return "\n".join(f"> {line}" if line.strip() else ">" for line in lines)

    def table(self, value):
        rows = [[_cell(c) for c in row] for row in (value.get("data") or []) if row is not None]
        if not rows:
            return ""
        width = max(len(r) for r in rows) or 1
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        caption = (value.get("table_caption") or "").strip()
        if caption:
            lines += ["", f"Table: {escape_text(caption)}"]
        return "\n".join(lines)

    @staticmethod
    def code(value):
        code = value.get("code") or ""
        longest = max((len(run) for run in re.findall(r"`{3,}", code)), default=2)
        fence = "`" * (longest + 1)
        language = re.sub(r"\s+", "", value.get("language") or "")
        return f"{fence}{language}\n{code}\n{fence}"

    @staticmethod
    def missing_image(value):
        """The image as the imported file had it, so it is not lost on the way back."""
        source = (value.get("source") or "").replace(" ", "%20").replace(")", "%29")
        caption = (value.get("caption") or "").replace('"', "'")
        title = f' "{caption}"' if caption else ""
        return f"![{escape_text(value.get('alt_text') or '')}]({source}{title})"

    def reusable_answer(self, answer):
        if answer is None:
            return ""
        return f"[[answer: {escape_text(answer.title)}]]"


def key_name(key):
    """The page's translation key as the imported file named it, else the UUID."""
    named = TranslationKeyName.objects.filter(translation_key=key).first()
    return named.name if named is not None else str(key)


def _plain(text):
    return not any(ch in text for ch in "\n&<>")


def _cell(value):
    return escape_text(str(value or "")).replace("|", "\\|").strip()
