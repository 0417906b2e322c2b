"""Reading the embedded index: the query planned as FTS5 MATCH expressions, ranked hits,
facet counts, promoted documents and type-ahead titles."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from ... import analysis
from ...conf import FIELDS, MAX_SUGGEST_WORDS, Ranking
from ...documents import SearchDocument
from ...query_terms import AnalysedQuery, near_span
from ..base import EngineQuery, Hit
from . import titles
from .schema import DOC_COLUMNS, TEXT_COLUMNS


def quote(term: str) -> str:
    """An FTS5 string: user text only ever reaches MATCH inside one of these."""
    return '"' + term.replace('"', '""') + '"'


def _cols(suffix: str, fields=FIELDS) -> str:
    return "{" + " ".join(f"{f}{suffix}" for f in fields) + "}"


SURFACE = _cols("")
FORMS = _cols("_f")


@dataclass
class QueryPlan:
    """The analysed query as MATCH expressions.

    ``match`` ranks: the words as written, their forms and neighbouring pairs. ``filter``
    finds the same documents with only the forms (a word matches its forms too), which is
    cheaper for counting.
    """

    match: str
    filter: str
    terms: AnalysedQuery
    narrow: str = ""  # the rarer words: only documents holding one are ranked (``narrowing``)

    @classmethod
    def build(cls, terms: AnalysedQuery, ranking: Ranking) -> "QueryPlan":
        if terms.empty:
            return cls("", "", terms)
        ranked = [f"{SURFACE} : {quote(t.surface)}" for t in terms.content]
        found = [f"{FORMS} : {quote(f)}" for group in terms.forms for f in group]
        ranked += found
        for a, b in terms.near:
            fa, fb = a.forms[-1], b.forms[-1]
            span = near_span([fa, fb], ranking.near)
            ranked.append(f"{FORMS} : NEAR({quote(fa)} {quote(fb)}, {span})")
        for alternative in terms.alternatives:
            phrase, near = _alternative_groups(alternative)
            ranked += [phrase, near]
            found.append(near)
        return cls(_any(ranked), _any(found), terms)


# A long question matches most of a large index through its commonest words, and scoring
# every match is most of a search's time there. As in Lucene's common-terms query, when the
# query also has rarer words only the documents holding one of them are ranked, with their
# scores unchanged: a document holding none of them is rarely among the first few pages.
# Small indexes, and pages past the first few, rank every match.
NARROW_MIN_DOCUMENTS = 2000
NARROW_COMMON_SHARE = 0.05  # a word in more of the language's documents than this is common
NARROW_MAX_RANK = 30  # the first three pages (a hybrid search's lexical candidates)


def narrowing(terms: AnalysedQuery, vocabulary: dict, documents: int) -> str:
    """The MATCH expression of the query's rarer words, or "" to rank every match."""
    if documents < NARROW_MIN_DOCUMENTS:
        return ""
    common = NARROW_COMMON_SHARE * documents
    df = [vocabulary.get(t.surface, 0) for t in terms.content]
    rare = [forms for forms, n in zip(terms.forms, df, strict=True) if 0 < n < common]
    if not rare or not any(n >= common for n in df):
        return ""
    groups = [f"{FORMS} : {quote(f)}" for forms in rare for f in forms]
    groups += [_alternative_groups(alternative)[1] for alternative in terms.alternatives]
    return _any(groups)


def document_count(cursor, locale: str | None) -> int:
    if locale:
        cursor.execute("SELECT count(*) FROM search_doc WHERE locale = %s", [locale])
    else:
        cursor.execute("SELECT count(*) FROM search_doc")
    return cursor.fetchone()[0]


def _any(groups: list[str]) -> str:
    return " OR ".join(dict.fromkeys(groups))


def _alternative_groups(tokens: list[analysis.Token]) -> tuple[str, str]:
    """A synonym as an exact phrase, and as its words' forms close together."""
    phrase = f"{SURFACE} : {quote(' '.join(t.surface for t in tokens))}"
    if len(tokens) == 1:
        return phrase, f"{FORMS} : {quote(tokens[0].forms[0])}"
    span = near_span([t.surface for t in tokens], len(tokens))
    near = f"{FORMS} : NEAR({' '.join(quote(t.forms[0]) for t in tokens)}, {span})"
    return phrase, near


