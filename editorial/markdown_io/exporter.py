"""Help pages written out as Markdown files, with the images and files they use.

Layout: ``OUT/<language>/<category>/<slug>.md`` and ``OUT/files/<name>`` for media, which
the Markdown files refer to relatively, so the folder can be imported again as it is.
"""

import os
from pathlib import Path

from .media import export_name
from .writer import PageWriter

MEDIA_FOLDER = "files"


class MarkdownExporter:
    def __init__(self, out_dir):
        self.out = Path(out_dir)
        self.written_media = set()

    def export(self, pages):
        """Write each page's latest version (drafts included); returns the files written."""
        written = []
        for page in pages:
            latest = page.specific.get_latest_revision_as_object()
            parent = page.get_parent()
            folder = self.out / latest.locale.language_code / (parent.slug if parent else "")
            target = folder / f"{latest.slug}.md"
            media_dir = self.out / MEDIA_FOLDER

            def media_path(obj, folder=folder, media_dir=media_dir):
                relative = os.path.relpath(media_dir / export_name(obj), folder)
                return Path(relative).as_posix()

            writer = PageWriter(media_path=media_path)
            text = writer.render(latest)
            folder.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written.append(target)
            for obj in writer.used_media:
                self.copy_media(obj, media_dir)
        return written

    def copy_media(self, obj, media_dir):
        name = export_name(obj)
        if name in self.written_media:
            return
        media_dir.mkdir(parents=True, exist_ok=True)
        with obj.file.open("rb") as source:
            (media_dir / name).write_bytes(source.read())
        self.written_media.add(name)
