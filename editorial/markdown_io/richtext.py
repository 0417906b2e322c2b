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

from .dialects import code_text

MARKDOWN_EXTENSIONS = ["tables", "attr_list", "sane_lists", "admonition"]
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


def top_level_nodes(soup):
    """The block elements of parsed HTML; stray text becomes a paragraph."""
    if isinstance(soup, str):
        soup = BeautifulSoup(soup, "html.parser")
    nodes = []
    for node in list(soup.children):
        if isinstance(node, Tag):
            nodes.append(node)
        elif isinstance(node, NavigableString) and node.strip() and type(node) is NavigableString:
            paragraph = soup.new_tag("p")
            paragraph.string = str(node)
            nodes.append(paragraph)
    return nodes


class SitePathLinks:
    """Links as written, except site-relative paths of pages that exist here."""

    def __init__(self, page_for_path=None):
        self.page_for_path = page_for_path or (lambda path: None)

    def resolve(self, href):
        if (
            href.startswith("/")
            and not href.startswith("//")
            and "#" not in href
            and "?" not in href
        ):
            page = self.page_for_path(href)
            if page is not None:
                return ("page", page.pk)
        return ("url", href)


class RichTextBuilder:
    """Builds Wagtail's stored rich text from parsed HTML, allowing only ``features``.

    ``links.resolve(href)`` says where a link goes: ``("page", id)``, ``("url", href)``, or
    ``(None, None)`` for nowhere (the text is kept without the link).
    """

    def __init__(self, features, links=None):
        self.features = set(features)
        self.links = links or SitePathLinks()

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
            level = {"h1": "h2", "h2": "h2", "h3": "h3"}.get(name, "h4")
            while level is not None and level not in self.features:
                level = {"h2": "h3", "h3": "h4"}.get(level)
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
            text = self.code_lines(node)
            return f"<p>{text}</p>" if text else ""
        if name == "table":
            rows = [
                " | ".join(html.escape(_collapse(c.get_text(" ", strip=True))) for c in row)
                for row in (tr.find_all(["th", "td"]) for tr in node.find_all("tr"))
            ]
            return "".join(f"<p>{row}</p>" for row in rows if row.strip(" |"))
        text = _tidy_breaks(self.inline_children(node.children))
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
                elif isinstance(child, Tag) and child.name == "pre":
                    # Rich text has no code block inside a list item: its lines become
                    # inline code on lines of their own, so the numbering stays right.
                    text = text.rstrip() + "<br/>" + self.code_lines(child) + "<br/>"
                elif isinstance(child, Tag) and child.name in {"div", "blockquote", "table"}:
                    text += " " + self.block(child).replace("<p>", "").replace("</p>", " ")
                else:
                    text += self.inline(child)
            text = _tidy_breaks(_collapse(text))
            items.append(f"<li>{text}{''.join(nested)}</li>")
        return f"<{tag}>{''.join(items)}</{tag}>" if items else ""

    def code_lines(self, pre):
        # Lines of inline code lose their indentation, as all rich text does.
        lines = [line.strip() for line in code_text(pre).split("\n")]
        if "code" not in self.features:
            return "<br/>".join(html.escape(line, quote=False) for line in lines if line.strip())
        return "<br/>".join(
            f"<code>{html.escape(line, quote=False)}</code>" for line in lines if line.strip()
        )

    def inline_children(self, children):
        return "".join(self.inline(child) for child in children)

    def inline(self, node):
        if isinstance(node, NavigableString):
            if type(node) is not NavigableString:  # comments, CDATA, doctype
                return ""
            return html.escape(_collapse(str(node)), quote=False)
        name = node.name
        if name in {"code", "kbd"}:
            text = html.escape(_collapse(node.get_text()), quote=False)
            return _wrap(name, text) if name in self.features else text
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
        parts = urlsplit(href)
        if parts.scheme and parts.scheme.lower() not in SAFE_SCHEMES:
            return inner  # javascript:, data: and the like never become links
        if not parts.scheme and href.startswith("//"):
            return inner
        kind, target = self.links.resolve(href)
        if kind == "page":
            return f'<a linktype="page" id="{target}">{inner}</a>'
        if kind == "url":
            return f'<a href="{html.escape(target, quote=True)}">{inner}</a>'
        return inner


def _tidy_breaks(text):
    """No line break at either end, and none followed by a space."""
    text = re.sub(r"<br/>\s+", "<br/>", text.strip())
    return re.sub(r"^(<br/>)+|(<br/>)+$", "", text).strip()


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
        previous = None
        for node in soup.children:
            if (
                isinstance(node, Tag)
                and node.name in {"p", "ul", "ol", "blockquote", "div"} | HEADINGS
            ):
                if loose:
                    blocks.append(self.paragraph(loose))
                    loose = []
                if node.name in {"ul", "ol"} and node.name == previous:
                    blocks.append("<!-- -->")  # two lists in a row would read back as one
                blocks.append(self.block(node))
                previous = node.name
            else:
                loose.append(node)
        if loose:
            blocks.append(self.paragraph(loose))
        return "\n\n".join(b for b in blocks if b.strip())

    def block(self, node):
        if node.name in HEADINGS:
            text = self.inline_children(node.children).strip()
            marks = {"h1": "##", "h2": "##", "h3": "###"}.get(node.name, "####")
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
        if name == "code":
            return code_span(node.get_text())
        inner = self.inline_children(node.children)
        if name == "kbd":
            return f"<kbd>{inner}</kbd>" if inner.strip() else inner
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


def code_span(text):
    """Inline code that reads back as exactly ``text``, backticks included."""
    if not text.strip():
        return text
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


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
