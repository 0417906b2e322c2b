"""Search outcomes kept for repeated searches, in each process.

A popular question is asked many times between two publishes, and each search costs
milliseconds of a core (ranking, meaning, spelling, answer). An outcome is kept under
everything it is made from: the query and its filters, the engine's index version (any
write to the index changes it, in whichever process), the staff's synonyms and the
promotions that apply. So a kept outcome is the one a new search would give, except for
what only the clock changes (a page reaching its expiry time) or the embedding pass adds
(vectors for new passages): those show within ``KEEP_SECONDS``. Engines that cannot say
their index version are never cached (``Engine.index_version``).
"""

import copy
import dataclasses
import threading
import time
from collections import OrderedDict

from django.conf import settings

KEEP_SECONDS = 10.0
# A kept outcome holds its page of hits as shown (a few kilobytes), not their texts.
MAX_OUTCOMES = 256

_lock = threading.Lock()
_kept: OrderedDict = OrderedDict()


def enabled() -> bool:
    return settings.SEARCH_KEEP_OUTCOMES


def get(key):
    """A copy of the outcome kept under ``key``, or None."""
    now = time.monotonic()
    with _lock:
        entry = _kept.get(key)
        if entry is None:
            return None
        if entry[0] <= now:
            del _kept[key]
            return None
        _kept.move_to_end(key)
    return _copy(entry[1])


def put(key, outcome, seconds: float = KEEP_SECONDS) -> None:
    kept = _copy(outcome)
    kept.results.hits = [_as_shown(hit) for hit in kept.results.hits]
    with _lock:
        _kept[key] = (time.monotonic() + seconds, kept)
        _kept.move_to_end(key)
        while len(_kept) > MAX_OUTCOMES:
            _kept.popitem(last=False)


def clear() -> None:
    with _lock:
        _kept.clear()


def _copy(outcome):
    """An outcome a request may change (the query log gives its hits and answer their click
    links) without changing the kept one. Hits share their marked title and snippet."""
    results = dataclasses.replace(
        outcome.results, hits=[copy.copy(h) for h in outcome.results.hits]
    )
    return dataclasses.replace(outcome, results=results, answer=copy.copy(outcome.answer))


def _as_shown(hit):
    """``hit`` marked now (the searching request shares the marks) and without what only
    marking reads: the long texts (a video's transcript alone can be tens of kilobytes) and
    the query's marker with the words it has looked up (about 40% of a kept outcome)."""
    hit.title_html, hit.snippet_html  # noqa: B018 - computed and kept
    hit.document = dataclasses.replace(hit.document, body="", steps="", transcript="")
    hit.marker = None
    return hit
