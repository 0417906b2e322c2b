"""The embedded index's layout 2: what filters and facets read gets a narrow table of its
own (``search_filter``), filled from ``search_doc`` so that no rebuild is needed. Written out
here, as in 0002, so later changes to search/engines/sqlite/schema.py never rewrite it."""

from django.db import migrations

CREATE = """CREATE TABLE IF NOT EXISTS search_filter (
    rowid INTEGER PRIMARY KEY,
    locale TEXT NOT NULL,
    type TEXT NOT NULL,
    category TEXT NOT NULL,
    expire_ts REAL
)"""


def _has_index(cursor) -> bool:
    cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'search_doc'")
    return cursor.fetchone()[0] > 0


def add_filter_table(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return  # the index then lives in its own SQLite file, brought up by the engine
    with schema_editor.connection.cursor() as cursor:
        if not _has_index(cursor):
            return
        cursor.execute(CREATE)
        cursor.execute(
            "INSERT OR REPLACE INTO search_filter (rowid, locale, type, category, expire_ts) "
            "SELECT rowid, locale, type, category, expire_ts FROM search_doc"
        )
        cursor.execute("INSERT OR REPLACE INTO search_meta (name, value) VALUES ('schema', 2)")


def drop_filter_table(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        if _has_index(cursor):
            cursor.execute("DROP TABLE IF EXISTS search_filter")
            cursor.execute("UPDATE search_meta SET value = 1 WHERE name = 'schema'")


class Migration(migrations.Migration):
    dependencies = [("search", "0010_shared_query_vectors")]

    operations = [migrations.RunPython(add_filter_table, drop_filter_table)]
