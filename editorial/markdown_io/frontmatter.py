"""The YAML block between two ``---`` lines at the top of a Markdown file."""

import yaml
from django.utils.translation import gettext as _

MAX_HEADER_CHARS = 20_000


class FrontMatterError(ValueError):
    pass


def split(text):
    """``(metadata dict, body text)``; raises FrontMatterError with a message for a person."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise FrontMatterError(
            _(
                "it does not start with front matter: a '---' line, 'title:' and 'language:' "
                "lines, then another '---' line"
            )
        )
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        raise FrontMatterError(_("its front matter has no closing '---' line"))
    header = "\n".join(lines[1:end])
    if len(header) > MAX_HEADER_CHARS:
        raise FrontMatterError(
            _("its front matter is longer than %(count)d characters") % {"count": MAX_HEADER_CHARS}
        )
    try:
        meta = yaml.safe_load(header)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or _("it cannot be read")
        if mark is None:
            message = _("its front matter is not valid YAML: %(problem)s") % {"problem": problem}
        else:
            message = _("its front matter is not valid YAML (line %(line)d): %(problem)s") % {
                "line": mark.line + 2,
                "problem": problem,
            }
        if "mapping values are not allowed" in str(problem):
            message += " " + _(
                "(a value that has a colon in it must be in quotes, "
                'e.g. title: "Wi-Fi: connect a laptop")'
            )
        raise FrontMatterError(message) from err
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FrontMatterError(_("its front matter must be 'key: value' lines"))
    return meta, "\n".join(lines[end + 1 :])


def join(meta, body):
    header = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000)
    return f"---\n{header}---\n\n{body.strip()}\n"
