"""Where the links of imported files go.

A link to another imported file (``billing/refunds.md``, ``refunds``) or to that file's
address on the old site (``/help/refunds`` with ``--link-prefix /help/``) becomes a link to
its page here. An ``#anchor`` must name a heading of the same page. With ``--old-site`` the
old site's other addresses become full addresses there, as a reader's browser resolved them.
Anything else that points nowhere keeps its text, loses the link and is reported.
"""

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit


class ImportedFiles:
    """The files of one import and, once imported, their pages."""

    def __init__(self, files, link_prefixes=(), old_site=""):
        self.files = {Path(f).resolve() for f in files}
        self.by_name = {}
        for path in sorted(self.files):
            self.by_name.setdefault(path.stem, path)
        self.pages = {}  # resolved path -> page id
        self.prefixes = [p if p.endswith("/") else p + "/" for p in link_prefixes if p]
        self.old_site = old_site.rstrip("/")

    def for_file(self, path, page_for_path):
        return FileLinks(self, Path(path).resolve(), page_for_path)


class FileLinks:
    def __init__(self, imported, path, page_for_path):
        self.imported = imported
        self.path = path
        self.page_for_path = page_for_path
        self.anchors = set()
        self.dead = []
        self.waiting = False  # links to files of this import whose pages do not exist yet

    def resolve(self, href):
        parts = urlsplit(href)
        if parts.scheme:
            return ("url", href)
        if not parts.path:
            if parts.fragment and unquote(parts.fragment) not in self.anchors:
                return self.nowhere(href)
            return ("url", href)
        if parts.path.startswith("/"):
            return self.site_path(href, parts.path)
        target = self.file_for(self.path.parent / unquote(parts.path))
        if target is not None:
            return self.page_of(target, href)
        old_address = self.old_address()
        if old_address is not None:
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(old_address), parts.path))
            return self.site_path(href, joined, fragment=parts.fragment)
        return self.nowhere(href)

    def site_path(self, href, path, fragment=None):
        fragment = urlsplit(href).fragment if fragment is None else fragment
        for prefix in self.imported.prefixes:
            if (path + "/").startswith(prefix):
                name = path[len(prefix) :].strip("/")
                target = self.imported.by_name.get(Path(name).stem) if name else None
                if target is not None:
                    return self.page_of(target, href)
        page = self.page_for_path(path)
        if page is not None:
            return ("page", page.pk)
        if self.imported.old_site:
            return ("url", self.imported.old_site + path + (f"#{fragment}" if fragment else ""))
        return self.nowhere(href)

    def old_address(self):
        if not self.imported.prefixes:
            return None
        return self.imported.prefixes[0] + self.path.stem

    def file_for(self, candidate):
        for option in (candidate, candidate.with_name(candidate.name + ".md")):
            resolved = option.resolve()
            if resolved in self.imported.files:
                return resolved
        return None

    def page_of(self, target, href):
        page_id = self.imported.pages.get(target)
        if page_id is None:
            self.waiting = True
            return self.nowhere(href)
        return ("page", page_id)

    def nowhere(self, href):
        if href not in self.dead:
            self.dead.append(href)
        return (None, None)
