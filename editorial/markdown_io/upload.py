"""Files uploaded in the admin, laid out in a private temporary folder and imported."""

import re
import secrets
import shutil
import tempfile
import time
import zipfile
from pathlib import Path, PurePosixPath

from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from .importer import MarkdownImporter

MAX_FILES = 500
MAX_TOTAL_BYTES = 200 * 1024 * 1024
UPLOAD_SUFFIXES = {
    ".md", ".markdown", ".zip", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif",
    ".vtt", ".webm", ".mp4",
}  # fmt: skip


# Files of a dry run wait here (one private folder each) for the real import.
STAGING_ROOT = Path(tempfile.gettempdir()) / "markdown-staging"
STAGED_SECONDS = 6 * 3600
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,40}")


class UploadProblem(ValueError):
    pass


def safe_name(name):
    return get_valid_filename(PurePosixPath(name.replace("\\", "/")).name) or "file"


def zip_members(upload):
    """The (safe relative path, ZipInfo) pairs of an uploaded .zip; raises ValueError for a
    zip that is too big or names a path outside itself."""
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


def lay_out(files, root):
    """Put the uploaded files (a .zip unpacked) into the folder ``root``."""
    for upload in files:
        if upload.name.lower().endswith(".zip"):
            try:
                unpack(upload, root)
            except (zipfile.BadZipFile, ValueError, OSError) as err:
                raise UploadProblem(
                    _("%(name)s cannot be unpacked: %(problem)s")
                    % {"name": upload.name, "problem": err}
                ) from err
        else:
            target = root / safe_name(upload.name)
            with target.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)


def import_folder(root, user, dry_run, options):
    return MarkdownImporter(user=user, dry_run=dry_run, check_permissions=True, **options).run(
        [root], display_root=root
    )


def import_uploaded_files(files, user, dry_run, **options):
    """(report, token): after a dry run the files are kept and ``token`` names them, so the
    editor can import them for real without choosing them again (see import_staged)."""
    if dry_run:
        token, root = stage(files)
        return import_folder(root, user, True, options), token
    with tempfile.TemporaryDirectory(prefix="markdown-upload-") as folder:
        lay_out(files, Path(folder))
        return import_folder(Path(folder), user, False, options), None


def stage(files):
    forget_old_staged()
    token = secrets.token_urlsafe(18)
    root = STAGING_ROOT / token
    root.mkdir(parents=True, mode=0o700)
    try:
        lay_out(files, root)
    except UploadProblem:
        shutil.rmtree(root, ignore_errors=True)
        raise
    return token, root


def import_staged(token, user, **options):
    """Import for real the files a dry run kept; they are removed afterwards."""
    root = STAGING_ROOT / token if TOKEN.fullmatch(token or "") else None
    if root is None or not root.is_dir():
        raise UploadProblem(_("the files of the dry run are no longer kept; choose them again"))
    try:
        return import_folder(root, user, False, options)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def forget_old_staged():
    """Dry runs nobody followed up are not kept for ever."""
    if not STAGING_ROOT.is_dir():
        return
    cutoff = time.time() - STAGED_SECONDS
    for folder in STAGING_ROOT.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
