"""Writing the embedded index: a document's rows in every table, and their removal, with
the vocabulary's document counts kept in step."""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils import timezone

from ... import analysis
from ...conf import FIELDS
from ...documents import SearchDocument
from .schema import DOC_COLUMNS, FILTER_COLUMNS, FTS_COLUMNS, TEXT_COLUMNS, lay_index_tables


def to_ts(value: datetime | None) -> float | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value.timestamp()


def replace_pages(cursor, page_ids: list[int], documents: list[SearchDocument]) -> None:
    """The pages' documents become exactly ``documents``."""
    delete(cursor, page_ids)
    for doc in documents:
        insert(cursor, doc)
    keep_merged(cursor)
    bump(cursor)


# A rebuild writes this many documents per statement: one call per table instead of one
# per document and table.
REFILL_BATCH = 500

_INSERT_DOC = (
    f"INSERT INTO search_doc (rowid, {', '.join(DOC_COLUMNS)}, expire_ts) "  # noqa: S608
    f"VALUES ({', '.join(['%s'] * (len(DOC_COLUMNS) + 2))})"
)
_INSERT_FILTER = (
    f"INSERT INTO search_filter (rowid, {', '.join(FILTER_COLUMNS)}) "  # noqa: S608
    f"VALUES (%s, {', '.join(['%s'] * len(FILTER_COLUMNS))})"
)
_INSERT_TEXT = (
    f"INSERT INTO search_text (rowid, {', '.join(TEXT_COLUMNS)}) "  # noqa: S608
    f"VALUES (%s, {', '.join(['%s'] * len(TEXT_COLUMNS))})"
)
_INSERT_FTS = (
    f"INSERT INTO search_fts (rowid, {', '.join(FTS_COLUMNS)}) "  # noqa: S608
    f"VALUES (%s, {', '.join(['%s'] * len(FTS_COLUMNS))})"
)
_INSERT_TITLE = "INSERT INTO search_title_fts (rowid, title, title_f) VALUES (%s, %s, %s)"
# In the order of _rows.
_INSERTS = (_INSERT_DOC, _INSERT_FILTER, _INSERT_TEXT, _INSERT_FTS, _INSERT_TITLE)


# FTS5 merges its index segments as they are written (automerge) and when too many pile up
# (crisismerge). A rebuild ends with one 'optimize' merging all of them, so the merges on
# the way are mostly wasted work: put off while it writes, SQLite's defaults afterwards.
FTS_TABLES = ("search_fts", "search_title_fts")
REFILL_MERGING = {"automerge": 0, "crisismerge": 64}
FTS5_MERGING = {"automerge": 4, "crisismerge": 16}


def _merging(cursor, settings: dict[str, int]) -> None:
    for table in FTS_TABLES:
        for name, value in settings.items():
            cursor.execute(
                f"INSERT INTO {table} ({table}, rank) VALUES (%s, %s)",  # noqa: S608
                [name, value],
            )


@dataclass
class Prepared:
    """Documents' rows worked out (``rowid`` left for the writer to number) with what they
    add to the vocabulary: a rebuild's worker processes prepare batches of documents so
    (``search.rebuild_workers``), leaving the writer little more than SQLite's own work."""

    keys: list[str]
    rows: tuple[list, ...]  # each table's rows, in the order of _rows
    vocab: dict[str, Counter]


def prepare(documents) -> Prepared:
    """``documents`` prepared, one per key (the first one given wins)."""
    prepared, seen = Prepared([], tuple([] for _ in _INSERTS), {}), set()
    for doc in documents:
        if doc.key in seen:
            continue
        seen.add(doc.key)
        rows, terms = _rows(None, doc)
        prepared.keys.append(doc.key)
        for table, row in zip(prepared.rows, rows, strict=True):
            table.append(row)
        prepared.vocab.setdefault(doc.locale, Counter()).update(terms)
    return prepared


def refill(cursor, documents, progress=None) -> int:
    """Lay the index tables anew and fill them from ``documents`` (SearchDocuments, or
    batches of them ``Prepared``); one document per key, the first one given wins. Rows are
    numbered here (1, 2, ...) and written in batches."""
    lay_index_tables(cursor)
    _merging(cursor, REFILL_MERGING)
    vocab: dict[str, Counter] = {}
    seen, n = set(), 0
    batch = tuple([] for _ in _INSERTS)  # rows of each table, in the order of _rows
    for item in documents:
        if isinstance(item, Prepared):
            # A batch counts its own documents' words. Its keys begin with the ids of pages
            # no other batch holds, so none of them is left out below.
            for locale, counts in item.vocab.items():
                vocab.setdefault(locale, Counter()).update(counts)
            entries = zip(item.keys, zip(*item.rows, strict=True), strict=True)
        elif item.key in seen:
            continue
        else:
            rows, terms = _rows(None, item)
            vocab.setdefault(item.locale, Counter()).update(terms)
            entries = [(item.key, rows)]
        for key, rows in entries:
            if key in seen:
                continue
            seen.add(key)
            n += 1
            for pending, row in zip(batch, rows, strict=True):
                row[0] = n
                pending.append(row)
            if progress:
                progress(n)
        if len(batch[0]) >= REFILL_BATCH:
            _write_batch(cursor, batch)
    _write_batch(cursor, batch)
    cursor.executemany(
        "INSERT INTO search_vocab (locale, term, df) VALUES (%s, %s, %s)",
        [(loc, t, df) for loc, counts in vocab.items() for t, df in counts.items()],
    )
    for table in FTS_TABLES:
        _merge(cursor, table, fresh=True)
    _merging(cursor, FTS5_MERGING)
    bump(cursor)
    return n


