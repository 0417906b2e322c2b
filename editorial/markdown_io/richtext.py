"""Wagtail rich text <-> Markdown, for the features the help pages allow.

Markdown is turned into HTML by Python-Markdown, then rebuilt element by element into
Wagtail's stored rich-text format, keeping only what the target field allows (raw HTML in a
file, scripts included, never gets through). The way back writes Markdown that reads back
into the same rich text, so a page survives export and import unchanged.
"""

import html
import re
from urllib.parse import urlsplit

import markdown
from bs4 import BeautifulSoup, NavigableString, Tag

MARKDOWN_EXTENSIONS = ["tables", "attr_list", "sane_lists"]
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
BOLD, ITALIC = {"b", "strong"}, {"i", "em"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Elements whose content is never text for a reader.
UNSAFE = {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"}
WHITESPACE = re.compile(r"\s+")
# Characters Python-Markdown would read as markup inside running text.
INLINE_SPECIALS = re.compile(r"([\\`*_\[\]{}])")
LINE_START_SPECIAL = re.compile(r"^(\s*)([#+=|-]|\d+[.)])")
# Python-Markdown has no backslash escape for these two.
LINE_START_ENTITIES = {"=": "&#61;", "|": "&#124;"}


def markdown_to_html(text):
    return markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")


def top_level_nodes(html_text):
    """The block elements of an HTML fragment; stray text becomes a paragraph."""
    soup = BeautifulSoup(html_text, "html.parser")
    nodes = []
    for node in list(soup.children):
        if isinstance(node, Tag):
            nodes.append(node)
        elif isinstance(node, NavigableString) and node.strip() and type(node) is NavigableString:
            paragraph = soup.new_tag("p")
            paragraph.string = str(node)
            nodes.append(paragraph)
    return nodes


class RichTextBuilder:
    """Builds Wagtail's stored rich text from parsed HTML, allowing only ``features``.

    ``page_for_path(path)`` returns the page a site-relative link points to, or None.
    """

    def __init__(self, features, page_for_path=None):
        self.features = set(features)
        self.page_for_path = page_for_path or (lambda path: None)

    def build(self, nodes):
        return "".join(self.block(node) for node in nodes).strip()

    def block(self, node):
        if isinstance(node, NavigableString):
            text = self.inline_children([node]).strip()
            return f"<p>{text}</p>" if text else ""
        name = node.name
        if name in UNSAFE:
            return ""
        if name in HEADINGS:
            level = "h2" if name in {"h1", "h2"} else "h3"
            if level not in self.features:
                level = "h3" if "h3" in self.features and level == "h2" else None
            text = self.inline_children(node.children).strip()
            if not text:
                return ""
            return f"<{level}>{text}</{level}>" if level else f"<p><b>{text}</b></p>"
        if name in {"ul", "ol"}:
            return self.list_block(node)
        if name in {"blockquote", "div", "section", "figure"}:
            return "".join(self.block(child) for child in node.children if not _blank(child))
        if name == "hr":
            return ""
        if name == "pre":
            text = html.escape(_collapse(node.get_text()))
            return f"<p>{text}</p>" if text else ""
        text = self.inline_children(node.children).strip()
        return f"<p>{text}</p>" if text else ""

    def list_block(self, node):
        tag = node.name
        if tag not in self.features:
            other = "ol" if tag == "ul" else "ul"
            if other not in self.features:
                return "".join(self.block(li) for li in node.find_all("li", recursive=False))
            tag = other
        items = []
        for li in node.find_all("li", recursive=False):
            text, nested = "", []
            for child in li.children:
                if isinstance(child, Tag) and child.name in {"ul", "ol"}:
                    nested.append(self.list_block(child))
                elif isinstance(child, Tag) and child.name == "p":
                    # Paragraphs of a loose list item run on as one line of text.
                    text += " " + self.inline_children(child.children).strip() + " "
                else:
                    text += self.inline(child)
            items.append(f"<li>{_collapse(text).strip()}{''.join(nested)}</li>")
        return f"<{tag}>{''.join(items)}</{tag}>" if items else ""

    def inline_children(self, children):
        return "".join(self.inline(child) for child in children)

    def inline(self, node):
        if isinstance(node, NavigableString):
            if type(node) is not NavigableString:  # comments, CDATA, doctype
                return ""
            return html.escape(_collapse(str(node)), quote=False)
        name = node.name
        inner = self.inline_children(node.children)
        if name in BOLD and "bold" in self.features:
            return _wrap("b", inner)
        if name in ITALIC and "italic" in self.features:
            return _wrap("i", inner)
        if name == "br":
            return "<br/>"
        if name == "a" and "link" in self.features:
            return self.link(node, inner)
        if name in UNSAFE or name == "img":
            return ""
        return inner

    def link(self, node, inner):
        href = (node.get("href") or "").strip()
        if not inner.strip() or not href:
            return inner
        if (
            href.startswith("/")
            and not href.startswith("//")
            and "#" not in href
            and "?" not in href
        ):
            page = self.page_for_path(href)
            if page is not None:
                return f'<a linktype="page" id="{page.pk}">{inner}</a>'
        parts = urlsplit(href)
        if parts.scheme and parts.scheme.lower() not in SAFE_SCHEMES:
            return inner  # javascript:, data: and the like never become links
        if not parts.scheme and href.startswith("//"):
            return inner
        return f'<a href="{html.escape(href, quote=True)}">{inner}</a>'


def _blank(node):
    return isinstance(node, NavigableString) and not node.strip()


def _collapse(text):
    return WHITESPACE.sub(" ", text)


def _wrap(tag, inner):
    if not inner.strip():
        return inner
    return f"<{tag}>{inner}</{tag}>"


class MarkdownWriter:
    """Writes stored rich text as Markdown. ``url_for_page(id)`` gives an internal link's
    public address (or None when the page is gone)."""

    def __init__(self, url_for_page):
        self.url_for_page = url_for_page

    def write(self, rich_text):
        soup = BeautifulSoup(rich_text or "", "html.parser")
        blocks = []
        loose = []
        for node in soup.children:
            if (
                isinstance(node, Tag)
                and node.name in {"p", "ul", "ol", "blockquote", "div"} | HEADINGS
            ):
                if loose:
                    blocks.append(self.paragraph(loose))
                    loose = []
                blocks.append(self.block(node))
            else:
                loose.append(node)
        if loose:
            blocks.append(self.paragraph(loose))
        return "\n\n".join(b for b in blocks if b.strip())

    def block(self, node):
        if node.name in HEADINGS:
            text = self.inline_children(node.children).strip()
            marks = "##" if node.name in {"h1", "h2"} else "###"
            return f"{marks} {text}" if text else ""
        if node.name in {"ul", "ol"}:
            return self.list_block(node, 0)
        if node.name in {"blockquote", "div"}:
            return "\n\n".join(
                self.block(c) if isinstance(c, Tag) else self.paragraph([c]) for c in node.children
            )
        return self.paragraph(node.children)

    def paragraph(self, children):
        return _protect_lines(self.inline_children(children).strip())

    def list_block(self, node, depth):
        lines = []
        number = 1
        for li in node.find_all("li", recursive=False):
            marker = f"{number}." if node.name == "ol" else "-"
            number += 1
            inline = [c for c in li.children if not (isinstance(c, Tag) and c.name in {"ul", "ol"})]
            text = _protect_lines(self.inline_children(inline).strip())
            indent = "    " * depth
            continuation = "\n" + indent + "    "
            lines.append(f"{indent}{marker} {text.replace(chr(10), continuation)}".rstrip())
            for nested in li.find_all(["ul", "ol"], recursive=False):
                lines.append(self.list_block(nested, depth + 1))
        return "\n".join(lines)

    def inline_children(self, children):
        return "".join(self.inline(child) for child in children)

    def inline(self, node):
        if isinstance(node, NavigableString):
            return escape_text(str(node)) if type(node) is NavigableString else ""
        name = node.name
        if name == "br":
            return "  \n"
        inner = self.inline_children(node.children)
        if name in BOLD:
            return _emphasis("**", inner)
        if name in ITALIC:
            return _emphasis("*", inner)
        if name == "a":
            return self.link(node, inner)
        return inner

    def link(self, node, inner):
        if not inner.strip():
            return inner
        if node.get("linktype") == "page":
            href = self.url_for_page(node.get("id"))
        elif node.get("linktype"):
            href = None  # documents and other link types are not part of the Markdown format
        else:
            href = node.get("href")
        if not href:
            return inner
        href = href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
        return f"[{inner}]({href})"


def escape_text(text):
    text = _collapse(text)
    text = INLINE_SPECIALS.sub(r"\\\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _emphasis(mark, inner):
    stripped = inner.strip()
    if not stripped:
        return inner
    # Markers must touch the text, so spaces move outside them.
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{mark}{stripped}{mark}{trail}"


def _protect_lines(text):
    """Escape what would start a heading, list, table or rule at the start of a line."""
    return "\n".join(
        LINE_START_SPECIAL.sub(_escape_line_start, line.lstrip()) for line in text.split("\n")
    )


def _escape_line_start(match):
    lead, marker = match.groups()
    if marker[0].isdigit():
        return f"{lead}{marker[:-1]}\\{marker[-1]}"
    if marker in LINE_START_ENTITIES:
        return f"{lead}{LINE_START_ENTITIES[marker]}"
    return f"{lead}\\{marker}"
