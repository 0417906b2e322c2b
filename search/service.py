"""The one search service behind the site, the API and the relevance evaluation."""

import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from . import (
    analysis,
    answers,
    hybrid_search,
    intents,
    load_shedding,
    outcome_cache,
    relevance,
    spelling,
    variants,
)
from .conf import MAX_RESULTS_PAGE
from .engines import get_engine
from .engines.base import EngineQuery, EngineResults
from .query_text import clean_query
from .querying import promoted_for, synonyms_for
from .semantic.fusion import CANDIDATES

logger = logging.getLogger(__name__)

PER_PAGE = 10
# Below this many results a corrected spelling is tried as well.
FEW_RESULTS = 3


@dataclass
class Correction:
    text: str
    # "showing": the results shown are for ``text``; "did_you_mean": only suggested.
    kind: str


@dataclass
class SearchOutcome:
    query: str
    locale: str | None
    results: EngineResults
    page: int
    per_page: int
    correction: Correction | None = None
    engine: str = ""
    took_ms: float = 0.0
    filters: dict = field(default_factory=dict)
    # "contact" when the query asks for a person: the page offers the contact form first.
    action: str = ""
    answer: answers.Answer | None = None
    lexical_top: str = ""  # the key the words alone rank first (for the answer's confidence)
    # The results match only incidental words of the query ("flux capacitor warranty").
    weak: bool = False
    semantic: bool = False  # the ranking fused meaning-based retrieval
    dense: object = None  # the meaning-based scores it used (semantic.fusion.Dense)
    # Ranked by words alone: a new wording while the machine was too busy for the model.
    meaning_skipped: bool = False

    @property
    def found(self):
        """How many results are shown for the query."""
        return self.results.total

    @property
    def total(self):
        """How many results answer the query, as the reports count it: none when they match
        only incidental words, so such a search shows up as failed."""
        return 0 if self.weak else self.results.total

    @property
    def first_rank(self):
        return (self.page - 1) * self.per_page + 1

    @property
    def page_count(self):
        return max(1, -(-self.results.total // self.per_page))


def _engine_query(text, locale, types, categories, page, per_page, now):
    return EngineQuery(
        text=text,
        locale=locale,
        types=tuple(types),
        categories=tuple(categories),
        page=page,
        per_page=per_page,
        synonyms=synonyms_for(locale),
        promoted=promoted_for(text, locale, now),
        now=now,
    )


def _alternative(engine, text, locale):
    """A respelling of ``text`` from the index's own vocabulary (which also covers text typed
    on the other keyboard layout), or None."""
    protected = variants.known_words(locale)
    candidate = spelling.correct(text, engine.vocabulary(locale), locale, protected)
    return candidate if candidate and candidate.strip() and candidate != text else None


def search(
    text,
    locale=None,
    types=(),
    categories=(),
    page=1,
    per_page=PER_PAGE,
    engine=None,
    correct=True,
    semantic=True,
):
    started = time.perf_counter()
    with load_shedding.searching():
        return _search(
            started, text, locale, types, categories, page, per_page, engine, correct, semantic
        )


def _search(started, text, locale, types, categories, page, per_page, engine, correct, semantic):
    engine = engine or get_engine()
    text = clean_query(text)
    page = min(max(1, page), MAX_RESULTS_PAGE)
    now = timezone.now()
    filters = {"types": list(types), "categories": list(categories)}
    if not text:
        empty = EngineResults(hits=[], total=0, facets={})
        return SearchOutcome(
            text, locale, empty, page, per_page, engine=engine.name, filters=filters
        )
    hybrid = hybrid_search.available(engine) if semantic and page * per_page <= CANDIDATES else None
    key = _outcome_key(
        engine, hybrid, text, locale, types, categories, page, per_page, correct, now
    )
    kept = outcome_cache.get(key) if key else None
    if kept is not None:
        kept.took_ms = (time.perf_counter() - started) * 1000
        return kept
    skipped = bool(hybrid) and not hybrid.start(text, locale, engine)
    if skipped:
        hybrid = None  # ranked by words, as the same search would be until the machine is quiet
    # The hybrid ranking fuses the first lexical candidates, then cuts the page from them.
    window = (1, CANDIDATES) if hybrid else (page, per_page)
    results = engine.search(_engine_query(text, locale, types, categories, *window, now))
    searched, correction = text, None
    if correct and results.total < FEW_RESULTS:
        candidate = _alternative(engine, text, locale)
        if candidate:
            alt = engine.search(_engine_query(candidate, locale, types, categories, *window, now))
            if alt.total > results.total:
                if results.total == 0:
                    correction, results = Correction(candidate, "showing"), alt
                    searched = candidate
                else:
                    correction = Correction(candidate, "did_you_mean")
    outcome = SearchOutcome(
        text, locale, results, page, per_page, correction, engine.name, 0.0, filters
    )
    outcome.action = "contact" if intents.wants_contact(text, locale) else ""
    outcome.meaning_skipped = skipped
    if hybrid:
        hybrid_search.rank(outcome, hybrid, searched, now, engine)
    outcome.dense = hybrid.dense if hybrid else None
    outcome.weak = relevance.is_weak(outcome, engine, searched, outcome.dense)
    outcome.answer = answers.answer_for(outcome, hybrid)
    outcome.took_ms = (time.perf_counter() - started) * 1000
    if key and not skipped:
        outcome_cache.put(key, outcome)
    elif key and settings.SEARCH_MEANING_QUIET_SECONDS > 0:
        # Kept through a rush (a popular question asked again and again), not past it: the
        # first search after the quiet time ranks by meaning.
        outcome_cache.put(key, outcome, settings.SEARCH_MEANING_QUIET_SECONDS)
    return outcome


def _outcome_key(engine, hybrid, text, locale, types, categories, page, per_page, correct, now):
    """What a search outcome is made from (see ``outcome_cache``), or None: not kept."""
    if not outcome_cache.enabled():
        return None
    try:
        version = engine.index_version()
        vectors = hybrid.store.version() if hybrid and version is not None else None
    except Exception:  # noqa: BLE001 (no index yet, a database away: search, keep nothing)
        return None
    if version is None:
        return None
    return (
        engine.name,
        id(engine),  # tests build engines of one name on other databases
        version,
        vectors,
        synonyms_for(locale).fingerprint,
        tuple(promoted_for(text, locale, now)),
        text,
        locale,
        tuple(types),
        tuple(categories),
        page,
        per_page,
        correct,
    )


def _other_layout(prefix: str, vocabulary: dict) -> str | None:
    """The prefix as typed on the other keyboard layout, unless the words finished in it are
    mostly known as typed: a question that finds no title is not then mistyped keys."""
    words = prefix.split()
    finished = words if prefix[-1:].isspace() else words[:-1]
    if finished and spelling.known_share(" ".join(finished), vocabulary) >= 0.5:
        return None
    return spelling.swap_layout(prefix)


# Wordings of the typed text from the variant list and the staff's synonyms, tried at most.
MAX_SUGGEST_VARIANTS = 3


def _variant_wordings(prefix: str, locale: str | None) -> list[str]:
    """The prefix with one of its words, or a pair of them, as the variant list and the
    staff's synonyms say it ("סיסמא" as "סיסמה", "wifi sl" as "wi fi sl"), as the results
    page reads a query. The last word counts as typed in full here: as typed it found
    nothing."""
    table = synonyms_for(locale)
    words = prefix.split()
    end = " " if prefix[-1:].isspace() else ""
    wordings = []
    for size in (2, 1):
        for i in range(len(words) - size + 1):
            for alternative in table.get(analysis.normalize(" ".join(words[i : i + size]))) or ():
                wordings.append(" ".join([*words[:i], alternative, *words[i + size :]]) + end)
                if len(wordings) == MAX_SUGGEST_VARIANTS:
                    return wordings
    return wordings


def suggest(prefix, locale=None, limit=8, engine=None):
    """Titles for what is being typed. When none match, the text in the variant list's
    other wordings, then as typed on the other keyboard layout, then respelt from the
    index's words, is tried: the same tolerance as the results page, paid only by the rare
    prefix that found nothing."""
    prefix = clean_query(prefix)
    if not prefix:
        return []
    engine = engine or get_engine()
    found = engine.suggest(prefix, locale, limit)
    if found:
        return found
    vocabulary = engine.vocabulary(locale)
    tried = {prefix}
    for alternative in (
        *_variant_wordings(prefix, locale),
        _other_layout(prefix, vocabulary),
        spelling.correct(prefix, vocabulary, locale, variants.known_words(locale)),
    ):
        if alternative and alternative not in tried:
            tried.add(alternative)
            found = engine.suggest(alternative, locale, limit)
            if found:
                return found
    return []
