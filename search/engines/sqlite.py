"""SQLite FTS5 search in the site's own database, written in the content's transaction.

Text is analysed in Python (``search.analysis``) and FTS5 only splits it on spaces, so the
index and the queries use exactly the same rules. Each field has two columns: the words as
written (``title``) and their stems or prefix-stripped forms (``title_f``). A query matches
both, so an exact word scores twice and a stemmed one once.

Tables:
- ``search_doc``: what a hit shows and what filters read, keyed by rowid. Kept narrow: the
  ranking query joins every matching row to it.
- ``search_text``: the original long texts, read only for the hits shown (snippets).
- ``search_fts``: the analysed text of every field, same rowid.
- ``search_title_fts``: analysed titles only, with prefix indexes, for type-ahead.
- ``search_vocab``: surface term -> document frequency per locale, for spelling.
- ``search_meta``: an index version bumped by every write, so caches know when to drop.
"""

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.utils import timezone

from .. import analysis
from ..documents import SearchDocument
from ..query_terms import compounds, lookup_forms, synonym_alternatives, unique_words
from .base import EngineQuery, EngineResults, Hit, SearchEngine, Suggestion

FIELDS = ("title", "keywords", "summary", "body", "steps", "transcript")
FTS_COLUMNS = tuple(c for f in FIELDS for c in (f, f"{f}_f"))
DOC_COLUMNS = (
    "key", "page_id", "url", "title", "type", "locale", "summary", "keywords", "category",
    "category_title", "published_at", "expire_at", "popularity",
)  # fmt: skip
TEXT_COLUMNS = ("body", "steps", "transcript")
logger = logging.getLogger(__name__)

MAX_QUERY_TERMS = 16  # bounds the MATCH expression, whatever is pasted into the box
MAX_NEAR_PAIRS = 6  # proximity pays for itself in short queries; long ones cost more
MAX_PER_PAGE = 100
MAX_PAGE = 1000

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS search_doc (
        rowid INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        page_id INTEGER NOT NULL,
        url TEXT NOT NULL,
        title TEXT NOT NULL,
        type TEXT NOT NULL,
        locale TEXT NOT NULL,
        summary TEXT NOT NULL,
        keywords TEXT NOT NULL,
        category TEXT NOT NULL,
        category_title TEXT NOT NULL,
        published_at TEXT,
        expire_at TEXT,
        expire_ts REAL,
        popularity REAL NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX IF NOT EXISTS search_doc_page ON search_doc (page_id)",
    """CREATE TABLE IF NOT EXISTS search_text (
        rowid INTEGER PRIMARY KEY,
        body TEXT NOT NULL,
        steps TEXT NOT NULL,
        transcript TEXT NOT NULL
    )""",
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        {", ".join(FTS_COLUMNS)},
        tokenize = 'unicode61 remove_diacritics 0'
    )""",
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_title_fts USING fts5(
        title, title_f, tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2 3'
    )""",
    """CREATE TABLE IF NOT EXISTS search_vocab (
        locale TEXT NOT NULL,
        term TEXT NOT NULL,
        df INTEGER NOT NULL,
        PRIMARY KEY (locale, term)
    ) WITHOUT ROWID""",
    "CREATE TABLE IF NOT EXISTS search_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    "INSERT OR IGNORE INTO search_meta (name, value) VALUES ('version', 0)",
]
INDEX_TABLES = ("search_doc", "search_text", "search_fts", "search_title_fts", "search_vocab")
TABLES = (*INDEX_TABLES, "search_meta")


def create_schema(cursor) -> None:
    """Create the index tables (idempotent); called from a migration."""
    for statement in SCHEMA:
        cursor.execute(statement)


def drop_schema(cursor) -> None:
    for table in TABLES:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


