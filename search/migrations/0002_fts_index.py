"""The embedded index's first layout (schema version 1), written out here so that later
changes to search/engines/sqlite/schema.py never rewrite what this migration did. A later
layout bumps ``SCHEMA_VERSION`` there and `search_reindex` lays it anew."""

from django.db import migrations

FTS_COLUMNS = ", ".join(
    column
    for field in ("title", "keywords", "summary", "body", "steps", "transcript")
    for column in (field, f"{field}_f")
)
CREATE = [
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
        {FTS_COLUMNS},
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
TABLES = ("search_doc", "search_text", "search_fts", "search_title_fts", "search_vocab", "search_meta")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return  # the index then lives in its own SQLite file, made by the engine
    with schema_editor.connection.cursor() as cursor:
        for statement in CREATE:
            cursor.execute(statement)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