# Each write adds its rows to a full-text table as a new small segment, and a query reads
# every segment: on the demo (158 documents) a few dozen publishes made a search's MATCH four
# to six times slower (0.33 ms to 1.3-2.3 ms), and SQLite's automerge never brought it back.
# Merging them into one ('optimize') costs in proportion to the table (2 ms at 158
# documents, 340 ms at 10,000 items, where the segments cost little), so a table is merged
# once it has grown by MERGE_GROWTH since its last merge: after every write or two on a
# small index, after a hundred or so on a large one.
MERGE_GROWTH = 0.05
# SQLite 3.40 (Debian 12's) puts each 'optimize' at least one level above the last, and an
# FTS5 table of more than 2,000 levels can no longer be opened: about a thousand merges
# made the demo's title index unreadable. So every MERGES_PER_REBUILD merges the table's
# index is rebuilt from its own content ('rebuild', 6 ms on the demo), which starts the
# levels afresh.
MERGES_PER_REBUILD = 100


def keep_merged(cursor) -> None:
    """Merge each full-text table that has grown by MERGE_GROWTH since it was last merged."""
    for table in FTS_TABLES:
        cursor.execute(f"SELECT count(*) FROM {table}_data")  # noqa: S608
        rows = cursor.fetchone()[0]
        merged = _meta(cursor, f"merged:{table}")
        if merged is None or rows - merged >= max(1, merged * MERGE_GROWTH):
            _merge(cursor, table)


def _meta(cursor, name: str) -> int | None:
    cursor.execute("SELECT value FROM search_meta WHERE name = %s", [name])
    row = cursor.fetchone()
    return row[0] if row else None


def _set_meta(cursor, name: str, value: int) -> None:
    cursor.execute(
        "INSERT OR REPLACE INTO search_meta (name, value) VALUES (%s, %s)", [name, value]
    )


def _merge(cursor, table: str, fresh: bool = False) -> None:
    """All of the table's segments merged into one (``fresh``: a table just laid); its size
    and its merges since it was last laid or rebuilt then remembered."""
    merges = 0 if fresh else _meta(cursor, f"merges:{table}") or 0
    if merges >= MERGES_PER_REBUILD:
        cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")  # noqa: S608
        merges = 0
    cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")  # noqa: S608
    cursor.execute(f"SELECT count(*) FROM {table}_data")  # noqa: S608
    _set_meta(cursor, f"merged:{table}", cursor.fetchone()[0])
    _set_meta(cursor, f"merges:{table}", merges + 1)


def _write_batch(cursor, batch) -> None:
    for statement, rows in zip(_INSERTS, batch, strict=True):
        if rows:
            cursor.executemany(statement, rows)
            rows.clear()


def _rows(rowid: int | None, doc: SearchDocument) -> tuple[tuple[list, ...], set[str]]:
    """The document's row in search_doc, search_filter, search_text, search_fts and
    search_title_fts, and its surface terms (its contribution to the vocabulary)."""
    values = {c: getattr(doc, c) for c in DOC_COLUMNS}
    for name in DOC_COLUMNS[2:10]:
        values[name] = analysis.clean(values[name])
    values["key"], values["page_id"] = analysis.clean(doc.key), int(doc.page_id)
    texts = {c: analysis.clean(getattr(doc, c)) for c in TEXT_COLUMNS}
    values["published_at"] = doc.published_at.isoformat() if doc.published_at else None
    values["expire_at"] = doc.expire_at.isoformat() if doc.expire_at else None
    values["popularity"] = float(doc.popularity or 0)
    columns, terms = [], set()
    for name in FIELDS:
        surface, forms = analysis.index_text(texts.get(name, values.get(name)))
        columns += [surface, forms]
        terms.update(surface.split())
    expire_ts = to_ts(doc.expire_at)
    rows = (
        [rowid, *values.values(), expire_ts],
        [rowid, values["locale"], values["type"], values["category"], expire_ts],
        [rowid, *texts.values()],
        [rowid, *columns],
        [rowid, columns[0], columns[1]],
    )
    return rows, terms


def insert(cursor, doc: SearchDocument) -> None:
    """Index one document, in place of any other with its key (one moved between pages)."""
    delete(cursor, [analysis.clean(doc.key)], column="key")
    rows, terms = _rows(None, doc)  # SQLite numbers the row
    cursor.execute(_INSERTS[0], rows[0])
    rowid = cursor.lastrowid
    for statement, row in zip(_INSERTS[1:], rows[1:], strict=True):
        cursor.execute(statement, [rowid, *row[1:]])
    if terms:
        cursor.executemany(
            "INSERT INTO search_vocab (locale, term, df) VALUES (%s, %s, 1) "
            "ON CONFLICT (locale, term) DO UPDATE SET df = df + 1",
            [(analysis.clean(doc.locale), t) for t in terms],
        )


def delete(cursor, values: list, column: str = "page_id") -> None:
    """Remove the documents whose ``column`` (page_id or key) is in ``values``."""
    if not values:
        return
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
    for table in ("search_fts", "search_title_fts", "search_text", "search_filter", "search_doc"):
        cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", rowids)  # noqa: S608


def bump(cursor) -> None:
    # A random stamp, not a count: a rolled-back write can never look like a later one.
    cursor.execute("UPDATE search_meta SET value = random() WHERE name = 'version'")
