"""The shared behaviour suite against a live Elasticsearch server (ELASTICSEARCH_URL).

The embedded engine's behaviour tests (test_sqlite_engine.py) run here unchanged with an
Elasticsearch engine on a throwaway index: same documents, same queries, same answers. The
site-level suites (test_sync, test_tuning, test_api_and_page) run against it through the
``site_engine`` parameter in tests/search/conftest.py. Without a server this module is
skipped as a whole, saying so in the report.
"""

import pytest

from .live import ELASTICSEARCH_URL, LIVE_SKIP

if not ELASTICSEARCH_URL:
    pytest.skip(LIVE_SKIP, allow_module_level=True)

from django.core.management import call_command  # noqa: E402

from search import service  # noqa: E402
from search.engines import get_engine, reset_engines  # noqa: E402
from search.models import IndexOutboxEntry  # noqa: E402
from tests.search import test_sqlite_engine as shared  # noqa: E402

from .live import live_options, use_engine  # noqa: E402

pytestmark = pytest.mark.elasticsearch

# Tests of what only the embedded engine does: its writes roll back with the content.
EMBEDDED_ONLY = {"test_writes_roll_back_with_the_content_transaction"}
globals().update(
    {
        name: test
        for name, test in vars(shared).items()
        if name.startswith("test_") and name not in EMBEDDED_ONLY
    }
)
catalogue = shared.catalogue
doc, index, search, titles = shared.doc, shared.index, shared.search, shared.titles


@pytest.fixture
def engine(request, db):
    yield from use_engine("elasticsearch", request)


def test_a_rebuild_leaves_the_alias_on_one_new_index(engine):
    index(engine, doc(1, "Router lights"))
    client, alias = engine.client, engine.alias
    (first,) = client.indices.get_alias(name=alias).body
    index(engine, doc(2, "Modem setup"))
    (second,) = client.indices.get_alias(name=alias).body
    assert second != first and not client.indices.exists(index=first)
    assert titles(search(engine, "router")) == [] and titles(search(engine, "modem")) == [
        "Modem setup"
    ]


def test_work_recorded_during_a_rebuild_reaches_the_new_index(engine):
    index(engine, doc(1, "Router lights"))

    def documents():
        yield doc(1, "Router lights")
        IndexOutboxEntry.objects.create(
            engine=engine.name,
            page_id=2,
            documents=[
                {
                    "key": "2",
                    "page_id": 2,
                    "url": "/p/2",
                    "title": "Published meanwhile",
                    "type": "article",
                    "locale": "en",
                }
            ],
        )

    engine.rebuild(documents())
    assert titles(search(engine, "published meanwhile")) == ["Published meanwhile"]


def test_the_site_arrangement_serves_from_elasticsearch_after_commit(
    db, settings, tree, django_capture_on_commit_callbacks
):
    options = live_options(WRITES_AFTER_COMMIT=True, VOCABULARY="default", TIMEOUT=5)
    settings.SEARCH_ENGINES = {
        "default": settings.SEARCH_ENGINES["default"],
        "elasticsearch": {
            "ENGINE": "search.engines.elasticsearch.ElasticsearchEngine",
            "OPTIONS": options,
        },
        "resilient": {
            "ENGINE": "search.engines.resilient.ResilientEngine",
            "OPTIONS": {"PRIMARY": "elasticsearch", "FALLBACK": "default"},
        },
    }
    settings.SEARCH_ENGINE = "resilient"
    reset_engines()
    get_engine("elasticsearch").rebuild([])  # the site's index, empty before anything is published
    try:
        with django_capture_on_commit_callbacks(execute=True):
            tree.article(title="Replace a broken router", summary="We send a new router for free.")
        assert IndexOutboxEntry.objects.pending("elasticsearch").count() == 0
        primary = get_engine("elasticsearch")
        assert primary.count() == 1
        outcome = service.search("broken routers", locale="en")
        assert [h.document.title for h in outcome.results.hits] == ["Replace a broken router"]
        assert not get_engine().degraded
        call_command("search_reindex", no_progress=True, verbosity=0)
        assert primary.count() == 1
    finally:
        get_engine("elasticsearch").drop()
        reset_engines()