def filters(query: EngineQuery, now: float) -> tuple[str, list]:
    """The query's filters on ``search_filter`` (as ``f``)."""
    sql, params = ["(f.expire_ts IS NULL OR f.expire_ts > %s)"], [now]
    for column, values in (
        ("locale", (query.locale,) if query.locale else ()),
        ("type", query.types),
        ("category", query.categories),
    ):
        values = [analysis.clean(v) for v in values or ()]
        if values:
            sql.append(f"f.{column} IN ({', '.join(['%s'] * len(values))})")
            params += values
    return " AND ".join(sql), params


def groups(cursor, match: str, now: float, promoted: list[dict]) -> list[tuple]:
    """(type, category, locale, count) of every document the query finds.

    Promoted documents count even when the words do not match them, and only once when
    they do: the grouped query also counts how many of them it found.
    """
    out, found = [], Counter()
    if match:
        rowids = [d["rowid"] for d in promoted] or [0]
        cursor.execute(
            "SELECT f.type, f.category, f.locale, count(*), "  # noqa: S608
            f"sum(f.rowid IN ({', '.join(['%s'] * len(rowids))})) FROM search_fts "
            "JOIN search_filter f ON f.rowid = search_fts.rowid "
            "WHERE search_fts MATCH %s AND (f.expire_ts IS NULL OR f.expire_ts > %s) "
            "GROUP BY 1, 2, 3",
            [*rowids, match, now],
        )
        for *group, n, n_promoted in cursor:
            out.append((*group, n))
            found[tuple(group)] = n_promoted
    for d in promoted:
        group = (d["type"], d["category"], d["locale"])
        if found[group] > 0:
            found[group] -= 1
        else:
            out.append((*group, 1))
    return out


def ranked(cursor, plan: QueryPlan, weights: list[float], query, now, limit, offset, exclude):
    where, params = filters(query, now)
    if exclude:
        where += f" AND f.rowid NOT IN ({', '.join(['%s'] * len(exclude))})"
        params += exclude
    if plan.narrow:
        # "+" keeps SQLite from looking the rowids up one by one in the full-text table
        # (each a new MATCH); the rarer words' documents are gathered once instead.
        rows = _ranked(
            cursor, plan.match, weights, where, params, limit, offset,
            "AND +search_fts.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)",
            [plan.narrow],
        )  # fmt: skip
        if len(rows) == limit:
            return rows
    return _ranked(cursor, plan.match, weights, where, params, limit, offset)


def _ranked(cursor, match, weights, where, params, limit, offset, narrow="", narrow_params=()):
    # Every match is filtered and scored against the narrow search_filter; only the page's
    # rows are read from search_doc, whose wide rows made joining every match costly.
    weights_sql = ", ".join(f"{w:g}" for w in weights)
    cursor.execute(
        f"SELECT {', '.join('d.' + c for c in DOC_COLUMNS)}, d.rowid, r.score "  # noqa: S608
        f"FROM (SELECT f.rowid AS rowid, bm25(search_fts, {weights_sql}) AS score "
        "FROM search_fts JOIN search_filter f ON f.rowid = search_fts.rowid "
        f"WHERE search_fts MATCH %s AND {where} {narrow} ORDER BY score LIMIT %s OFFSET %s) r "
        "JOIN search_doc d ON d.rowid = r.rowid ORDER BY r.score",
        [match, *params, *narrow_params, limit, offset],
    )
    # bm25() is lower for better matches; a score reads better the other way round.
    columns = (*DOC_COLUMNS, "rowid")
    return [(dict(zip(columns, r[:-1], strict=True)), -r[-1], False) for r in cursor]


def promoted(cursor, keys: list[str], now: float) -> list[dict]:
    if not keys:
        return []
    cursor.execute(
        f"SELECT {', '.join('d.' + c for c in DOC_COLUMNS)}, d.rowid "  # noqa: S608
        f"FROM search_doc d WHERE d.key IN ({', '.join(['%s'] * len(keys))}) "
        "AND (d.expire_ts IS NULL OR d.expire_ts > %s)",
        [*keys, now],
    )
    docs = {r[0]: dict(zip((*DOC_COLUMNS, "rowid"), r, strict=True)) for r in cursor}
    return [docs[k] for k in keys if k in docs]