@dataclass
class Ranking:
    """How much each kind of match counts; the defaults were tuned on the dev datasets."""

    # bm25 weight of each field's surface column; its forms column gets ``forms`` times it.
    fields: dict = field(
        default_factory=lambda: {
            "title": 4.0, "keywords": 2.0, "summary": 1.5, "body": 1.0, "steps": 1.0,
            "transcript": 0.8,
        }
    )  # fmt: skip
    # Weight of the forms columns relative to the surface ones, by the query's script. An
    # English stem loses meaning (university/universe) so the exact word must lead; a Hebrew
    # prefix is grammar (ו, ה, ב...) so the stripped word says nearly as much as the written.
    forms: dict = field(default_factory=lambda: {"latin": 0.4, "hebrew": 2.0})
    near: int = 6  # words may stand this far apart to count as "close together"
    proximity: bool = True
    hebrew_splits: str = "vocab"  # "all", "vocab" (only words the index knows) or "none"

    def weights(self, hebrew_share: float = 0.0) -> list[float]:
        """bm25 column weights for a query whose words are ``hebrew_share`` Hebrew."""
        forms = self.forms["hebrew"] * hebrew_share + self.forms["latin"] * (1 - hebrew_share)
        out = []
        for name in FIELDS:
            w = self.fields.get(name, 1.0)
            out += [w, w * forms]
        return out


def quote(term: str) -> str:
    """An FTS5 string: user text only ever reaches MATCH inside one of these."""
    return '"' + term.replace('"', '""') + '"'


def _cols(suffix: str, fields=FIELDS) -> str:
    return "{" + " ".join(f"{f}{suffix}" for f in fields) + "}"


SURFACE = _cols("")
FORMS = _cols("_f")


def _to_ts(value: datetime | None) -> float | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value.timestamp()


def _bounded(value, default: int, most: int) -> int:
    try:
        return min(max(int(value), 1), most)
    except (TypeError, ValueError, OverflowError):
        return default


