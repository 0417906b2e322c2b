"""Hybrid ranking: the lexical ranking and the meaning-based one blended by score.

Each side is scaled to 0..1 over the query's candidates (bm25 by its best score, cosine
between the best and the weakest dense candidate), then blended with the language's lexical
weight (``search.conf.FUSION``). A document found only by meaning must clear the language's
dense floor to be shown at all, so a query about nothing the site covers is not filled
with loosely related pages.
"""

from dataclasses import dataclass

import numpy as np

from ..conf import fusion_for
from .store import Matrix

CANDIDATES = 30  # from each side; the first three pages of results are fused
# Set only by measurements (search_eval's weight sweep and meaning-only mode): every
# language then ranks with this weight / floor instead of its own.
LEXICAL_WEIGHT = None
DENSE_FLOOR = None


@dataclass
class Dense:
    """The best passage score of each document the query is close to."""

    scores: dict[str, float]  # document key -> cosine of its best passage
    best_passage: dict[str, int]  # document key -> number of that passage


def similarities(matrix: Matrix, query_vector):
    """The cosine of every passage, and the best one of each document: the costly part (the
    whole matrix is read), so it may run on another thread while the words are ranked."""
    sims = matrix.vectors @ np.asarray(query_vector, dtype=np.float32)
    return sims, np.maximum.reduceat(sims, matrix.starts)


def dense_ranking(
    matrix: Matrix,
    query_vector,
    types=(),
    categories=(),
    also=(),
    top=CANDIDATES,
    computed=None,
) -> Dense:
    """The ``top`` documents closest to the query, plus the documents ``also`` names (the
    lexical candidates, so both sides score the same documents). ``computed``: what
    ``similarities`` gave for this matrix and vector, if it already ran."""
    sims, best = computed if computed is not None else similarities(matrix, query_vector)
    if types or categories:
        allowed = np.array(
            [
                (not types or t in types) and (not categories or c in categories)
                for t, c in zip(matrix.types, matrix.categories, strict=True)
            ]
        )
        best = np.where(allowed, best, -1.0)
    if len(best) > top:  # the top few, without sorting every document
        head = np.argpartition(-best, top)[:top]
        order = list(head[np.argsort(-best[head])])
    else:
        order = list(np.argsort(-best))
    order += [matrix.index[k] for k in also if k in matrix.index]
    scores, passages = {}, {}
    for doc in dict.fromkeys(order):
        if best[doc] <= -1.0:
            continue  # filtered out
        key = matrix.keys[doc]
        scores[key] = float(best[doc])
        start = matrix.starts[doc]
        end = matrix.starts[doc + 1] if doc + 1 < len(matrix.starts) else len(sims)
        passages[key] = int(matrix.numbers[start + int(sims[start:end].argmax())])
    return Dense(scores, passages)


def fuse(
    lexical: list[tuple[str, float]],
    dense: Dense,
    weight: float | None = None,
    locale: str | None = None,
):
    """[(key, fused score)] best first, over the lexical candidates and the dense ones that
    clear the floor; ``locale`` chooses the weight and floor unless ``weight`` is given."""
    chosen = fusion_for(locale)
    if weight is None:
        weight = chosen.lexical_weight if LEXICAL_WEIGHT is None else LEXICAL_WEIGHT
    floor = chosen.dense_floor if DENSE_FLOOR is None else DENSE_FLOOR
    top_lex = max((s for _, s in lexical), default=0.0) or 1.0
    lex = {key: max(score, 0.0) / top_lex for key, score in lexical}
    dense_values = sorted(dense.scores.values(), reverse=True)
    hi = dense_values[0] if dense_values else 0.0
    lo = dense_values[min(len(dense_values), CANDIDATES) - 1] if dense_values else 0.0
    span = (hi - lo) or 1.0
    keys = list(lex) + [k for k, s in dense.scores.items() if k not in lex and s >= floor]
    fused = []
    for key in keys:
        d = dense.scores.get(key)
        d = max(0.0, (d - lo) / span) if d is not None else 0.0
        fused.append((key, weight * lex.get(key, 0.0) + (1 - weight) * d))
    fused.sort(key=lambda pair: -pair[1])
    return fused
