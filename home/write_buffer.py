"""Insights written off the request path: a per-process buffer that a background thread
writes in batches.

A search or a click only appends to a list; every ``INSIGHTS_WRITE_DELAY`` seconds a daemon
thread hands what has gathered to the writer function in one transaction. A batch that fails
stays in the buffer and is tried again with the next (bounded by MAX_PENDING, beyond which
the oldest entries are given up with an error in the log). At exit (gunicorn's graceful
shutdown on SIGTERM, or the end of a command) the rest is written, so only a crash loses
anything: at most one interval.

With ``INSIGHTS_WRITE_DELAY = 0`` (the tests) each entry is written as it comes.
"""

import atexit
import logging
import os
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

MAX_PENDING = 100_000


class WriteBuffer:
    def __init__(self, write):
        self._write = write  # write(list of entries) -> entries to keep for a later batch
        self._pending = []
        self._lock = threading.Lock()  # guards _pending
        self._flushing = threading.Lock()  # one batch at a time
        self._thread = None
        self._pid = None

    @property
    def delay(self):
        return settings.INSIGHTS_WRITE_DELAY

    def add(self, entry):
        with self._lock:
            self._pending.append(entry)
            if len(self._pending) > MAX_PENDING:
                dropped = len(self._pending) - MAX_PENDING
                del self._pending[:dropped]
                logger.error("Insights buffer full: %d oldest entries given up", dropped)
        if self.delay <= 0:
            self.flush()
        else:
            self._ensure_thread()

    def pending(self):
        with self._lock:
            return len(self._pending)

    def flush(self):
        """Write everything gathered so far; returns how many entries are still waiting."""
        with self._flushing:
            with self._lock:
                batch, self._pending = self._pending, []
            if batch:
                try:
                    kept = self._write(batch)
                except DatabaseError:
                    logger.exception("Insights could not be written; trying again later")
                    kept = batch
                if kept:
                    with self._lock:
                        self._pending[:0] = kept
            return self.pending()

    def _ensure_thread(self):
        # After a fork (gunicorn's workers) the parent's thread does not exist in the child.
        if self._thread is not None and self._pid == os.getpid() and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name="insights", daemon=True)
                self._thread.start()

    def _run(self):
        while self.delay > 0:  # set to 0, entries are written as they come: nothing to do
            time.sleep(self.delay)
            try:
                self.flush()
            except Exception:  # noqa: BLE001 - the writer thread must survive anything
                logger.exception("Insights writer failed")
            finally:
                # This thread's own connections: kept between batches as a request keeps
                # them (CONN_MAX_AGE; opening one was a quarter of a batch's cost), closed
                # when too old or broken.
                for connection in connections.all(initialized_only=True):
                    connection.close_if_unusable_or_obsolete()


_buffers = []


def buffer(write):
    """A new buffer around ``write``, flushed at exit."""
    created = WriteBuffer(write)
    _buffers.append(created)
    return created


def flush_all():
    return sum(b.flush() for b in _buffers)


@atexit.register
def _flush_at_exit():
    try:
        flush_all()
    except Exception:  # noqa: BLE001 - exiting anyway; say what was lost
        logger.exception("Insights not written at exit")