def _from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class SqliteEngine(SearchEngine):
    """Options: DATABASE, the SQLite alias holding the index (default "default"), and
    CONTENT_DATABASE, the alias holding the pages. When they differ (the content is on
    PostgreSQL), the index lives in its own SQLite file, its tables are created on first
    use and writes wait for the content's commit, so a rolled-back publish never shows."""

    def __init__(self, name: str, options: dict):
        super().__init__(name, options)
        self.alias = options.get("DATABASE", "default")
        self.content_alias = options.get("CONTENT_DATABASE", "default")
        ranking = options.get("RANKING") or Ranking()
        self.ranking = Ranking(**ranking) if isinstance(ranking, dict) else ranking
        self._vocab_cache: dict = {}
        self._schema_checked = self.alias == self.content_alias  # a migration made it

    @property
    def connection(self):
        connection = connections[self.alias]
        if connection.vendor != "sqlite":
            raise ImproperlyConfigured(
                f"The sqlite search engine needs an SQLite database; {self.alias!r} is not."
            )
        if not self._schema_checked:
            with connection.cursor() as cursor:
                create_schema(cursor)
            self._schema_checked = True
        return connection

    def _after_content_commit(self, write: Callable[[], None]) -> None:
        if self.alias == self.content_alias:
            write()
        else:
            transaction.on_commit(write, using=self.content_alias)

    # -- writing -------------------------------------------------------------------------

    def index_page(self, page_id: int, documents: list[SearchDocument]) -> None:
        def write():
            with transaction.atomic(using=self.alias), self.connection.cursor() as cursor:
                self._delete(cursor, [page_id])
                for doc in documents:
                    self._insert(cursor, doc)
                self._bump(cursor)

        self._after_content_commit(write)

    def delete_pages(self, page_ids: Iterable[int]) -> None:
        ids = [int(i) for i in page_ids]
        if not ids:
            return

        def write():
            with transaction.atomic(using=self.alias), self.connection.cursor() as cursor:
                self._delete(cursor, ids)
                self._bump(cursor)

        self._after_content_commit(write)

    def rebuild(
        self, documents: Iterable[SearchDocument], progress: Callable[[int], None] | None = None
    ) -> int:
        n = 0
        with transaction.atomic(using=self.alias), self.connection.cursor() as cursor:
            for table in INDEX_TABLES:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)
            vocab: dict[str, Counter] = {}
            seen = set()
            for doc in documents:
                if doc.key in seen:
                    continue  # one document per key: the first one given wins
                seen.add(doc.key)
                terms = self._insert(cursor, doc, update_vocab=False)
                vocab.setdefault(doc.locale, Counter()).update(terms)
                n += 1
                if progress:
                    progress(n)
            cursor.executemany(
                "INSERT INTO search_vocab (locale, term, df) VALUES (%s, %s, %s)",
                [(loc, t, df) for loc, counts in vocab.items() for t, df in counts.items()],
            )
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
            cursor.execute("INSERT INTO search_title_fts (search_title_fts) VALUES ('optimize')")
            self._bump(cursor)
        return n

    def _insert(self, cursor, doc: SearchDocument, update_vocab=True) -> set[str]:
        """Index one document; returns its surface terms (its contribution to the vocabulary)."""
        values = {c: getattr(doc, c) for c in DOC_COLUMNS}
        for name in DOC_COLUMNS[2:10]:
            values[name] = analysis.clean(values[name])
        values["key"], values["page_id"] = analysis.clean(doc.key), int(doc.page_id)
        texts = {c: analysis.clean(getattr(doc, c)) for c in TEXT_COLUMNS}
        values["published_at"] = doc.published_at.isoformat() if doc.published_at else None
        values["expire_at"] = doc.expire_at.isoformat() if doc.expire_at else None
        values["popularity"] = float(doc.popularity or 0)
        if update_vocab:  # a key indexed under another page moves here
            self._delete(cursor, [values["key"]], column="key")
        cursor.execute(
            f"INSERT INTO search_doc ({', '.join(DOC_COLUMNS)}, expire_ts) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * (len(DOC_COLUMNS) + 1))})",
            [*values.values(), _to_ts(doc.expire_at)],
        )
        rowid = cursor.lastrowid
        cursor.execute(
            "INSERT INTO search_text (rowid, body, steps, transcript) VALUES (%s, %s, %s, %s)",
            [rowid, *texts.values()],
        )
        columns, terms = [], set()
        for name in FIELDS:
            surface, forms = analysis.index_text(texts.get(name, values.get(name)))
            columns += [surface, forms]
            terms.update(surface.split())
        cursor.execute(
            f"INSERT INTO search_fts (rowid, {', '.join(FTS_COLUMNS)}) "  # noqa: S608
            f"VALUES (%s, {', '.join(['%s'] * len(FTS_COLUMNS))})",
            [rowid, *columns],
        )
        cursor.execute(
            "INSERT INTO search_title_fts (rowid, title, title_f) VALUES (%s, %s, %s)",
            [rowid, columns[0], columns[1]],
        )
        if update_vocab and terms:
            cursor.executemany(
                "INSERT INTO search_vocab (locale, term, df) VALUES (%s, %s, 1) "
                "ON CONFLICT (locale, term) DO UPDATE SET df = df + 1",
                [(values["locale"], t) for t in terms],
            )
        return terms

    def _delete(self, cursor, values: list, column: str = "page_id") -> None:
        """Remove the documents whose ``column`` (page_id or key) is in ``values``."""
        marks = ", ".join(["%s"] * len(values))
        cursor.execute(
            f"SELECT d.rowid, d.locale, {', '.join('f.' + f for f in FIELDS)} "  # noqa: S608
            f"FROM search_doc d JOIN search_fts f ON f.rowid = d.rowid "
            f"WHERE d.{column} IN ({marks})",
            values,
        )
        rows = cursor.fetchall()
        if not rows:
            return
        gone = Counter()
        for _rowid, locale, *texts in rows:
            gone.update((locale, t) for t in set(" ".join(texts).split()))
        cursor.executemany(
            "UPDATE search_vocab SET df = df - %s WHERE locale = %s AND term = %s",
            [(n, loc, t) for (loc, t), n in gone.items()],
        )
        cursor.execute("DELETE FROM search_vocab WHERE df <= 0")
        rowids = [r[0] for r in rows]
        marks = ", ".join(["%s"] * len(rowids))
        for table in ("search_fts", "search_title_fts", "search_text", "search_doc"):
            cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", rowids)  # noqa: S608

    def _bump(self, cursor) -> None:
        # A random stamp, not a count: a rolled-back write can never look like a later one.
        cursor.execute("UPDATE search_meta SET value = random() WHERE name = 'version'")

    # -- reading -------------------------------------------------------------------------

    def version(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT value FROM search_meta WHERE name = 'version'")
            row = cursor.fetchone()
        return row[0] if row else 0

    def count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_doc")
            return cursor.fetchone()[0]

    def vocabulary(self, locale: str | None = None) -> dict[str, int]:
        version = self.version()
        cached = self._vocab_cache.get(locale)
        if cached and cached[0] == version:
            return cached[1]
        with self.connection.cursor() as cursor:
            if locale:
                cursor.execute("SELECT term, df FROM search_vocab WHERE locale = %s", [locale])
            else:
                cursor.execute("SELECT term, sum(df) FROM search_vocab GROUP BY term")
            vocab = dict(cursor.fetchall())
        self._vocab_cache[locale] = (version, vocab)
        return vocab

    def search(self, query: EngineQuery) -> EngineResults:
        try:
            return self._search(query)
        except Exception:  # noqa: BLE001 (no input may break the search page)
            if self._debug():
                raise
            logger.exception("Search failed for %r", query.text[:200])
            return EngineResults(hits=[], total=0, facets={})

    def _debug(self) -> bool:
        return bool(self.options.get("RAISE_ERRORS"))

    def _search(self, query: EngineQuery) -> EngineResults:
        now = _to_ts(query.now or timezone.now())
        per_page = _bounded(query.per_page, 10, MAX_PER_PAGE)
        page = _bounded(query.page, 1, MAX_PAGE)
        offset = (page - 1) * per_page
        plan = QueryPlan.build(query, self)
        with self.connection.cursor() as cursor:
            # Facets count promoted documents the filters hide; the results do not show them.
            promoted = self._promoted(cursor, query, now)
            groups = self._groups(cursor, plan.filter, now, promoted)
            promoted = [d for d in promoted if _passes(d, query)]
            facets, total = _facets(groups, query)
            rows = [(d, 0.0, True) for d in promoted[offset : offset + per_page]]
            if plan.match and len(rows) < per_page:
                rows += self._ranked(
                    cursor, plan, query, now,
                    limit=per_page - len(rows),
                    offset=max(0, offset - len(promoted)),
                    exclude=[d["rowid"] for d in promoted],
                )  # fmt: skip
            texts = self._texts(cursor, [d["rowid"] for d, _, _ in rows])
        highlighter = analysis.Highlighter(plan.surfaces, plan.forms)
        hits = [
            _hit(doc, texts.get(doc["rowid"], {}), score, highlighter, promoted)
            for doc, score, promoted in rows
        ]
        return EngineResults(hits=hits, total=total, facets=facets)

    def _filters(self, query: EngineQuery, now: float) -> tuple[str, list]:
        sql, params = ["(d.expire_ts IS NULL OR d.expire_ts > %s)"], [now]
        for column, values in (
            ("locale", (query.locale,) if query.locale else ()),
            ("type", query.types),
            ("category", query.categories),
        ):
            values = [analysis.clean(v) for v in values or ()]
            if values:
                sql.append(f"d.{column} IN ({', '.join(['%s'] * len(values))})")
                params += values
        return " AND ".join(sql), params

    def _groups(self, cursor, match: str, now: float, promoted: list[dict]) -> list[tuple]:
        """(type, category, locale, count) of every document the query finds.

        Promoted documents count even when the words do not match them, and only once when
        they do: the grouped query also counts how many of them it found.
        """
        out, found = [], Counter()
        if match:
            rowids = [d["rowid"] for d in promoted] or [0]
            cursor.execute(
                "SELECT d.type, d.category, d.locale, count(*), "  # noqa: S608
                f"sum(d.rowid IN ({', '.join(['%s'] * len(rowids))})) FROM search_fts "
                "JOIN search_doc d ON d.rowid = search_fts.rowid "
                "WHERE search_fts MATCH %s AND (d.expire_ts IS NULL OR d.expire_ts > %s) "
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

    def _ranked(self, cursor, plan, query, now, limit, offset, exclude) -> list[tuple]:
        where, params = self._filters(query, now)
        if exclude:
            where += f" AND d.rowid NOT IN ({', '.join(['%s'] * len(exclude))})"
            params += exclude
        weights = ", ".join(f"{w:g}" for w in self.ranking.weights(plan.hebrew_share))
        cursor.execute(
            f"SELECT {', '.join('d.' + c for c in DOC_COLUMNS)}, d.rowid, "  # noqa: S608
            f"bm25(search_fts, {weights}) AS score "
            "FROM search_fts JOIN search_doc d ON d.rowid = search_fts.rowid "
            f"WHERE search_fts MATCH %s AND {where} ORDER BY score LIMIT %s OFFSET %s",
            [plan.match, *params, limit, offset],
        )
        # bm25() is lower for better matches; a score reads better the other way round.
        columns = (*DOC_COLUMNS, "rowid")
        return [(dict(zip(columns, r[:-1], strict=True)), -r[-1], False) for r in cursor]

    def _promoted(self, cursor, query: EngineQuery, now: float) -> list[dict]:
        keys = list(dict.fromkeys(analysis.clean(k) for k in query.promoted or ()))[:50]
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

    def _texts(self, cursor, rowids: list[int]) -> dict[int, dict]:
        if not rowids:
            return {}
        cursor.execute(
            f"SELECT rowid, {', '.join(TEXT_COLUMNS)} FROM search_text "  # noqa: S608
            f"WHERE rowid IN ({', '.join(['%s'] * len(rowids))})",
            rowids,
        )
        return {r[0]: dict(zip(TEXT_COLUMNS, r[1:], strict=True)) for r in cursor}

    def suggest(self, prefix: str, locale: str | None = None, limit: int = 8) -> list[Suggestion]:
        try:
            return self._suggest(prefix, locale, limit)
        except Exception:  # noqa: BLE001 (type-ahead must never break the page)
            if self._debug():
                raise
            logger.exception("Suggest failed for %r", str(prefix)[:200])
            return []

    def _suggest(self, prefix: str, locale: str | None, limit: int) -> list[Suggestion]:
        limit = _bounded(limit, 8, 50)
        text = analysis.clean(prefix)[: analysis.MAX_QUERY_CHARS]
        tokens = analysis.tokenize(text)[-8:]
        if not tokens:
            return []
        # The last word is unfinished unless a space follows it; finished stopwords only
        # narrow the titles down when nothing else was typed.
        partial = tokens.pop() if not text[-1:].isspace() else None
        words = [t for t in tokens if not t.stopword] or tokens
        parts = [_title_group(t) for t in words]
        if partial:
            parts.append(_title_group(partial, prefix=True))
        now = timezone.now().timestamp()
        rows = []
        for match in (" AND ".join(parts), " OR ".join(parts)) if len(parts) > 1 else parts:
            rows = self._suggest_rows(match, locale, now, limit)
            if rows:
                break
        return [Suggestion(title=t, url=u, type=ty, key=k) for t, u, ty, k in rows]

    def _suggest_rows(self, match, locale, now, limit):
        sql = (
            "SELECT d.title, d.url, d.type, d.key FROM search_title_fts "
            "JOIN search_doc d ON d.rowid = search_title_fts.rowid "
            "WHERE search_title_fts MATCH %s AND (d.expire_ts IS NULL OR d.expire_ts > %s)"
        )
        params = [match, now]
        if locale:
            sql += " AND d.locale = %s"
            params.append(analysis.clean(locale))
        sql += " ORDER BY bm25(search_title_fts, 2.0, 1.0), length(d.title) LIMIT %s"
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit])
            return cursor.fetchall()


