"""Images and files a Markdown file refers to: found beside it, brought into the library once.

A file already in the library (same content, by its SHA-1, as Wagtail records it) is reused,
so importing the same folder twice adds nothing.
"""

import hashlib
from io import BytesIO
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import willow
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

IMAGE_EXTENSIONS = {"png", "jpg", "jpeg", "gif", "webp", "avif"}


class MediaProblem(ValueError):
    pass


class MediaLibrary:
    """Finds the files a Markdown file names and returns library objects for them.

    Everything created is remembered, so a dry run can remove the stored files again.
    """

    def __init__(self, root):
        self.root = Path(root).resolve()
        self.created = []
        self._by_hash = {}
        self._hashed_models = set()

    # finding the file ----------------------------------------------------------------------
    def locate(self, markdown_file, reference):
        reference = (reference or "").strip()
        if not reference:
            raise MediaProblem(_("an image or file has an empty address"))
        parts = urlsplit(reference)
        if parts.scheme or parts.netloc:
            raise MediaProblem(
                _(
                    "'%(file)s' is a web address; only files next to the Markdown file are "
                    "imported (download it into the folder and refer to it by its name)"
                )
                % {"file": reference}
            )
        relative = PurePosixPath(unquote(parts.path))
        if relative.is_absolute():
            raise MediaProblem(
                _("'%(file)s' must be a path relative to the Markdown file") % {"file": reference}
            )
        folder = Path(markdown_file).resolve().parent
        # Beside the Markdown file, then from the imported folder's top, then the bare name
        # beside the file (an upload of loose files has no sub-folders).
        candidates = [
            folder / Path(*relative.parts),
            self.root / Path(*relative.parts),
            folder / relative.name,
        ]
        for candidate in candidates:
            resolved = candidate.resolve()
            if not resolved.is_relative_to(self.root):
                raise MediaProblem(
                    _("'%(file)s' points outside the imported folder") % {"file": reference}
                )
            if resolved.is_file():
                return resolved
        raise MediaProblem(_("the file '%(file)s' was not found next to it") % {"file": reference})

    def _read(self, path, limit):
        size = path.stat().st_size
        if size > limit:
            raise MediaProblem(
                _("'%(file)s' is larger than %(mb)d MB")
                % {"file": path.name, "mb": limit // (1024 * 1024)}
            )
        return path.read_bytes()

    # library objects -----------------------------------------------------------------------
    def image(self, markdown_file, reference, description=""):
        path = self.locate(markdown_file, reference)
        if path.suffix.lower().lstrip(".") not in IMAGE_EXTENSIONS:
            raise MediaProblem(
                _("'%(file)s' is not an image this site accepts (%(types)s)")
                % {"file": reference, "types": ", ".join(sorted(IMAGE_EXTENSIONS))}
            )
        limit = settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
        data = self._read(path, limit)
        try:
            width, height = willow.Image.open(BytesIO(data)).get_size()
        except Exception as err:  # noqa: BLE001 - Willow raises many kinds for a broken file
            raise MediaProblem(
                _("'%(file)s' is not a readable image") % {"file": reference}
            ) from err
        return self._stored(
            get_image_model(),
            path,
            data,
            {"width": width, "height": height},
            description=description[:255],
        )

    def document(self, markdown_file, reference, allowed):
        path = self.locate(markdown_file, reference)
        if path.suffix.lower().lstrip(".") not in allowed:
            raise MediaProblem(
                _("'%(file)s' must be one of: %(types)s")
                % {"file": reference, "types": ", ".join(sorted(allowed))}
            )
        limit = settings.WAGTAILDOCS_MAX_UPLOAD_SIZE
        return self._stored(get_document_model(), path, self._read(path, limit), {})

    def _hash_library(self, model):
        # Files stored by code rather than the admin's upload form have no hash yet.
        if model not in self._hashed_models:
            for obj in model.objects.filter(file_hash=""):
                try:
                    obj.get_file_hash()
                except OSError:
                    continue  # its file is missing from storage; it cannot match anything
            self._hashed_models.add(model)

    def _stored(self, model, path, data, measured, **extra):
        digest = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        key = (model, digest)
        if key not in self._by_hash:
            self._hash_library(model)
            found = model.objects.filter(file_hash=digest).order_by("pk").first()
            if found is None:
                found = model(
                    title=path.stem[:255],
                    collection=Collection.get_first_root_node(),
                    file_hash=digest,
                    file_size=len(data),
                    **extra,
                )
                found.file.save(path.name, ContentFile(data), save=False)
                # Set after the file: saving it resets the dimensions it could not read.
                for name, value in measured.items():
                    setattr(found, name, value)
                found.save()
                self.created.append(found)
            self._by_hash[key] = found
        return self._by_hash[key]

    def discard_created_files(self):
        """After a dry run's rollback: the database rows are gone, the stored files are not."""
        for obj in self.created:
            obj.file.storage.delete(obj.file.name)
        self.created = []


def export_name(obj):
    """The file name an image or document is written under when exporting."""
    return PurePosixPath(obj.file.name).name
