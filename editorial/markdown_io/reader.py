"""The content of a Markdown file turned into a help page's fields (stored stream data).

Articles: paragraphs, headings and lists; an image on its own line is a figure (its title is
the caption; ``{: .decorative}`` after it marks it decorative); a quote starting with
**Tip:**, **Warning:** or **Note:** is a callout; a table (with an optional ``Table: caption``
line after it); ``[[answer: Name]]`` on its own line shows a reusable answer.
FAQ pages: each ``## Question`` heading starts a question; what follows is its answer.
Guides: text before the first ``## Step`` heading is "before you start"; each step may have
one image, one callout and one reusable answer. Videos: the text is the transcript.
"""

import re

from bs4 import Tag
from django.utils.translation import gettext as _

from home.models import ReusableAnswer

from .media import MediaProblem
from .richtext import RichTextBuilder, markdown_to_html, top_level_nodes

PARAGRAPH_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]
ANSWER_FEATURES = ["bold", "italic", "ol", "ul", "link"]
CALLOUT_FEATURES = ["bold", "italic", "link"]
PREREQUISITE_FEATURES = ["bold", "italic", "ul", "link"]
TRANSCRIPT_FEATURES = ["bold", "italic", "ul", "ol"]
DIRECTIVE = re.compile(r"^\[\[\s*answer\s*:\s*(.+?)\s*\]\]$", re.S)
CAPTION = re.compile(r"^Table:\s*(.*)$", re.S)
CALLOUT_KINDS = {
    "tip": "tip",
    "warning": "warning",
    "note": "note",
    "טיפ": "tip",
    "אזהרה": "warning",
    "הערה": "note",
}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class ImportProblem(ValueError):
    """Something in a file that stops it from being imported; the message is for the editor."""