def _hit(row: dict, texts: dict, score: float, highlighter, promoted: bool) -> Hit:
    doc = SearchDocument(
        **{c: row[c] for c in DOC_COLUMNS if c not in ("published_at", "expire_at")},
        **texts,
        published_at=_from_iso(row["published_at"]),
        expire_at=_from_iso(row["expire_at"]),
    )
    return Hit(
        document=doc,
        score=score,
        title_html=highlighter.mark(doc.title),
        snippet_html=highlighter.snippet([doc.summary, doc.body, doc.steps, doc.transcript]),
        promoted=promoted,
    )


def _title_group(token: analysis.Token, prefix: bool = False) -> str:
    star = " *" if prefix else ""
    terms = [f"title : {quote(token.surface)}{star}"]
    if prefix and analysis.is_hebrew(token.surface):
        # An unfinished Hebrew word may carry prefixes: match what follows them too.
        terms += [f"title_f : {quote(f)}{star}" for f in token.forms]
    elif not prefix:
        terms += [f"title_f : {quote(f)}" for f in token.forms]
    return "(" + " OR ".join(dict.fromkeys(terms)) + ")"


def _chosen(query: EngineQuery) -> dict[str, set]:
    return {
        "type": set(query.types or ()),
        "category": set(query.categories or ()),
        "locale": {query.locale} if query.locale else set(),
    }


