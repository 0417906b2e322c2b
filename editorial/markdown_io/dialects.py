"""What help centers write in Markdown beyond the basics, brought into one form before parsing.

- Fenced code (``` and ~~~, at any indentation, so also inside list items) is taken out and
  replaced by a placeholder word; after parsing, each placeholder becomes ``<pre><code>``.
  Python-Markdown alone only sees fences at the left margin.
- ``:::tip`` containers (Docusaurus, VitePress) become ``!!! tip`` admonitions, which the
  ``admonition`` extension reads; ``> [!NOTE]`` alerts (GitHub) are read from the quote.
- Other tools' template syntax (includes ``{!…!}``, Zulip's ``{start_tabs}``/``{tab|…}``,
  Jinja/Liquid ``{% … %}`` and ``{{ … }}``, Hugo shortcodes) is found line by line, outside
  code, so it can be reported, and removed when asked.
"""

import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString

FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
CONTAINER_OPEN = re.compile(r"^(?P<indent>[ \t]*):::+\s*(?P<kind>[A-Za-z]+)\s*(?P<title>.*)$")
CONTAINER_CLOSE = re.compile(r"^[ \t]*:::+\s*$")
PLACEHOLDER = "zzcodeblock{}zz"
PLACEHOLDER_RE = re.compile(r"zzcodeblock(\d+)zz")
INLINE_CODE = re.compile(r"(`+)(.+?)\1")
UNKNOWN_SYNTAX = re.compile(
    r"\{!.*?!\}"  # includes, e.g. {!admin-only.md!}
    r"|\{%.*?%\}"  # Jinja / Liquid / Hugo tags
    r"|\{\{.*?\}\}"  # Jinja / Liquid output, Hugo shortcodes {{< … >}}
    r"|\{[a-z_][\w-]*(?:\|[^{}\n]*)?\}"  # Zulip macros: {start_tabs}, {tab|mac}
)


@dataclass
class UnknownSyntax:
    line: int
    text: str


@dataclass
class Prepared:
    text: str
    code: list = field(default_factory=list)  # (language, code) for each placeholder
    unknown: list = field(default_factory=list)  # UnknownSyntax found


def prepare(body, first_line=1, strip_unknown=False):
    """``body`` ready for Python-Markdown; ``first_line`` is the file's line number of the
    body's first line, for the report."""
    lines = body.split("\n")
    prepared = Prepared(text="")
    out = []
    index = 0
    while index < len(lines):
        line = lines[index]
        opening = FENCE_OPEN.match(line)
        if opening and not (opening["fence"][0] == "`" and "`" in opening["info"]):
            index = _take_fence(lines, index, opening, prepared, out)
            continue
        out.append(_unknown_syntax(line, first_line + index, prepared, strip_unknown))
        index += 1
    prepared.text = "\n".join(_containers_to_admonitions(out))
    return prepared


def _take_fence(lines, index, opening, prepared, out):
    indent, fence = opening["indent"], opening["fence"]
    closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    end = index + 1
    while end < len(lines) and not closing.match(lines[end]):
        end += 1
    width = len(indent.expandtabs(4))
    code = "\n".join(_dedent(line, width) for line in lines[index + 1 : end])
    info = opening["info"].strip().split()
    language = info[0].strip("{}.") if info else ""
    prepared.code.append((language[:40], code))
    out.append(indent + PLACEHOLDER.format(len(prepared.code) - 1))
    return end + 1


def _dedent(line, width):
    expanded = line.expandtabs(4)
    lead = len(expanded) - len(expanded.lstrip(" "))
    return expanded[min(lead, width) :]


def _unknown_syntax(line, number, prepared, strip_unknown):
    # Inline code may show such syntax on purpose; it is not looked at.
    masked = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)
    found = list(UNKNOWN_SYNTAX.finditer(masked))
    if not found:
        return line
    for match in found:
        prepared.unknown.append(UnknownSyntax(number, match.group(0)))
    if not strip_unknown:
        return line
    for match in reversed(found):
        line = line[: match.start()] + line[match.end() :]
    return "" if not line.strip() else line


def _containers_to_admonitions(lines):
    out, depth = [], []
    for line in lines:
        opening = CONTAINER_OPEN.match(line)
        if opening:
            indent = opening["indent"] + "    " * len(depth)
            title = opening["title"].strip().replace('"', "'")
            out.append(f'{indent}!!! {opening["kind"].lower()} "{title}"')
            out.append("")
            depth.append(indent)
        elif depth and CONTAINER_CLOSE.match(line):
            depth.pop()
            out.append("")
        elif depth:
            out.append(depth[-1] + "    " + line if line.strip() else "")
        else:
            out.append(line)
    return out


def restore_code(soup, code):
    """Put each fenced block back, as ``<pre data-language><code>``, where its placeholder
    ended up (a paragraph of its own, or inside a paragraph or list item)."""
    for text in list(soup.find_all(string=PLACEHOLDER_RE)):
        if not isinstance(text, NavigableString) or text.parent is None:
            continue
        _split_at_placeholders(soup, text, code)


def _split_at_placeholders(soup, text, code):
    parent = text.parent
    pieces = PLACEHOLDER_RE.split(str(text))
    new_nodes = []
    for position, piece in enumerate(pieces):
        if position % 2 == 0:
            if piece.strip():
                new_nodes.append(NavigableString(piece))
            continue
        language, source = code[int(piece)]
        pre = soup.new_tag("pre")
        if language:
            pre["data-language"] = language
        inner = soup.new_tag("code")
        inner.string = source
        pre.append(inner)
        new_nodes.append(pre)
    if parent.name != "p":
        for node in new_nodes:
            text.insert_before(node)
        text.extract()
        return
    # A <pre> cannot sit inside a <p>: the paragraph is split around it.
    before = list(text.previous_siblings)[::-1]
    after = list(text.next_siblings)
    groups, current = [], [n.extract() for n in before]
    for node in new_nodes:
        if node.name == "pre":
            groups.append(("p", current))
            groups.append(("pre", node))
            current = []
        else:
            current.append(node)
    current += [n.extract() for n in after]
    groups.append(("p", current))
    for kind, content in groups:
        if kind == "pre":
            parent.insert_before(content)
        elif any(not isinstance(n, NavigableString) or n.strip() for n in content):
            paragraph = soup.new_tag("p")
            for node in content:
                paragraph.append(node)
            parent.insert_before(paragraph)
    parent.decompose()


def parse(prepared, to_html):
    soup = BeautifulSoup(to_html(prepared.text), "html.parser")
    restore_code(soup, prepared.code)
    return soup


def code_text(pre):
    """The code of a ``<pre>``, without the newline Markdown leaves at its end."""
    text = pre.get_text()
    return text[:-1] if text.endswith("\n") else text