class BodyReader:
    def __init__(self, markdown_file, media, locale, page_for_path):
        self.file = markdown_file
        self.media = media
        self.locale = locale
        self.page_for_path = page_for_path
        self.warnings = []

    def rich(self, features, nodes):
        return RichTextBuilder(features, self.page_for_path).build(nodes)

    def nodes(self, body):
        nodes = top_level_nodes(markdown_to_html(body))
        # A leading "# Title" repeats the front matter's title.
        if nodes and nodes[0].name == "h1":
            nodes = nodes[1:]
        return nodes

    # pieces --------------------------------------------------------------------------------
    def lone_image(self, node):
        """The <img> (and caption) of a paragraph or <figure> that holds only an image."""
        if node.name not in {"p", "figure"}:
            return None
        images = node.find_all("img")
        if len(images) != 1:
            return None
        caption_tag = node.find("figcaption")
        caption = caption_tag.get_text(" ", strip=True) if caption_tag else ""
        if caption_tag:
            caption_tag.extract()
        if node.get_text(strip=True):
            return None
        img = images[0]
        return img, caption or (img.get("title") or "").strip()

    def image_value(self, img):
        alt = (img.get("alt") or "").strip()
        decorative = "decorative" in (img.get("class") or [])
        try:
            image = self.media.image(self.file, img.get("src"), description=alt)
        except MediaProblem as err:
            raise ImportProblem(str(err)) from err
        if not alt and not decorative:
            self.warnings.append(
                _("the image '%(file)s' has no alt text: the page cannot be published until it has")
                % {"file": img.get("src")}
            )
        return {"image": image.pk, "alt_text": "" if decorative else alt, "decorative": decorative}

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

    def callout(self, node):
        paragraphs = [c for c in node.children if isinstance(c, Tag)]
        kind = "note"
        if paragraphs and paragraphs[0].name == "p":
            first = next(
                (c for c in paragraphs[0].children if not (isinstance(c, str) and not c.strip())),
                None,
            )
            if isinstance(first, Tag) and first.name in {"strong", "b"}:
                label = first.get_text().strip().rstrip(":").strip().lower()
                if label in CALLOUT_KINDS:
                    kind = CALLOUT_KINDS[label]
                    following = first.next_sibling
                    first.extract()
                    if isinstance(following, str):
                        following.replace_with(following.lstrip())
        return {"kind": kind, "text": self.rich(CALLOUT_FEATURES, paragraphs)}

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

    def no_tables(self, node):
        if node.name == "table":
            raise ImportProblem(_("tables can only be used in articles"))

    # page types ----------------------------------------------------------------------------
    def article_body(self, body):
        stream, text = [], []

        def flush():
            html = self.rich(PARAGRAPH_FEATURES, text)
            if html:
                stream.append(("paragraph", html))
            text.clear()

        nodes = self.nodes(body)
        index = 0
        while index < len(nodes):
            node = nodes[index]
            index += 1
            image = self.lone_image(node)
            answer = self.directive(node)
            if image is not None:
                flush()
                img, caption = image
                stream.append(
                    ("figure", {"image": self.image_value(img), "caption": caption[:250]})
                )
            elif answer is not None:
                flush()
                stream.append(("reusable_answer", self.reusable_answer(answer)))
            elif node.name == "blockquote":
                flush()
                stream.append(("callout", self.callout(node)))
            elif node.name == "table":
                flush()
                caption = ""
                following = nodes[index] if index < len(nodes) else None
                match = (
                    CAPTION.match(following.get_text().strip())
                    if following is not None and following.name == "p"
                    else None
                )
                if match:
                    caption = match.group(1).strip()
                    index += 1
                stream.append(("table", self.table(node, caption)))
            else:
                self.drop_inline_images(node)
                text.append(node)
        flush()
        return stream

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

    def faq_items(self, body):
        before, sections = self.sections(self.nodes(body))
        if any(n.get_text(strip=True) or n.find("img") for n in before):
            raise ImportProblem(
                _("it has text before the first question: start each question with a '## ' heading")
            )
        if not sections:
            raise ImportProblem(
                _("a FAQ needs at least one question: start each with a '## ' heading")
            )
        items = []
        for question, nodes in sections:
            if len(question) > 250:
                raise ImportProblem(
                    _("the question '%(start)s…' is longer than 250 characters")
                    % {"start": question[:40]}
                )
            text, answer = [], None
            for node in nodes:
                self.no_tables(node)
                name = self.directive(node)
                if name is not None:
                    if answer is not None:
                        raise ImportProblem(
                            _("the question '%(question)s' has more than one reusable answer")
                            % {"question": question}
                        )
                    answer = self.reusable_answer(name)
                elif node.find("img") or self.lone_image(node):
                    raise ImportProblem(
                        _(
                            "the answer to '%(question)s' has an image; "
                            "FAQ answers cannot show images"
                        )
                        % {"question": question}
                    )
                else:
                    text.append(node)
            value = {"question": question, "answer": self.rich(ANSWER_FEATURES, text)}
            if answer is not None:
                value["reusable_answer"] = answer
            items.append(("faq", value))
        return items

    def guide(self, body):
        before, sections = self.sections(self.nodes(body))
        if not sections:
            raise ImportProblem(
                _("a guide needs at least one step: start each with a '## ' heading")
            )
        for node in before:
            self.no_tables(node)
            self.drop_inline_images(node)
        steps = []
        for title, nodes in sections:
            if len(title) > 200:
                raise ImportProblem(
                    _("the step '%(start)s…' is longer than 200 characters") % {"start": title[:40]}
                )
            value, text = {"title": title}, []
            for node in nodes:
                self.no_tables(node)
                image = self.lone_image(node)
                name = self.directive(node)
                if image is not None:
                    self.only_one(value, "image", title)
                    value["image"] = self.image_value(image[0])
                elif name is not None:
                    self.only_one(value, "reusable_answer", title)
                    value["reusable_answer"] = self.reusable_answer(name)
                elif node.name == "blockquote":
                    self.only_one(value, "callout", title)
                    value["callout"] = self.callout(node)
                else:
                    self.drop_inline_images(node)
                    text.append(node)
            value["text"] = self.rich(ANSWER_FEATURES, text)
            steps.append(("step", value))
        return self.rich(PREREQUISITE_FEATURES, before), steps

    @staticmethod
    def only_one(value, key, title):
        if key in value:
            message = {
                "image": _("the step '%(title)s' has more than one image"),
                "reusable_answer": _("the step '%(title)s' has more than one reusable answer"),
                "callout": _("the step '%(title)s' has more than one tip or warning"),
            }[key]
            raise ImportProblem(message % {"title": title})

    def transcript(self, body):
        nodes = self.nodes(body)
        for node in nodes:
            self.no_tables(node)
            self.drop_inline_images(node)
        return self.rich(TRANSCRIPT_FEATURES, nodes)
