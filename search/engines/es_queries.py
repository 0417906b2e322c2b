"""Elasticsearch requests built from an ``EngineQuery``, mirroring the embedded engine's ranking.

The embedded engine ranks with one bm25 over weighted columns; here ``combined_fields``
(BM25F: weighted term frequencies over fields read as one) plays that part for the words
as written and for their forms, and phrase queries with slop stand in for FTS5's NEAR.
Promoted documents are pinned above the rest; each facet is an aggregation with the other
facets' filters applied, while the chosen filters apply to the hits only (``post_filter``).
"""

from datetime import datetime

from elasticsearch.dsl import A, MultiSearch, Q, Search

from .. import analysis
from ..conf import FIELDS, MAX_PROMOTED, MAX_SUGGEST_WORDS, Ranking
from ..query_terms import AnalysedQuery, near_span
from .base import FACETS, EngineQuery
from .es_mapping import DISPLAY_FIELDS, FILTER_FIELDS, PREFIX_CHARS

FACET_SIZE = 200
KNN_CANDIDATES = 100  # nearest neighbours each shard considers to return its best k
RESULT_WINDOW = 10_000  # Elasticsearch's default index.max_result_window
HIT_SOURCE = [*FILTER_FIELDS, *(f"display.{name}" for name in DISPLAY_FIELDS)]


# -- scoring --------------------------------------------------------------------------


def field_weights(ranking: Ranking, hebrew_share: float) -> tuple[dict, dict]:
    """({surface field: weight}, {forms field: weight}), the embedded engine's weights."""
    weights = ranking.weights(hebrew_share)
    surface = {f"surface.{name}": weights[2 * i] for i, name in enumerate(FIELDS)}
    forms = {f"forms.{name}": weights[2 * i + 1] for i, name in enumerate(FIELDS)}
    return surface, forms


def _combined(text: str, group: str, ranking: Ranking, boost: float):
    """The words over one group of fields read as one (BM25F). A field's boost multiplies
    its term frequencies, so it keeps the embedded weight itself, body = 1, with no common
    rescaling (which would push every field into saturation and flatten their ratios); a
    boost must be at least 1, so a lighter field counts as the body. How much the group
    counts against the other is the query's own boost."""
    fields = [f"{group}.{name}^{max(1.0, ranking.field_weight(name)):g}" for name in FIELDS]
    options = {} if boost == 1 else {"boost": round(boost, 4)}
    return Q("combined_fields", query=text, fields=fields, **options)


def text_query(terms: AnalysedQuery, ranking: Ranking):
    """The words, their forms, closeness and alternatives: any of them finds a document."""
    surface, forms = field_weights(ranking, terms.hebrew_share)
    heaviest = max(*surface.values(), *forms.values())
    words = " ".join(t.surface for t in terms.content)
    word_forms = " ".join(dict.fromkeys(f for group in terms.forms for f in group))
    should = [
        _combined(words, "surface", ranking, 1.0),
        _combined(word_forms, "forms", ranking, ranking.forms_weight(terms.hebrew_share)),
    ]
    for a, b in terms.near:
        fa, fb = a.forms[-1], b.forms[-1]
        span = near_span([fa, fb], ranking.near)
        should.append(_phrase(f"{fa} {fb}", forms, heaviest, slop=span))
    for alternative in terms.alternatives:
        should.append(_phrase(" ".join(t.surface for t in alternative), surface, heaviest))
        span = near_span([t.surface for t in alternative], len(alternative))
        near = " ".join(t.forms[0] for t in alternative)
        should.append(_phrase(near, forms, heaviest, slop=span if len(alternative) > 1 else 0))
    return Q("bool", should=_unique(should), minimum_should_match=1)


def _phrase(text: str, weights: dict, heaviest: float, slop: int = 0):
    """Words close together in one field: the best field counts (weights relative to the
    heaviest field, so a phrase weighs about as much as one of its words)."""
    fields = [f"{name}^{w / heaviest:.4g}" for name, w in weights.items() if w > 0]
    return Q("multi_match", query=text, type="phrase", slop=slop, fields=fields)


def _unique(queries: list) -> list:
    seen, out = set(), []
    for query in queries:
        key = repr(query.to_dict())
        if key not in seen:
            seen.add(key)
            out.append(query)
    return out


# -- filters --------------------------------------------------------------------------


def not_expired(now: datetime):
    return Q(
        "bool",
        should=[
            Q("bool", must_not=Q("exists", field="expire_at")),
            Q("range", expire_at={"gt": now.isoformat()}),
        ],
        minimum_should_match=1,
    )


def chosen_filters(query: EngineQuery) -> dict:
    """{facet: terms query} for each facet the customer narrowed."""
    chosen = {
        "type": query.types or (),
        "category": query.categories or (),
        "locale": (query.locale,) if query.locale else (),
    }
    out = {}
    for name in FACETS:
        values = list(dict.fromkeys(analysis.clean(v) for v in chosen[name]))
        if values:
            out[name] = Q("terms", **{name: values})
    return out


def promoted_keys(query: EngineQuery) -> list[str]:
    keys = [analysis.clean(k) for k in query.promoted or ()]
    return [k for k in dict.fromkeys(keys) if k and len(k.encode()) <= 512][:MAX_PROMOTED]


# -- requests -------------------------------------------------------------------------


