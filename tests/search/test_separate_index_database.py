"""With the content on another database (PostgreSQL in production), the embedded index keeps
its own SQLite file and follows the content's commits: nothing rolled back ever shows."""

import pytest
from django.db import transaction

from search.documents import documents_for_page
from search.engines import get_engine
from search.engines.base import EngineQuery


def found(engine, text):
    return [h.document.title for h in engine.search(EngineQuery(text=text, locale="en")).hits]


@pytest.mark.django_db(databases=["default", "separate_index"])
def test_index_in_its_own_database_changes_only_when_the_content_commits(
    tree, django_capture_on_commit_callbacks
):
    engine = get_engine("separate_index")
    page = tree.article(title="Broken router replacement", summary="We send a new router.")

    with django_capture_on_commit_callbacks() as pending:
        engine.index_page(page.pk, documents_for_page(page))
        assert found(engine, "broken router") == []  # not before the content commits
    for write in pending:
        write()
    assert found(engine, "broken router") == ["Broken router replacement"]

    with django_capture_on_commit_callbacks(execute=True) as pending:
        with pytest.raises(RuntimeError), transaction.atomic():
            engine.delete_pages([page.pk])
            raise RuntimeError("the publish failed")
    assert pending == []
    assert found(engine, "broken router") == ["Broken router replacement"]

    with django_capture_on_commit_callbacks(execute=True):
        engine.delete_pages([page.pk])
    assert found(engine, "broken router") == []
