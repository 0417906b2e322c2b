"""Searches in progress on this machine, and whether the model may take on a new wording.

A query never seen before costs its embedding: about 12-18 ms of a core with the default
model, more than the rest of its search. When more searches are in progress than the
machine has cores, that time comes out of every customer's throughput. So from
``SEARCH_MEANING_BUSY_AT`` searches in progress (this one included), a wording with no
vector yet is ranked by words alone. Vectors already known (repeated queries, and those
shared by the other processes) still rank by meaning, and one customer at a time always
gets the model.

Under a steady stream of searches the count dips for a moment between them while the
cores stay busy, and each dip let the model take on a wording (at 16 clients, about one API
search in twenty). So once a process has seen the machine busy, a new wording waits for
``SEARCH_MEANING_QUIET_SECONDS`` without a busy sighting before the model takes one on
again; a lone customer after a rush is ranked by words for that long. A words-only outcome
is kept (``outcome_cache``) for that long too, so a question asked again and again through a
rush is answered from memory.

The count spans the site's processes on this machine (gunicorn's workers): each process
holds a lock on a file of its own in a shared folder while it answers a search, and the
others try that lock. The operating system lets go of a lock when its process ends, so a
worker killed mid-search leaves nothing counted. Without ``fcntl`` (not on Linux or macOS)
only this process's searches are counted.
"""

import hashlib
import os
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

_lock = threading.Lock()
_active = 0  # searches in progress in this process
_busy_seen = float("-inf")  # when this process last saw the machine busy (time.monotonic)


class _Processes:
    """This site's processes answering a search now, through one lock file per process."""

    def __init__(self):
        self._pid = None
        self._file = None
        self._folder = None

    def folder(self) -> Path:
        # One folder per site and database: tests and other sites on the machine apart.
        site = f"{settings.BASE_DIR}\x00{settings.DATABASES['default']['NAME']}"
        digest = hashlib.sha256(site.encode()).hexdigest()[:16]
        shared = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()  # noqa: S108
        return Path(shared) / f"helpcenter-searching-{os.getuid()}-{digest}"

    def _own(self):
        """This process's file (a forked worker opens its own)."""
        if self._pid != os.getpid():
            self._folder = self.folder()
            self._folder.mkdir(mode=0o700, exist_ok=True)
            self._tidy()
            self._file = open(self._folder / str(os.getpid()), "ab")  # noqa: SIM115 (kept open)
            self._pid = os.getpid()
        return self._file

    def _tidy(self):
        """Remove the files of processes that have ended."""
        for path in self._folder.iterdir():
            try:
                os.kill(int(path.name), 0)
            except (ValueError, ProcessLookupError):
                path.unlink(missing_ok=True)
            except PermissionError:
                pass  # alive, another user's

    def busy(self, searching: bool) -> None:
        if fcntl is None:
            return
        try:
            fcntl.flock(self._own().fileno(), fcntl.LOCK_EX if searching else fcntl.LOCK_UN)
        except OSError:
            pass  # counted in this process only

    def others(self) -> int:
        """How many other processes are answering a search now."""
        if fcntl is None or self._folder is None:
            return 0
        count = 0
        try:
            names = os.listdir(self._folder)
        except OSError:
            return 0
        for name in names:
            if name == str(self._pid):
                continue
            try:
                fd = os.open(self._folder / name, os.O_RDONLY)
            except OSError:
                continue  # ended and tidied meanwhile
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                fcntl.flock(fd, fcntl.LOCK_UN)
            except BlockingIOError:
                count += 1
            finally:
                os.close(fd)
        return count


_processes = _Processes()


@contextmanager
def searching():
    """Count the enclosed search as in progress."""
    global _active  # noqa: PLW0603 (one count per process)
    with _lock:
        _active += 1
        if _active == 1:
            _processes.busy(True)
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                _processes.busy(False)


def in_progress() -> int:
    """Searches in progress on this machine: this process's, and one for each other process
    answering any."""
    return _active + _processes.others()


def model_may_embed() -> bool:
    """Whether a search in progress may have the model embed a new wording: the machine is
    not busy and has not been for the quiet time (setting 0: always)."""
    global _busy_seen  # noqa: PLW0603 (one sighting per process)
    busy_at = settings.SEARCH_MEANING_BUSY_AT
    if not busy_at:
        return True
    now = time.monotonic()
    if _active >= busy_at or in_progress() >= busy_at:
        _busy_seen = now
        return False
    return now - _busy_seen >= settings.SEARCH_MEANING_QUIET_SECONDS
