"""Files uploaded in the admin, kept in a private folder until the worker imports them.

Each upload gets a folder of its own under settings.MARKDOWN_IMPORT_DIR (the web processes
and the workers must share it): ``uploads/`` holds the files as they came, ``files/`` what the
worker laid out from them (a .zip unpacked), which a dry run keeps for the real import.
"""

import re
import secrets
import shutil
import time
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

MAX_FILES = 500
MAX_TOTAL_BYTES = 200 * 1024 * 1024
UPLOAD_SUFFIXES = {
    ".md", ".markdown", ".zip", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif",
    ".vtt", ".webm", ".mp4",
}  # fmt: skip

# Files nobody imported are not kept for ever (a dry run nobody followed up).
STAGED_SECONDS = 6 * 3600
FOLDER_NAME = re.compile(r"[A-Za-z0-9_-]{20,40}")


class UploadProblem(ValueError):
    pass


def safe_name(name):
    return get_valid_filename(PurePosixPath(name.replace("\\", "/")).name) or "file"


def zip_members(upload):
    """The (safe relative path, ZipInfo) pairs of an uploaded .zip; raises ValueError for a
    zip that is too big or names a path outside itself. ``upload`` is a file or its path."""
    if hasattr(upload, "seek"):
        upload.seek(0)
    members = []
    total = 0
    with zipfile.ZipFile(upload) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            parts = PurePosixPath(info.filename.replace("\\", "/")).parts
            if not parts or info.filename.startswith("/") or ".." in parts or ":" in parts[0]:
                raise ValueError(
                    _("it names a file outside the folder (%(name)s)") % {"name": info.filename}
                )
            if any(part.startswith(".") or part == "__MACOSX" for part in parts):
                continue
            total += info.file_size
            if total > MAX_TOTAL_BYTES or len(members) >= MAX_FILES:
                raise ValueError(_("it holds too many files or too much data once unpacked"))
            members.append((PurePosixPath(*(safe_name(p) for p in parts)), info))
    if hasattr(upload, "seek"):
        upload.seek(0)
    return members


def unpack(upload, root):
    members = zip_members(upload)
    with zipfile.ZipFile(upload) as archive:
        for relative, info in members:
            target = root.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as source:
                # Never more than the size the archive declared (a zip bomb lies about it).
                target.write_bytes(source.read(info.file_size))


def staged(folder):
    """The path of an upload's folder, or None when the name is not one we made."""
    if not FOLDER_NAME.fullmatch(folder or ""):
        return None
    return Path(settings.MARKDOWN_IMPORT_DIR) / folder


def stage(files):
    """Keep the uploaded files (as they came) for the worker; returns the folder's name."""
    forget_old_staged()
    folder = secrets.token_urlsafe(18)
    uploads = staged(folder) / "uploads"
    uploads.mkdir(parents=True, mode=0o700)
    try:
        for upload in files:
            with (uploads / safe_name(upload.name)).open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
    except OSError as err:
        remove_staged(folder)
        raise UploadProblem(
            _("the files could not be kept for the import (%(reason)s)")
            % {"reason": err.strerror or err}
        ) from err
    return folder


def lay_out(folder):
    """The folder of Markdown files and media made from an upload (a .zip unpacked); made
    once, so that the real import after a dry run reads the same files."""
    root = staged(folder)
    if root is None or not root.is_dir():
        raise UploadProblem(_("the uploaded files are no longer kept; choose them again"))
    files, uploads = root / "files", root / "uploads"
    if files.is_dir():
        return files
    laying = root / "files.partial"
    shutil.rmtree(laying, ignore_errors=True)
    laying.mkdir(mode=0o700)
    for upload in sorted(uploads.iterdir()):
        if upload.suffix.lower() == ".zip":
            try:
                unpack(upload, laying)
            except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError) as err:
                raise UploadProblem(
                    _("%(name)s cannot be unpacked: %(problem)s")
                    % {"name": upload.name, "problem": err}
                ) from err
        else:
            shutil.copyfile(upload, laying / upload.name)
    laying.rename(files)
    shutil.rmtree(uploads, ignore_errors=True)
    return files


def remove_staged(folder):
    root = staged(folder)
    if root is not None:
        shutil.rmtree(root, ignore_errors=True)


def forget_old_staged():
    root = Path(settings.MARKDOWN_IMPORT_DIR)
    if not root.is_dir():
        return
    cutoff = time.time() - STAGED_SECONDS
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
