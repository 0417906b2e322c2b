"""The content of a Markdown file turned into a help page's fields (stored stream data).

Articles: paragraphs, headings and lists; fenced or indented code is a code block; an image
on its own line is a figure (its title is the caption; ``{: .decorative}`` after it, on the
same line or the next, marks it decorative); a quote starting with **Tip:**, **Warning:** or
**Note:**, a ``> [!NOTE]`` alert, a ``!!! tip`` admonition or a ``:::tip`` container is a
callout; a table (with an optional ``Table: caption`` line after it); ``[[answer: Name]]`` on
its own line shows a reusable answer.
FAQ pages: text before the first question is the introduction; each ``## Question`` heading
starts a question; what follows is its answer (text first, then any code, tables and notes).
Guides: text before the first ``## Step`` heading is "before you start"; each step has text,
then any code, tables and notes, and may have one image, one callout and one reusable
answer. Videos: the text is the transcript.
An image that cannot be brought in (missing, or on another site) never stops the import: it
is reported and left as a placeholder the editor must replace before publishing.
"""

import functools
import html
import re
import uuid

from bs4 import BeautifulSoup, Tag
from django.utils.translation import gettext as _
from wagtail.admin.rich_text.converters.db_html import DbHTMLConverter

from home.anchors import heading_id
from home.blocks import ANSWER_FEATURES, BODY_FEATURES, CALLOUT_KINDS, INLINE_FEATURES
from home.models import ReusableAnswer

from . import dialects
from .media import MediaProblem
from .richtext import RichTextBuilder, markdown_to_html, top_level_nodes

PREREQUISITE_FEATURES = [f for f in ANSWER_FEATURES if f != "ol"]
TRANSCRIPT_FEATURES = ["bold", "italic", "ul", "ol"]
DIRECTIVE = re.compile(r"^\[\[\s*answer\s*:\s*(.+?)\s*\]\]$", re.S)
CAPTION = re.compile(r"^Table:\s*(.*)$", re.S)
DECORATIVE = re.compile(r"^\{:\s*\.decorative\s*\}$")
ALERT = re.compile(r"^\s*\[!(\w+)\]\s*")
# A callout's kind by its own name and by the names other Markdown dialects give it.
CALLOUT_NAMES = {
    **{kind: kind for kind, _label in CALLOUT_KINDS},
    "hint": "tip", "success": "tip", "check": "tip", "done": "tip",
    "warn": "warning", "caution": "warning", "attention": "warning",
    "danger": "warning", "error": "warning", "failure": "warning", "bug": "warning",
    "important": "warning",
    "info": "note", "abstract": "note", "summary": "note", "todo": "note",
    "seealso": "note", "question": "note", "example": "note", "quote": "note",
    "טיפ": "tip", "אזהרה": "warning", "הערה": "note",
}  # fmt: skip
# Blocks that end an FAQ answer's or a step's opening text; what follows goes to "details".
DETAIL_NODES = {"pre", "table", "blockquote", "div"}


@functools.cache
def db_html_converter(features):
    return DbHTMLConverter(list(features))


def node_like(node):
    """An empty element of the same kind as ``node``."""
    return BeautifulSoup("", "html.parser").new_tag(node.name)


def stream_data(blocks):
    """Stream blocks nested in a block, in the raw form a stream field stores."""
    return [{"type": kind, "value": value, "id": str(uuid.uuid4())} for kind, value in blocks]


class ImportProblem(ValueError):
    """Something in a file that stops it from being imported; the message is for the editor."""


