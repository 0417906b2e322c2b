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

import socket  # noqa: E402
from datetime import timedelta  # noqa: E402

from django.core.management import call_command  # noqa: E402
from elasticsearch import ApiError  # noqa: E402

from search import (
    outbox,  # noqa: E402
    service,  # noqa: E402
)
from search.engines import get_engine, reset_engines  # noqa: E402
from search.engines.base import EngineQuery  # noqa: E402
from search.engines.elasticsearch import ElasticsearchEngine, RebuildBusy  # noqa: E402
from search.engines.es_mapping import build_index  # noqa: E402
from search.models import (
    IndexOutboxEntry,  # noqa: E402
    RemoteEngineStatus,  # noqa: E402
)
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


# -- what the strict stand-in models, checked against the real server ---------------------


def test_deep_pages_count_without_hits_and_the_window_is_the_indexs(engine):
    index(engine, *(doc(n, f"Router guide {n}") for n in (1, 2, 3)))
    beyond = engine.strict_search(EngineQuery(text="router", page=600, per_page=20))
    assert beyond.total == 3 and beyond.hits == []
    (physical,) = engine.client.indices.get_alias(name=engine.alias).body
    engine.client.indices.put_settings(index=physical, settings={"max_result_window": 2})
    engine.window = 2
    first = engine.strict_search(EngineQuery(text="router", page=1, per_page=3))
    assert first.total == 3 and len(first.hits) == 2


def test_a_second_rebuild_while_one_runs_is_refused(engine):
    RemoteEngineStatus.objects.acquire_rebuild(engine.name, "another", timedelta(minutes=1))
    with pytest.raises(RebuildBusy):
        engine.rebuild([doc(1, "Router lights")])
    RemoteEngineStatus.objects.release_rebuild(engine.name, "another")
    engine.rebuild([doc(1, "Router lights")])
    assert len(engine.client.indices.get_alias(name=engine.alias).body) == 1


def test_the_server_refuses_a_whole_swap_when_the_alias_moved_meanwhile(engine):
    """What the swap relies on: a removal that says must_exist fails the whole request."""
    client, alias = engine.client, engine.alias
    (current,) = client.indices.get_alias(name=alias).body
    stray, new = f"{alias}--stray", f"{alias}--new"
    for name in (stray, new):
        client.indices.create(index=name, **build_index(name, replicas=0).to_dict())
    try:
        with pytest.raises(ApiError):
            client.indices.update_aliases(
                actions=[
                    {"remove": {"index": stray, "alias": alias, "must_exist": True}},
                    {"add": {"index": new, "alias": alias}},
                ]
            )
        assert list(client.indices.get_alias(name=alias).body) == [current]
    finally:
        client.indices.delete(index=f"{stray},{new}")


def test_a_rebuild_under_writes_keeps_the_newest_version_of_each_page(engine):
    index(engine, doc(2, "Before"))

    def documents():
        yield doc(1, "Router lights")
        IndexOutboxEntry.objects.record(engine.name, 2, [doc(2, "Written meanwhile")])
        outbox.drain(engine.name, force=True)  # reaches the old index through the alias
        IndexOutboxEntry.objects.record(engine.name, 2, [doc(2, "Written last")])
        yield doc(2, "Read by the rebuild")

    engine.rebuild(documents())
    outbox.drain(engine.name, force=True)  # a late drain of older work changes nothing
    assert titles(search(engine, "written last")) == ["Written last"]
    assert engine.count() == 2


def test_a_bad_api_key_is_a_configuration_error(engine):
    bad = ElasticsearchEngine("bad", live_options(INDEX=engine.alias, API_KEY="bm90OmFrZXk="))
    try:
        bad.strict_search(EngineQuery(text="router"))
    except Exception as err:  # noqa: BLE001 (what the server said is the point)
        assert bad.is_configuration_error(err) and bad.is_outage(err)
    else:
        pytest.skip("This server has security off: any API key is accepted")


def test_a_stopped_node_of_two_is_failed_over(engine):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    index(engine, doc(1, "Router lights"))
    both = ElasticsearchEngine(
        "both", live_options(INDEX=engine.alias, URL=f"{dead},{engine.options['URL']}")
    )
    for _ in range(6):
        assert both.strict_search(EngineQuery(text="router")).total == 1
