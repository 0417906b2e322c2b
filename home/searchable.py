"""The small interface through which search reads help pages.

Content apps describe what a page says; the search app decides how to index it. Neither
imports the other's internals.
"""

import re
from dataclasses import dataclass, field
from html import unescape

# Models whose text help pages show by reference (a chooser block): when one changes or is
# deleted, every live page that shows it is indexed again (search.signals).
SHOWN_ON_PAGES = ("home.ReusableAnswer",)


@dataclass(frozen=True)
class SearchPart:
    """One search result a page offers: the page itself, or one answer on an FAQ page."""

    title: str
    summary: str = ""
    body: str = ""
    steps: str = ""
    transcript: str = ""
    anchor: str = ""
    keywords: list[str] = field(default_factory=list)


def join_text(pieces):
    """Collapse searchable-content strings into one block of text."""
    return "\n".join(p.strip() for p in pieces if p and p.strip())


_BLOCK_END = re.compile(r"(</(?:p|h\d|li|blockquote)>|<(?:br|hr)\s*/?>)", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]*>")


def rich_text_to_index(html) -> str:
    """The words of a rich text (editor HTML), a space between its blocks: what Wagtail's
    ``get_text_for_indexing`` gives, in one regular-expression pass instead of Django's HTML
    parser run until nothing changes. Rich text is written by the editor, so it is
    well-formed; the parser took a quarter of the index build at 10,000 pages."""
    html = str(html or "")
    if "<" in html:
        html = _TAG.sub("", _BLOCK_END.sub(r"\1 ", html))
    return unescape(html).strip()
