"""The staff-managed query rules: synonyms and promoted results for a query.

Every search needs them, and they change only when staff edit them: each thread of a server
process keeps them, read again when the rules' generation changes (saving or deleting a rule
replaces it in the cache this process uses) and at least every RULES_SECONDS, so an edit made
through another process applies within that time when the cache is per process. A thread
asks the cache for the generation at most every GENERATION_CHECK_SECONDS (each search asked
it several times, a few hundredths of a millisecond each, a network round trip with Redis);
an edit made in the same process is seen at once.
"""

import threading
import time
import uuid

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from . import variants
from .models import PromotedResult, SynonymGroup, split_terms
from .query_text import clean_query
from .word_family import SynonymTable, content_words, same_phrase

RULES_SECONDS = 2.0
GENERATION_CHECK_SECONDS = 0.25
_GENERATION_KEY = "search:rules-generation"
_local = threading.local()
_edits = [0]  # rules saved or deleted by this process


def rules_changed(**kwargs):
    cache.set(_GENERATION_KEY, uuid.uuid4().hex, None)
    _edits[0] += 1


def connect():
    for model in (SynonymGroup, PromotedResult):
        for signal in (post_save, post_delete):
            signal.connect(rules_changed, sender=model, dispatch_uid=f"rules-{model.__name__}")


def _kept(key, compute):
    """``compute()``, kept per thread (its values are shared by this thread's searches only)."""
    kept = getattr(_local, "kept", None)
    if kept is None:
        kept = _local.kept = {}
    now = time.monotonic()
    generation = _generation(now)
    entry = kept.get(key)
    if entry is not None and entry[0] == generation and now < entry[1]:
        return entry[2]
    value = compute()
    kept[key] = (generation, now + RULES_SECONDS, value)
    return value


def _generation(now):
    """The rules' generation in the cache, as this thread last read it unless that is
    GENERATION_CHECK_SECONDS old or this process has edited the rules since."""
    edits, seen = _edits[0], getattr(_local, "generation", None)
    if seen is not None and seen[0] == edits and now < seen[2]:
        return seen[1]
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        cache.add(_GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(_GENERATION_KEY)
    _local.generation = (edits, generation, now + GENERATION_CHECK_SECONDS)
    return generation


def synonyms_for(locale_code):
    """Normalised term -> normalised alternatives: the shipped variant list extended by the
    staff's synonym groups. Staff groups are also looked up by word family (see
    ``word_family.SynonymTable``); the shipped list already holds each Hebrew word with its
    prefixes."""

    def build():
        staff = {}
        groups = (
            SynonymGroup.objects.filter(locale__language_code=locale_code)
            if locale_code
            else SynonymGroup.objects.all()
        )
        for terms in groups.values_list("terms", flat=True):
            variants.add_group(staff, split_terms(terms))
        return SynonymTable(staff, plain=variants.default_synonyms(locale_code))

    return _kept(("synonyms", locale_code), build)


def _promotions(locale_code):
    """Every promotion of the language, in order, with its query's words analysed once."""
    promotions = PromotedResult.objects.all()
    if locale_code:
        promotions = promotions.filter(locale__language_code=locale_code)
    rows = promotions.order_by("sort_order", "pk").values_list(
        "query", "page_id", "starts_at", "ends_at"
    )
    return [(content_words(q), page_id, starts, ends) for q, page_id, starts, ends in rows]


def promoted_for(text, locale_code, now=None):
    """Pages promoted for ``text`` or any wording of the same words (see ``word_family``),
    within their date windows."""
    words = content_words(clean_query(text))
    if not words:
        return []
    now = now or timezone.now()
    matching = (
        page_id
        for query_words, page_id, starts, ends in _kept(
            ("promotions", locale_code), lambda: _promotions(locale_code)
        )
        if (starts is None or starts <= now)
        and (ends is None or ends > now)
        and same_phrase(words, query_words)
    )
    return [str(page_id) for page_id in dict.fromkeys(matching)]