def _passes(doc: dict, query: EngineQuery) -> bool:
    return all(not values or doc[name] in values for name, values in _chosen(query).items())


def _facets(groups: list[tuple], query: EngineQuery) -> tuple[dict, int]:
    """Facet counts, each with the other facets' filters applied, and the filtered total."""
    chosen = _chosen(query)
    names = ("type", "category", "locale")
    facets = {name: Counter() for name in names}
    total = 0
    for *values, n in groups:
        passes = [not chosen[f] or v in chosen[f] for f, v in zip(names, values, strict=True)]
        if all(passes):
            total += n
        for i, name in enumerate(names):
            if all(p for j, p in enumerate(passes) if j != i):
                if values[i]:
                    facets[name][values[i]] += n
    return {name: dict(facets[name].most_common()) for name in names}, total


@dataclass
class QueryPlan:
    """The analysed query: its MATCH expressions and the terms to highlight.

    ``match`` ranks: the words as written, their forms and neighbouring pairs. ``filter``
    finds the same documents with only the forms (a word matches its forms too), which is
    cheaper for counting.
    """

    match: str
    filter: str
    surfaces: set[str]
    forms: set[str]
    hebrew_share: float = 0.0

    @classmethod
    def build(cls, query: EngineQuery, engine: SqliteEngine) -> "QueryPlan":
        ranking = engine.ranking
        typed = analysis.analyze_query(query.text)
        tokens = unique_words(typed)
        content = [t for t in tokens if not t.stopword] or tokens
        content = content[:MAX_QUERY_TERMS]
        if not content:
            return cls("", "", set(), set())
        known = engine.vocabulary(query.locale)
        ranked, found, surfaces, forms = [], [], set(), set()
        for token in content:
            token_forms = lookup_forms(token, ranking.hebrew_splits, known)
            surfaces.add(token.surface)
            forms.update(token_forms)
            ranked.append(f"{SURFACE} : {quote(token.surface)}")
            found += [f"{FORMS} : {quote(f)}" for f in token_forms]
        ranked += found
        if ranking.proximity:
            ranked += _near_groups(content, ranking.near)
        for alternative in synonym_alternatives(typed, query.synonyms, MAX_QUERY_TERMS) + compounds(
            typed, known, MAX_QUERY_TERMS
        ):
            surfaces.update(t.surface for t in alternative)
            forms.update(lookup_forms(t, ranking.hebrew_splits, known)[0] for t in alternative)
            phrase, near = _alternative_groups(alternative)
            ranked += [phrase, near]
            found.append(near)
        hebrew = sum(analysis.is_hebrew(t.surface) for t in content) / len(content)
        return cls(_any(ranked), _any(found), surfaces, forms, hebrew)