def texts(cursor, rowids: list[int]) -> dict[int, dict]:
    if not rowids:
        return {}
    cursor.execute(
        f"SELECT rowid, {', '.join(TEXT_COLUMNS)} FROM search_text "  # noqa: S608
        f"WHERE rowid IN ({', '.join(['%s'] * len(rowids))})",
        rowids,
    )
    return {r[0]: dict(zip(TEXT_COLUMNS, r[1:], strict=True)) for r in cursor}


SUGGEST_CANDIDATES = 4  # titles ranked by the title index alone, per suggestion shown
MAX_CANDIDATES = 5000


class TitleMatch(NamedTuple):
    """Titles holding every group's words (``every``) or any of them; a group is the
    phrases one typed word may match."""

    groups: tuple[tuple[titles.Phrase, ...], ...]
    every: bool

    def expression(self) -> str:
        groups = [
            "("
            + " OR ".join(f"{p.column} : {quote(p.term)}{' *' if p.prefix else ''}" for p in g)
            + ")"
            for g in self.groups
        ]
        return (" AND " if self.every else " OR ").join(groups)

    def in_memory(self) -> bool:
        """Whether each phrase is one word as FTS5 reads it, as the memory's terms are."""
        return all(p.term.isalnum() for g in self.groups for p in g)


def suggest_rows(cursor, match: TitleMatch, locale, now: float, limit: int, memory=None):
    """The ``limit`` best titles for ``match`` in ``locale``: by bm25, then the shorter.

    The title index ranks a few candidates by itself first (in ``memory`` when given, else
    in SQLite): a question typed in full matches a thousand titles by its common words at
    10,000 items, and joining each to its document (language, expiry, title length) cost
    more than ranking it. The candidates give the same list as ranking every match, unless
    too few of them are in the language or a tie reaches past the last of them: then more
    candidates are read from memory, or SQLite ranks every match."""
    wanted = limit * SUGGEST_CANDIDATES
    if memory is None or not match.in_memory():
        cursor.execute(
            f"SELECT rowid, bm25(search_title_fts, {', '.join(map(str, titles.WEIGHTS))}) "  # noqa: S608 - constants
            "AS score FROM search_title_fts WHERE search_title_fts MATCH %s "
            "ORDER BY score LIMIT %s",
            [match.expression(), wanted],
        )
        scores = dict(cursor.fetchall())
        shown = _shown(cursor, scores, locale, now, limit)
        if len(scores) < wanted or (len(shown) == limit and shown[-1][0] < max(scores.values())):
            return [row for *_order, row in shown]
        return _ranked_suggest_rows(cursor, match, locale, now, limit)
    while True:
        # The memory's candidates hold every title tying the last: any other scores worse.
        scores, every_match = memory.best(match.groups, match.every, wanted)
        if len(scores) > MAX_CANDIDATES:  # the statement's variables have a limit
            return _ranked_suggest_rows(cursor, match, locale, now, limit)
        shown = _shown(cursor, scores, locale, now, limit)
        if every_match or len(shown) == limit:
            return [row for *_order, row in shown]
        wanted *= 8


def _shown(cursor, scores: dict[int, float], locale, now: float, limit: int) -> list[tuple]:
    """The best ``limit`` of the scored titles in the language and not expired, as
    (score, title length, rowid, row), full ties in the order of the title index."""
    if not scores:
        return []
    cursor.execute(
        "SELECT rowid, title, url, type, key, locale, expire_ts FROM search_doc "  # noqa: S608
        f"WHERE rowid IN ({', '.join(['%s'] * len(scores))})",
        list(scores),
    )
    language = analysis.clean(locale) if locale else None
    return sorted(
        (scores[rowid], len(title), rowid, (title, url, type_, key))
        for rowid, title, url, type_, key, in_locale, expire_ts in cursor.fetchall()
        if (language is None or in_locale == language) and (expire_ts is None or expire_ts > now)
    )[:limit]


