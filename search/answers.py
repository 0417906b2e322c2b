"""Answer first: when the top result is confidently the answer, the results page and the API
show the answer itself above the list, quoted from the page (extractive, never written by
the site), with its title and a link. When unsure, nothing.

Confidence needs meaning-based retrieval: the top result must be the closest passage by
meaning, close enough (``MIN_COSINE``), and ahead of the next document by ``MIN_MARGIN``;
or first by words and by meaning alike. Thresholds were tuned on the dev splits for
answer precision (see BENCHMARKS.md).
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass
class Answer:
    """The answer shown above the results: the top hit's answer, quoted as written."""

    title: str
    url: str
    text: str
    key: str
    language: str
    click_url: str = ""  # the tracked link to the page (search.querylog.link_hits)


MIN_COSINE = 0.84
MIN_MARGIN = 0.02
AGREED_COSINE = 0.82  # first by words and by meaning: a lower bar
MAX_CHARS = 400


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= MAX_CHARS:
        return text
    cut = text.rfind(" ", 0, MAX_CHARS)
    return text[: cut if cut > 0 else MAX_CHARS] + " …"


def confident(outcome, dense) -> bool:
    hits = outcome.results.hits
    if not settings.SEARCH_ANSWER_FIRST or outcome.page != 1 or outcome.weak:
        return False
    if not hits or not dense or hits[0].promoted:
        return False
    top = hits[0].document.key
    ranked = sorted(dense.scores.items(), key=lambda pair: -pair[1])
    if not ranked or ranked[0][0] != top:
        return False
    cosine = ranked[0][1]
    margin = cosine - (ranked[1][1] if len(ranked) > 1 else 0.0)
    lexical_first = bool(hits[0].score) and outcome.lexical_top == top
    return (cosine >= MIN_COSINE and margin >= MIN_MARGIN) or (
        lexical_first and cosine >= AGREED_COSINE
    )


def answer_for(outcome, hybrid):
    """The ``Answer`` to show first, or None."""
    dense = hybrid.dense if hybrid else None
    if not confident(outcome, dense):
        return None
    doc = outcome.results.hits[0].document
    if doc.summary.strip():
        # An FAQ answer or a page's short answer: written by the editors to be the answer.
        text = doc.summary
    else:
        passage = hybrid.store.passage_text(doc.key, dense.best_passage.get(doc.key, 0))
        text = passage.removeprefix(" ".join(doc.title.split())).lstrip(" .")
    text = _quote(text)
    return Answer(doc.title, doc.url, text, doc.key, doc.locale) if text else None
