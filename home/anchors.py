"""Stable ids for the headings of rich text, so ``#anchor`` links keep working.

An id comes from the heading's words (as most Markdown sites make them: "Install a beta
release" -> ``install-a-beta-release``), so a link survives edits elsewhere on the page; a
repeated heading gets ``-2``, ``-3``. The Markdown import resolves ``#anchor`` links with
the same rule.
"""

import html
import re

from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import slugify

HEADING = re.compile(r"<(h[2-6])((?:\s[^>]*)?)>(.*?)</\1>", re.S | re.I)


def heading_id(text, taken):
    """The id for a heading reading ``text``; ``taken`` (a set) is updated."""
    base = slugify(text, allow_unicode=True) or "section"
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    taken.add(candidate)
    return candidate


def with_heading_ids(rendered, taken):
    """Rendered rich-text HTML with an ``id`` on every heading that has none."""

    def add_id(match):
        tag, attrs, inner = match.groups()
        if re.search(r"\sid\s*=", attrs or ""):
            return match.group(0)
        text = html.unescape(strip_tags(inner))
        return f'<{tag}{attrs} id="{heading_id(text, taken)}">{inner}</{tag}>'

    return mark_safe(HEADING.sub(add_id, str(rendered)))  # noqa: S308 - rendered rich text
