"""Serves uploaded files with HTTP Range support, so videos can be sought (chapters)."""

import mimetypes
import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import FileResponse, Http404, HttpResponse
from django.utils._os import safe_join
from django.views.decorators.http import require_safe

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# Byte positions longer than this are beyond any file; not worth (or safe) converting.
MAX_POSITION_DIGITS = 18
BEYOND_ANY_FILE = 10**MAX_POSITION_DIGITS


def _position(digits):
    return int(digits) if len(digits) <= MAX_POSITION_DIGITS else BEYOND_ANY_FILE


@require_safe
def serve_media(request, path):
    try:
        full = Path(safe_join(settings.MEDIA_ROOT, path))
    except (ValueError, SuspiciousFileOperation) as err:  # outside MEDIA_ROOT, or a NUL byte
        raise Http404 from err
    try:
        if not full.is_file():
            raise Http404
        size = full.stat().st_size
    except OSError as err:  # e.g. a path segment longer than the file system allows
        raise Http404 from err
    content_type = mimetypes.guess_type(full.name)[0] or "application/octet-stream"
    match = RANGE.match(request.headers.get("Range", "").strip())
    if not match or not any(match.groups()):
        response = FileResponse(full.open("rb"), content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = match.groups()
    if first:
        start, end = _position(first), min(_position(last) if last else size - 1, size - 1)
    else:  # "bytes=-500": the last 500 bytes
        start, end = max(0, size - _position(last)), size - 1
    if start >= size or start > end:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    with full.open("rb") as fh:
        fh.seek(start)
        data = fh.read(end - start + 1)
    response = HttpResponse(data, status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response
