"""The relevance floor: a search whose results match only incidental words of the query
("flux capacitor warranty" finds the warranty FAQ, but nothing about flux capacitors) did
not find what was asked, and the reports must count it as failed."""

from . import analysis, spelling, variants

MIN_COVERED = 0.5  # share of the query's content words the site must know
CONFIDENT_MEANING = 0.86  # cosine at which meaning alone vouches for the top result


def is_weak(outcome, engine, text: str, dense=None) -> bool:
    hits = outcome.results.hits
    if not outcome.results.total or any(h.promoted for h in hits):
        return False
    words = [t for t in analysis.analyze_query(text) if not t.stopword]
    words = list({t.surface: t for t in words}.values())
    if len(words) < 2:
        return False
    if dense and hits and dense.scores.get(hits[0].document.key, 0.0) >= CONFIDENT_MEANING:
        return False
    protected = variants.known_words(outcome.locale)
    vocabulary = engine.vocabulary(outcome.locale)
    covered = sum(
        1 for t in words if t.surface in protected or spelling.is_known(t, vocabulary, strict=True)
    )
    return covered / len(words) < MIN_COVERED
