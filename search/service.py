"""The one search service behind the site, the API and the relevance evaluation."""

import logging
import time
from dataclasses import dataclass, field

from django.utils import timezone

from . import spelling
from .engines import get_engine
from .engines.base import EngineQuery, EngineResults
from .query_text import clean_query
from .querying import promoted_for, synonyms_for

logger = logging.getLogger(__name__)

PER_PAGE = 10
MAX_PAGE = 100
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

    @property
    def total(self):
        return self.results.total

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
    candidate = spelling.correct(text, engine.vocabulary(locale), locale)
    return candidate if candidate and candidate.strip() and candidate != text else None


def search(
    text, locale=None, types=(), categories=(), page=1, per_page=PER_PAGE, engine=None, correct=True
):
    started = time.perf_counter()
    engine = engine or get_engine()
    text = clean_query(text)
    page = min(max(1, page), MAX_PAGE)
    now = timezone.now()
    filters = {"types": list(types), "categories": list(categories)}
    if not text:
        empty = EngineResults(hits=[], total=0, facets={})
        return SearchOutcome(
            text, locale, empty, page, per_page, engine=engine.name, filters=filters
        )

    results = engine.search(_engine_query(text, locale, types, categories, page, per_page, now))
    correction = None
    if correct and results.total < FEW_RESULTS:
        candidate = _alternative(engine, text, locale)
        if candidate:
            alt = engine.search(
                _engine_query(candidate, locale, types, categories, page, per_page, now)
            )
            if alt.total > results.total:
                if results.total == 0:
                    correction, results = Correction(candidate, "showing"), alt
                else:
                    correction = Correction(candidate, "did_you_mean")
    took = (time.perf_counter() - started) * 1000
    return SearchOutcome(
        text, locale, results, page, per_page, correction, engine.name, took, filters
    )


def suggest(prefix, locale=None, limit=8, engine=None):
    prefix = clean_query(prefix)
    if not prefix:
        return []
    return (engine or get_engine()).suggest(prefix, locale, limit)