def search_request(
    query: EngineQuery,
    terms: AnalysedQuery,
    ranking: Ranking,
    now: datetime,
    offset: int,
    size: int,
    window: int = RESULT_WINDOW,
) -> Search:
    """The page of hits from ``offset``, with the total and the facets. The server refuses
    ``from + size`` past the index's result window: a page beyond it asks for the counts
    only (and shows no hits), one that straddles it is cut at it."""
    organic = Q("match_none") if terms.empty else text_query(terms, ranking)
    promoted = promoted_keys(query)
    ranked = Q("pinned", ids=promoted, organic=organic) if promoted else organic
    search = Search().query(Q("bool", must=[ranked], filter=[not_expired(now)]))
    filters = chosen_filters(query)
    if filters:
        search = search.post_filter(Q("bool", filter=list(filters.values())))
    for name in FACETS:
        others = [q for facet, q in filters.items() if facet != name]
        scope = A("filter", filter=Q("bool", filter=others) if others else Q("match_all"))
        scope.bucket("values", "terms", field=name, size=FACET_SIZE)
        search.aggs.bucket(name, scope)
    if offset >= window:
        offset, size = 0, 0
    size = min(size, window - offset)
    search = search.source(HIT_SOURCE).sort("_score", {"key": "asc"}).extra(track_total_hits=True)
    return search[offset : offset + size]


def suggest_request(text: str, locale: str | None, now: datetime, limit: int) -> Search | None:
    """Titles holding the words typed so far, the last one maybe unfinished; None when
    nothing was typed. All words first; ``any_words=True`` relaxes to any of them."""
    return _suggest(text, locale, now, limit, any_words=False)


def suggest_fallback_request(
    text: str, locale: str | None, now: datetime, limit: int
) -> Search | None:
    return _suggest(text, locale, now, limit, any_words=True)


def _suggest(text, locale, now, limit, any_words) -> Search | None:
    text = analysis.clean(text)[: analysis.MAX_QUERY_CHARS]
    tokens = analysis.tokenize(text)[-MAX_SUGGEST_WORDS:]
    if not tokens:
        return None
    typing = not text[-1:].isspace()  # the last word may be unfinished
    *done, last = tokens
    groups = [_title_group(t) for t in done if not t.stopword or len(done) < 2]
    groups.append(_title_group(last, prefix=typing))
    if any_words and len(groups) < 2:
        return None
    matched = (
        Q("bool", should=groups, minimum_should_match=1) if any_words else Q("bool", must=groups)
    )
    filters = [not_expired(now)]
    if locale:
        filters.append(Q("term", locale=analysis.clean(locale)))
    search = Search().query(Q("bool", must=[matched], filter=filters))
    search = search.source(["key", "type", "display.title", "display.url"])
    return search.sort("_score", {"title_length": "asc"}, {"key": "asc"}).extra(size=limit)


def _title_group(token: analysis.Token, prefix: bool = False):
    """A word in a title: as written (counts double) or by its forms; an unfinished one by
    its beginning, and a Hebrew one also by what follows the prefixes it may carry.

    A beginning is cut to the indexed prefix length: longer ones would be "expensive"
    queries (refused where those are turned off), and few titles share 10 letters and more.
    """
    if prefix:
        value = token.surface[:PREFIX_CHARS]
        options = [Q("prefix", **{"surface.title": {"value": value, "boost": 2.0}})]
        if analysis.is_hebrew(token.surface):
            options += [
                Q("prefix", **{"forms.title": {"value": f[:PREFIX_CHARS], "boost": 1.0}})
                for f in token.forms
            ]
    else:
        options = [Q("term", **{"surface.title": {"value": token.surface, "boost": 2.0}})]
        options += [Q("term", **{"forms.title": {"value": f, "boost": 1.0}}) for f in token.forms]
    return Q("bool", should=_unique(options), minimum_should_match=1)


def vocabulary_request(
    locale: str | None, after: dict | None = None, page_size: int = 5000
) -> Search:
    """One page of (surface word, documents) over the whole index or one language."""
    search = Search().extra(size=0, track_total_hits=False)
    if locale:
        search = search.filter("term", locale=analysis.clean(locale))
    options = {"sources": [{"term": {"terms": {"field": "vocab"}}}], "size": page_size}
    if after:
        options["after"] = after
    search.aggs.bucket("vocab", "composite", **options)
    return search


def knn_request(vector, query: EngineQuery, now: datetime, top: int, keys=()) -> MultiSearch:
    """The ``top`` documents closest to ``vector`` by their closest passage (nested kNN),
    under the query's filters; and, in the same round trip, the documents ``keys`` names
    (the lexical candidates), so both rankings score the same documents."""
    filters = [not_expired(now), *chosen_filters(query).values()]
    wanted = [analysis.clean(k) for k in dict.fromkeys(keys)][:RESULT_WINDOW]
    multi = MultiSearch().add(_knn(vector, filters, top))
    if wanted:
        multi = multi.add(_knn(vector, [*filters, Q("terms", key=wanted)], len(wanted)))
    return multi


def _knn(vector, filters: list, k: int) -> Search:
    knn = {
        "field": "passages.vector",
        "query_vector": [float(x) for x in vector],
        "k": k,
        "num_candidates": max(k, KNN_CANDIDATES),
        "filter": [f.to_dict() for f in filters],
        # The closest passage of each document, by its number in the passage store.
        "inner_hits": {"size": 1, "_source": ["passages.n"]},
    }
    return Search().extra(knn=knn, size=k).source(["key"])