def _ranked_suggest_rows(cursor, match: TitleMatch, locale, now: float, limit: int):
    sql = (
        "SELECT d.title, d.url, d.type, d.key FROM search_title_fts "
        "JOIN search_doc d ON d.rowid = search_title_fts.rowid "
        "WHERE search_title_fts MATCH %s AND (d.expire_ts IS NULL OR d.expire_ts > %s)"
    )
    params = [match.expression(), now]
    if locale:
        sql += " AND d.locale = %s"
        params.append(analysis.clean(locale))
    weights = ", ".join(map(str, titles.WEIGHTS))
    sql += f" ORDER BY bm25(search_title_fts, {weights}), length(d.title) LIMIT %s"
    cursor.execute(sql, [*params, limit])
    return cursor.fetchall()


MIN_PREFIX_ANY = 3  # letters an unfinished word needs to count among "any of the words"


def suggest_matches(text: str) -> list[TitleMatch]:
    """The titles holding the words typed so far: all words first, then any of them."""
    tokens = analysis.tokenize(text)[-MAX_SUGGEST_WORDS:]
    if not tokens:
        return []
    # The last word is unfinished unless a space follows it; finished stopwords only
    # narrow the titles down when nothing else was typed.
    partial = tokens.pop() if not text[-1:].isspace() else None
    words = [t for t in tokens if not t.stopword] or tokens
    parts = [_title_group(t) for t in words]
    if not partial:
        if len(parts) > 1:
            return [TitleMatch(tuple(parts), True), TitleMatch(tuple(parts), False)]
        return [TitleMatch(tuple(parts), True)]
    unfinished = _title_group(partial, prefix=True)
    if not parts:
        return [TitleMatch((unfinished,), True)]
    # Any of the words: a letter or two begun after them would match most titles ("ה" *),
    # so the finished words choose then.
    either = parts if len(partial.surface) < MIN_PREFIX_ANY else [*parts, unfinished]
    return [TitleMatch((*parts, unfinished), True), TitleMatch(tuple(either), False)]


def _title_group(token: analysis.Token, prefix: bool = False) -> tuple[titles.Phrase, ...]:
    phrases = [titles.Phrase("title", token.surface, prefix)]
    if prefix and analysis.is_hebrew(token.surface):
        # An unfinished Hebrew word may carry prefixes: match what follows them too.
        phrases += [titles.Phrase("title_f", f, True) for f in token.forms]
    elif not prefix:
        phrases += [titles.Phrase("title_f", f) for f in token.forms]
    return tuple(dict.fromkeys(phrases))


def hit(row: dict, texts: dict, score: float, highlighter, promoted: bool) -> Hit:
    doc = SearchDocument(
        **{c: row[c] for c in DOC_COLUMNS if c not in ("published_at", "expire_at")},
        **texts,
        published_at=_from_iso(row["published_at"]),
        expire_at=_from_iso(row["expire_at"]),
    )
    return Hit(
        document=doc,
        score=score,
        marker=highlighter,
        promoted=promoted,
    )


def _from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _chosen(query: EngineQuery) -> dict[str, set]:
    return {
        "type": set(query.types or ()),
        "category": set(query.categories or ()),
        "locale": {query.locale} if query.locale else set(),
    }


def passes(doc: dict, query: EngineQuery) -> bool:
    return all(not values or doc[name] in values for name, values in _chosen(query).items())


def facets(groups: list[tuple], query: EngineQuery) -> tuple[dict, int]:
    """Facet counts, each with the other facets' filters applied, and the filtered total."""
    chosen = _chosen(query)
    names = ("type", "category", "locale")
    counts = {name: Counter() for name in names}
    total = 0
    for *values, n in groups:
        ok = [not chosen[f] or v in chosen[f] for f, v in zip(names, values, strict=True)]
        if all(ok):
            total += n
        for i, name in enumerate(names):
            if all(p for j, p in enumerate(ok) if j != i):
                if values[i]:
                    counts[name][values[i]] += n
    return {name: dict(counts[name].most_common()) for name in names}, total
