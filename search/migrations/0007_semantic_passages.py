from django.db import migrations

# The passages and vectors of meaning-based search, beside the embedded index (SQLite only;
# an index in its own file gets them on first use, see search/semantic/store.py).
SCHEMA = [
    """CREATE TABLE IF NOT EXISTS search_passage (
        doc_key TEXT NOT NULL,
        n INTEGER NOT NULL,
        page_id INTEGER NOT NULL,
        locale TEXT NOT NULL,
        type TEXT NOT NULL,
        category TEXT NOT NULL,
        text_sha TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (doc_key, n)
    )""",
    "CREATE INDEX IF NOT EXISTS search_passage_page ON search_passage (page_id)",
    "CREATE INDEX IF NOT EXISTS search_passage_sha ON search_passage (text_sha)",
    """CREATE TABLE IF NOT EXISTS search_vector (
        model TEXT NOT NULL,
        text_sha TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (model, text_sha)
    ) WITHOUT ROWID""",
    "CREATE TABLE IF NOT EXISTS search_semantic_meta (name TEXT PRIMARY KEY, value INTEGER)",
    "INSERT OR IGNORE INTO search_semantic_meta (name, value) VALUES ('version', 0)",
]
TABLES = ("search_passage", "search_vector", "search_semantic_meta")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            for statement in SCHEMA:
                cursor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            for table in TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("search", "0006_page_search_stat")]

    operations = [migrations.RunPython(create, drop)]
