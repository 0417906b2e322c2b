"""The small interface through which search reads help pages.

Content apps describe what a page says; the search app decides how to index it. Neither
imports the other's internals.
"""

from dataclasses import dataclass, field

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