class BodyReader:
    def __init__(self, markdown_file, media, locale, links, first_line=1, strip_unknown=False):
        self.file = markdown_file
        self.media = media
        self.locale = locale
        self.links = links
        self.first_line = first_line
        self.strip_unknown = strip_unknown
        self.warnings = []

    def rich(self, features, nodes):
        built = RichTextBuilder(features, self.links).build(nodes)
        if not built:
            return built
        # Wagtail's own whitelist has the last word on what the field may hold.
        cleaned, removals = db_html_converter(tuple(features)).clean(built)
        for removal in removals:
            self.warnings.append(
                _("%(markup)s is not allowed here and was left out") % {"markup": removal.detail}
            )
        return cleaned

    def nodes(self, body):
        prepared = dialects.prepare(body, self.first_line, self.strip_unknown)
        if prepared.unknown:
            found = "; ".join(
                _("line %(line)d: %(text)s") % {"line": f.line, "text": f.text}
                for f in prepared.unknown
            )
            if self.strip_unknown:
                message = _("another tool's macros or includes were removed (%(found)s)")
            else:
                message = _(
                    "another tool's macros, includes or shortcodes show as text (%(found)s): "
                    "remove them, or import with --strip-unknown"
                )
            self.warnings.append(message % {"found": found})
        soup = dialects.parse(prepared, markdown_to_html)
        nodes = top_level_nodes(soup)
        # A leading "# Title" repeats the front matter's title.
        if nodes and nodes[0].name == "h1":
            nodes = nodes[1:]
        nodes = [piece for node in nodes for piece in self.lift_tables(node)]
        taken = set()
        self.links.anchors = {
            heading_id(h.get_text(" ", strip=True), taken)
            for node in nodes
            for h in ([node] if node.name in {"h2", "h3", "h4", "h5", "h6"} else [])
        }
        return nodes

    def lift_tables(self, node):
        """A list whose items hold tables, as pieces: the list up to the item with a table,
        the table (rich text cannot hold one), then the rest of the list."""
        if node.name not in {"ul", "ol"} or node.find("table") is None:
            return [node]
        pieces, part = [], node_like(node)
        for item in node.find_all("li", recursive=False):
            tables = [table.extract() for table in item.find_all("table")]
            if item.get_text(strip=True) or item.find("img"):
                part.append(item)
            if tables:
                pieces += [part, *tables] if part.contents else tables
                part = node_like(node)
        if part.contents:
            pieces.append(part)
            if node.name == "ol" and len(pieces) > 1:
                self.warnings.append(
                    _(
                        "a numbered list continues after a table in it: in the page its "
                        "numbers start again at 1 after the table; check that it still reads well"
                    )
                )
        return pieces

    # pieces --------------------------------------------------------------------------------
    def lone_image(self, node):
        """The <img> and caption of a paragraph or <figure> that holds only an image."""
        if node.name not in {"p", "figure"}:
            return None
        images = node.find_all("img")
        if len(images) != 1:
            return None
        caption_tag = node.find("figcaption")
        if node.get_text(strip=True) != (caption_tag.get_text(strip=True) if caption_tag else ""):
            return None
        caption = caption_tag.get_text(" ", strip=True) if caption_tag else ""
        img = images[0]
        if "decorative" in (node.get("class") or []):
            img["class"] = [*img.get("class", []), "decorative"]
        return img, caption or (img.get("title") or "").strip()

    @staticmethod
    def decorative_marker(node):
        return node is not None and node.name == "p" and DECORATIVE.match(node.get_text().strip())

    def image_value(self, img):
        """The figure's image value, or None (with a warning) when it cannot be brought in."""
        alt = (img.get("alt") or "").strip()
        decorative = "decorative" in (img.get("class") or [])
        try:
            image = self.media.image(self.file, img.get("src"), description=alt)
        except MediaProblem as err:
            self.warnings.append(
                _("%(problem)s: a placeholder was left; choose the image before publishing")
                % {"problem": err}
            )
            return None
        return {"image": image.pk, "alt_text": "" if decorative else alt, "decorative": decorative}

    @staticmethod
    def missing_image(img, caption):
        return (
            "missing_image",
            {
                "source": (img.get("src") or "")[:500],
                "alt_text": (img.get("alt") or "").strip()[:255],
                "caption": caption[:250],
            },
        )

    def directive(self, node):
        if node.name != "p":
            return None
        match = DIRECTIVE.match(node.get_text().strip())
        return match.group(1).strip() if match else None

    def reusable_answer(self, name):
        named = list(ReusableAnswer.objects.filter(title=name).select_related("locale"))
        local = [a for a in named if a.locale_id == self.locale.pk]
        if len(local) > 1:
            raise ImportProblem(_("several reusable answers are named '%(name)s'") % {"name": name})
        if local:
            return local[0].pk
        if named:
            translated = named[0].get_translation_or_none(self.locale)
            return (translated or named[0]).pk
        raise ImportProblem(_("there is no reusable answer named '%(name)s'") % {"name": name})

    @staticmethod
    def is_callout(node):
        return node.name == "blockquote" or (
            node.name == "div" and "admonition" in (node.get("class") or [])
        )

    def callout(self, node):
        paragraphs = [c for c in node.children if isinstance(c, Tag)]
        kind = "note"
        if node.name == "div":
            classes = [c for c in node.get("class") or [] if c != "admonition"]
            kind = next((CALLOUT_NAMES[c] for c in classes if c in CALLOUT_NAMES), "note")
            title = node.find("p", class_="admonition-title", recursive=False)
            if title is not None:
                paragraphs.remove(title)
                label = title.get_text(" ", strip=True)
                if label and label.lower() not in CALLOUT_NAMES:
                    text = self.rich(INLINE_FEATURES, paragraphs)
                    heading = f"<p><b>{html.escape(label, quote=False)}</b></p>"
                    return {"kind": kind, "text": heading + text}
        elif paragraphs and paragraphs[0].name == "p":
            kind = self.callout_label(paragraphs[0]) or kind
        return {"kind": kind, "text": self.rich(INLINE_FEATURES, paragraphs)}

    @staticmethod
    def callout_label(paragraph):
        """The kind named at the start of a quote ("**Tip:**" or "[!TIP]"), removed from it."""
        first = next(
            (c for c in paragraph.children if not (isinstance(c, str) and not c.strip())), None
        )
        if isinstance(first, str):
            match = ALERT.match(first)
            if match and match.group(1).lower() in CALLOUT_NAMES:
                first.replace_with(first[match.end() :])
                return CALLOUT_NAMES[match.group(1).lower()]
        if isinstance(first, Tag) and first.name in {"strong", "b"}:
            label = first.get_text().strip().rstrip(":").strip().lower()
            if label in CALLOUT_NAMES:
                following = first.next_sibling
                first.extract()
                if isinstance(following, str):
                    following.replace_with(following.lstrip())
                return CALLOUT_NAMES[label]
        return None

    def table(self, node, caption):
        rows = []
        for tr in node.find_all("tr"):
            rows.append([cell.get_text(" ", strip=True) for cell in tr.find_all(["th", "td"])])
        return {
            "data": rows,
            "first_row_is_table_header": True,
            "first_col_is_header": False,
            "table_caption": caption,
        }

    def table_caption(self, nodes, index):
        """The ``Table: caption`` line at ``nodes[index]``, if there is one."""
        following = nodes[index] if index < len(nodes) else None
        if following is None or following.name != "p":
            return None
        match = CAPTION.match(following.get_text().strip())
        return match.group(1).strip() if match else None

    @staticmethod
    def code(node):
        return {
            "language": (node.get("data-language") or "")[:40],
            "code": dialects.code_text(node),
        }

    # page types ----------------------------------------------------------------------------
    def blocks(self, nodes, features, allow_answers=True):
        """Stream blocks for ``nodes``: runs of text become paragraphs."""
        stream, text = [], []

        def flush():
            html = self.rich(features, text)
            if html:
                stream.append(("paragraph", html))
            text.clear()

        index = 0
        while index < len(nodes):
            node = nodes[index]
            index += 1
            image = self.lone_image(node)
            answer = self.directive(node) if allow_answers else None
            if image is not None:
                flush()
                img, caption = image
                if self.decorative_marker(nodes[index] if index < len(nodes) else None):
                    img["class"] = [*img.get("class", []), "decorative"]
                    index += 1
                value = self.image_value(img)
                if value is None:
                    stream.append(self.missing_image(img, caption))
                else:
                    stream.append(("figure", {"image": value, "caption": caption[:250]}))
            elif answer is not None:
                flush()
                stream.append(("reusable_answer", self.reusable_answer(answer)))
            elif self.is_callout(node):
                flush()
                stream.append(("callout", self.callout(node)))
            elif node.name == "pre":
                flush()
                stream.append(("code", self.code(node)))
            elif node.name == "table":
                flush()
                caption = self.table_caption(nodes, index)
                if caption is not None:
                    index += 1
                stream.append(("table", self.table(node, caption or "")))
            elif not self.decorative_marker(node):
                self.drop_inline_images(node)
                text.append(node)
        flush()
        return stream

    def article_body(self, body):
        return self.blocks(self.nodes(body), BODY_FEATURES)

    def drop_inline_images(self, node):
        for img in node.find_all("img"):
            self.warnings.append(
                _("the image '%(file)s' sits inside text and was left out: put it on its own line")
                % {"file": img.get("src")}
            )
            img.decompose()

    def sections(self, nodes):
        """Split at ``##`` headings: (nodes before the first, [(heading text, nodes)])."""
        before, sections = [], []
        for node in nodes:
            if node.name in {"h1", "h2"}:
                title = node.get_text(" ", strip=True)
                if not title:
                    raise ImportProblem(_("a '##' heading has no text"))
                sections.append((title, []))
            elif sections:
                sections[-1][1].append(node)
            else:
                before.append(node)
        return before, sections

    @staticmethod
    def split_text(nodes):
        """(the opening text nodes, the rest): the rest starts at the first code block,
        table, note or image."""
        for index, node in enumerate(nodes):
            if node.name in DETAIL_NODES or (node.name in {"p", "figure"} and node.find("img")):
                return nodes[:index], nodes[index:]
        return nodes, []

    def details(self, nodes, where):
        stream = []
        for kind, value in self.blocks(nodes, ANSWER_FEATURES, allow_answers=False):
            if kind == "figure":
                self.warnings.append(
                    _(
                        "%(where)s has an image; only articles and guide steps show images, so "
                        "it was left out"
                    )
                    % {"where": where}
                )
            else:
                stream.append((kind, value))
        return stream

    def faq(self, body):
        """(introduction, FAQ items)."""
        before, sections = self.sections(self.nodes(body))
        if not sections:
            raise ImportProblem(
                _("a FAQ needs at least one question: start each with a '## ' heading")
            )
        for node in before:
            self.drop_inline_images(node)
        intro = self.rich(ANSWER_FEATURES, [n for n in before if n.name not in DETAIL_NODES])
        if any(n.name in DETAIL_NODES for n in before):
            self.warnings.append(
                _("the introduction can only hold text; its code, tables and notes were left out")
            )
        items = []
        for question, nodes in sections:
            if len(question) > 250:
                raise ImportProblem(
                    _("the question '%(start)s…' is longer than 250 characters")
                    % {"start": question[:40]}
                )
            answer, rest = None, []
            for node in nodes:
                name = self.directive(node)
                if name is None:
                    rest.append(node)
                elif answer is not None:
                    raise ImportProblem(
                        _("the question '%(question)s' has more than one reusable answer")
                        % {"question": question}
                    )
                else:
                    answer = self.reusable_answer(name)
            text, more = self.split_text(rest)
            for node in text:
                self.drop_inline_images(node)
            value = {"question": question, "answer": self.rich(ANSWER_FEATURES, text)}
            where = _("the answer to '%(question)s'") % {"question": question}
            details = self.details(more, where)
            if details:
                value["details"] = stream_data(details)
            if answer is not None:
                value["reusable_answer"] = answer
            items.append(("faq", value))
        return intro, items

    def guide(self, body):
        before, sections = self.sections(self.nodes(body))
        if not sections:
            raise ImportProblem(
                _("a guide needs at least one step: start each with a '## ' heading")
            )
        for node in before:
            self.drop_inline_images(node)
        steps = []
        for title, nodes in sections:
            if len(title) > 200:
                raise ImportProblem(
                    _("the step '%(start)s…' is longer than 200 characters") % {"start": title[:40]}
                )
            steps.append(("step", self.step(title, nodes)))
        return self.rich(PREREQUISITE_FEATURES, before), steps

    def step(self, title, nodes):
        value, rest = {"title": title}, []
        index = 0
        while index < len(nodes):
            node = nodes[index]
            index += 1
            image = self.lone_image(node)
            name = self.directive(node)
            if image is not None and "image" not in value:
                img, caption = image
                if self.decorative_marker(nodes[index] if index < len(nodes) else None):
                    img["class"] = [*img.get("class", []), "decorative"]
                    index += 1
                if caption:
                    self.warnings.append(
                        _(
                            "the step '%(title)s': step images show no caption, so '%(caption)s' "
                            "was left out; put it in the step's text if it matters"
                        )
                        % {"title": title, "caption": caption}
                    )
                image_value = self.image_value(img)
                if image_value is None:
                    rest.append(node)  # becomes a placeholder among the step's details
                else:
                    value["image"] = image_value
            elif name is not None:
                self.only_one(value, "reusable_answer", title)
                value["reusable_answer"] = self.reusable_answer(name)
            elif self.is_callout(node) and "callout" not in value:
                value["callout"] = self.callout(node)
            else:
                rest.append(node)
        text, more = self.split_text(rest)
        for node in text:
            self.drop_inline_images(node)
        value["text"] = self.rich(ANSWER_FEATURES, text)
        details = []
        for kind, block in self.blocks(more, ANSWER_FEATURES, allow_answers=False):
            if kind == "figure":
                self.only_one(value, "image", title)
            details.append((kind, block))
        if details:
            value["details"] = stream_data(details)
        return value

    @staticmethod
    def only_one(value, key, title):
        if key in value:
            message = {
                "image": _("the step '%(title)s' has more than one image"),
                "reusable_answer": _("the step '%(title)s' has more than one reusable answer"),
            }[key]
            raise ImportProblem(message % {"title": title})

    def transcript(self, body):
        nodes = self.nodes(body)
        for node in nodes:
            self.drop_inline_images(node)
        return self.rich(TRANSCRIPT_FEATURES, nodes)
