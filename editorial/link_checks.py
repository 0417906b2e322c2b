"""What the page editor warns about before a page goes live: links that lead nowhere, and a
published page that customers cannot reach because its category is not published."""

import html
import re

from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.blocks import StreamValue
from wagtail.blocks.list_block import ListValue
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.rich_text import RichText

from home.anchors import HEADING, heading_id

from .models import ImportedDeadLink

PAGE_LINK = re.compile(r'<a\b[^>]*\blinktype="page"[^>]*\bid="(\d+)"', re.I)
ANCHOR_LINK = re.compile(r'<a\b[^>]*\bhref="#([^"]+)"', re.I)


def rich_texts(page):
    """The stored HTML of every rich text on ``page``, stream fields included."""
    for field in page._meta.get_fields():
        value = getattr(page, field.name, None) if hasattr(field, "attname") else None
        if isinstance(field, RichTextField) and value:
            yield value
        elif isinstance(field, StreamField) and value is not None:
            yield from _stream_texts(value)


def _stream_texts(value):
    if isinstance(value, RichText):
        yield value.source
    elif isinstance(value, dict):  # a struct block's value
        for child in value.values():
            yield from _stream_texts(child)
    elif isinstance(value, (list, tuple, ListValue, StreamValue)):
        for child in value:
            yield from _stream_texts(getattr(child, "value", child))


def page_anchors(page, texts):
    """The #anchors the page has: its headings' ids (as the page gives them when shown) and
    the anchors of the parts search offers (an FAQ's answers)."""
    taken = set()
    for text in texts:
        for _tag, _attrs, inner in HEADING.findall(text):
            heading_id(html.unescape(strip_tags(inner)), taken)
    return taken | {part.anchor for part in page.search_parts() if part.anchor}


def dead_link_warnings(page):
    """Why links on the page (its latest draft) lead nowhere."""
    warnings = []
    imported = list(ImportedDeadLink.objects.filter(page_id=page.pk).values_list("href", flat=True))
    if imported:
        warnings.append(
            _(
                "When this page was imported, these links led nowhere on this site, so only "
                "their text was kept: %(links)s. Link that text to the right page, if there "
                "is one. This note goes once the page is published."
            )
            % {"links": ", ".join(f"“{href}”" for href in imported)}
        )
    texts = list(rich_texts(page))
    anchors = page_anchors(page, texts)
    for missing in dict.fromkeys(
        html.unescape(a) for text in texts for a in ANCHOR_LINK.findall(text)
    ):
        if missing not in anchors:
            warnings.append(
                _(
                    "A link on this page leads to “#%(anchor)s”, which is not a heading or an "
                    "answer on this page."
                )
                % {"anchor": missing}
            )
    linked = {int(pk) for text in texts for pk in PAGE_LINK.findall(text)}
    if linked:
        found = dict(Page.objects.filter(pk__in=linked).values_list("pk", "live"))
        gone = sorted(linked - found.keys())
        unpublished = Page.objects.filter(pk__in=[pk for pk, live in found.items() if not live])
        if gone:
            warnings.append(
                ngettext(
                    "A link on this page leads to a page that has been deleted.",
                    "%(count)d links on this page lead to pages that have been deleted.",
                    len(gone),
                )
                % {"count": len(gone)}
            )
        for target in unpublished:
            warnings.append(
                _("A link on this page leads to “%(title)s”, which is not published.")
                % {"title": target.title}
            )
    return warnings


def placement_warnings(page):
    """A published page under an unpublished category, or a category hiding live pages."""
    warnings = []
    hidden_by = page.get_ancestors().filter(depth__gt=1, live=False).first()
    if page.live and hidden_by is not None:
        warnings.append(
            _(
                "This page is published, but “%(category)s” is not: customers cannot open "
                "it or find it in search until “%(category)s” is published again or the page "
                "is moved to a published category."
            )
            % {"category": hidden_by.title}
        )
    hiding = page.get_descendants().live().count() if not page.live else 0
    if hiding:
        warnings.append(hidden_pages_message(page, hiding))
    return warnings


def hidden_pages_message(page, count):
    return ngettext(
        "“%(title)s” is not published, so the published page in it is hidden: customers "
        "cannot open it, find it in search or see it in the sitemap until “%(title)s” is "
        "published again or the page is moved.",
        "“%(title)s” is not published, so the %(count)d published pages in it are hidden: "
        "customers cannot open them, find them in search or see them in the sitemap until "
        "“%(title)s” is published again or the pages are moved.",
        count,
    ) % {"title": page.title, "count": count}
