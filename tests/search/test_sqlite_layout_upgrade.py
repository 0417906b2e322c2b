"""An index written by the previous layout (1: no search_filter table) is brought up to this
one in place, by the migration where the index shares the content's database and by the
engine's first use where it has its own file: no rebuild, nothing lost, found as before."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connections

from search.documents import documents_for_page
from search.engines.base import EngineQuery
from search.engines.sqlite import SqliteEngine, schema

upgrade_migration = importlib.import_module("search.migrations.0011_search_filter_table")


def engine_for_separate_index():
    # A new engine: its first use of the database is what brings the layout up.
    return SqliteEngine("upgrade", {"DATABASE": "separate_index", "CONTENT_DATABASE": "default"})


def found(engine, text, **filters):
    query = EngineQuery(text=text, locale="en", **filters)
    return [h.document.title for h in engine.search(query).hits]


def layout_one_with(pages, django_capture_on_commit_callbacks):
    """The separate index holding ``pages``, laid out as layout 1 was."""
    engine = engine_for_separate_index()
    with django_capture_on_commit_callbacks(execute=True):
        for page in pages:
            engine.index_page(page.pk, documents_for_page(page))
    with connections["separate_index"].cursor() as cursor:
        cursor.execute("DROP TABLE search_filter")
        cursor.execute("DELETE FROM search_meta WHERE name = 'schema'")  # absent means 1
        assert schema.schema_version(cursor) == 1


def filter_rows():
    with connections["separate_index"].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_filter")
        return cursor.fetchone()[0]


@pytest.fixture
def pages(tree):
    return [
        tree.article(title="Broken router replacement", summary="We send a new router."),
        tree.guide([("Unplug the router", "Wait ten seconds.")], title="Restart your router"),
    ]


@pytest.mark.django_db(databases=["default", "separate_index"])
def test_the_engine_brings_its_own_index_file_up_on_first_use(
    pages, django_capture_on_commit_callbacks
):
    layout_one_with(pages, django_capture_on_commit_callbacks)
    engine = engine_for_separate_index()
    assert found(engine, "replacement") == ["Broken router replacement"]
    assert found(engine, "router", types=["guide"]) == ["Restart your router"]
    assert engine.schema_is_current()
    assert filter_rows() == engine.count() == 2


@pytest.mark.django_db(databases=["default", "separate_index"])
def test_the_migration_brings_an_index_in_the_content_database_up(
    pages, django_capture_on_commit_callbacks
):
    layout_one_with(pages, django_capture_on_commit_callbacks)
    editor = SimpleNamespace(connection=connections["separate_index"])
    upgrade_migration.add_filter_table(None, editor)
    with connections["separate_index"].cursor() as cursor:
        assert schema.schema_version(cursor) == schema.SCHEMA_VERSION == 2
    assert filter_rows() == 2
    engine = engine_for_separate_index()
    assert found(engine, "replacement") == ["Broken router replacement"]

    upgrade_migration.drop_filter_table(None, editor)  # and back
    with connections["separate_index"].cursor() as cursor:
        assert schema.schema_version(cursor) == 1
