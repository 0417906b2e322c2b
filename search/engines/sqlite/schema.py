"""The embedded index's tables.

Text is analysed in Python (``search.analysis``) and FTS5 only splits it on spaces, so the
index and the queries use exactly the same rules. Each field has two columns: the words as
written (``title``) and their stems or prefix-stripped forms (``title_f``).

- ``search_filter``: what filters and facets read (language, type, category, expiry), keyed
  by rowid. Narrow, because the ranking and counting queries join every matching row to it.
- ``search_doc``: what a hit shows, read for the hits of a page only (and the suggestions).
- ``search_text``: the original long texts, read only for the hits shown (snippets).
- ``search_fts``: the analysed text of every field, same rowid.
- ``search_title_fts``: analysed titles only, with prefix indexes, for type-ahead.
- ``search_vocab``: surface term -> document frequency per locale, for spelling.
- ``search_meta``: an index version bumped by every write, so caches know when to drop, and
  each full-text table's size at its last merge and its merges since it was last rebuilt
  (``writer.keep_merged``).
"""

from ...conf import FIELDS

FTS_COLUMNS = tuple(c for f in FIELDS for c in (f, f"{f}_f"))
DOC_COLUMNS = (
    "key", "page_id", "url", "title", "type", "locale", "summary", "keywords", "category",
    "category_title", "published_at", "expire_at", "popularity",
)  # fmt: skip
# The long texts, in a table of their own (read only for the hits shown).
TEXT_COLUMNS = tuple(f for f in FIELDS if f not in DOC_COLUMNS)

FILTER_COLUMNS = ("locale", "type", "category", "expire_ts")
FILTER_TABLE = """CREATE TABLE IF NOT EXISTS search_filter (
    rowid INTEGER PRIMARY KEY,
    locale TEXT NOT NULL,
    type TEXT NOT NULL,
    category TEXT NOT NULL,
    expire_ts REAL
)"""

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
    FILTER_TABLE,
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
# The layout's version, kept in search_meta ('schema'; absent means 1, the layout of
# migration search/0002). Bump it with any change above: a rebuild (`search_reindex`) then
# lays the tables anew, and the index status page says a rebuild is due until it has.
SCHEMA_VERSION = 2
INDEX_TABLES = (
    "search_doc", "search_filter", "search_text", "search_fts", "search_title_fts",
    "search_vocab",
)  # fmt: skip
TABLES = (*INDEX_TABLES, "search_meta")


def create_schema(cursor) -> None:
    """Create the index tables of this version's layout (idempotent)."""
    for statement in SCHEMA:
        cursor.execute(statement)
    cursor.execute(
        "INSERT OR IGNORE INTO search_meta (name, value) VALUES ('schema', %s)", [SCHEMA_VERSION]
    )


def prepare_schema(cursor) -> None:
    """This version's tables, made where there are none and brought up from layout 1 in
    place (``search_filter`` is read from ``search_doc``: no rebuild is needed for it)."""
    version = schema_version(cursor)
    if version == 0:
        create_schema(cursor)
    elif version == 1:
        add_filter_table(cursor)


def add_filter_table(cursor) -> None:
    """Layout 1 -> 2, in place (migration search/0011 does the same where it made layout 1)."""
    cursor.execute(FILTER_TABLE)
    cursor.execute(
        "INSERT OR REPLACE INTO search_filter (rowid, locale, type, category, expire_ts) "
        "SELECT rowid, locale, type, category, expire_ts FROM search_doc"
    )
    cursor.execute("INSERT OR REPLACE INTO search_meta (name, value) VALUES ('schema', 2)")


def lay_index_tables(cursor) -> None:
    """Empty index tables for a rebuild. Dropped and created, not emptied: deleting from an
    FTS5 table takes every row's words out of the index one by one, as long as adding them."""
    for table in INDEX_TABLES:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
    create_schema(cursor)


def schema_version(cursor) -> int:
    """The layout the tables have (0: there are none)."""
    cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'search_meta'")
    if not cursor.fetchone()[0]:
        return 0
    cursor.execute("SELECT value FROM search_meta WHERE name = 'schema'")
    row = cursor.fetchone()
    return row[0] if row else 1


def ensure_current_schema(cursor) -> None:
    """Lay this version's tables where an older layout (or none) is found; their contents
    go, so only a rebuild calls it."""
    if schema_version(cursor) != SCHEMA_VERSION:
        drop_schema(cursor)
        create_schema(cursor)


def drop_schema(cursor) -> None:
    for table in TABLES:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