def _any(groups: list[str]) -> str:
    return " OR ".join(dict.fromkeys(groups))


def _alternative_groups(tokens: list[analysis.Token]) -> tuple[str, str]:
    """A synonym as an exact phrase, and as its words' forms close together."""
    phrase = f"{SURFACE} : {quote(' '.join(t.surface for t in tokens))}"
    if len(tokens) == 1:
        return phrase, f"{FORMS} : {quote(tokens[0].forms[0])}"
    # Hebrew words put several forms in a row in the forms columns: allow for them.
    span = len(tokens) * (4 if any(analysis.is_hebrew(t.surface) for t in tokens) else 1)
    near = f"{FORMS} : NEAR({' '.join(quote(t.forms[0]) for t in tokens)}, {span})"
    return phrase, near


def _near_groups(tokens: list[analysis.Token], distance: int) -> list[str]:
    """Neighbouring query words found close together in one field count again."""
    out = []
    for a, b in zip(tokens, tokens[1 : MAX_NEAR_PAIRS + 1], strict=False):
        fa, fb = a.forms[-1], b.forms[-1]
        span = distance * (4 if analysis.is_hebrew(fa) or analysis.is_hebrew(fb) else 1)
        out.append(f"{FORMS} : NEAR({quote(fa)} {quote(fb)}, {span})")
    return out
