"""What a real Elasticsearch server would refuse or do differently, against the strict
stand-in (``fake_server``): deep pages, TLS with the cluster's own CA, overlapping rebuilds,
the alias answer, late writes, 429s, several nodes, index health, credentials, failed shards,
unrefreshed writes and long names. Each test fails on an engine that ignores the rule."""

import socket
import subprocess
import threading
import time
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from elasticsearch import ApiError

from search import outbox, service
from search.documents import SearchDocument
from search.engines import get_engine, reset_engines
from search.engines.base import EngineQuery
from search.engines.elasticsearch import (
    MAX_INDEX_BYTES,
    AliasNotMoved,
    ElasticsearchEngine,
    IndexUnhealthy,
    RebuildBusy,
)
from search.models import IndexOutboxEntry, RemoteEngineStatus

from .fake_server import FakeElasticsearch

ALIAS = "helpcenter-test-strict"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def doc(page_id, title="Reset the router", key=None):
    return SearchDocument(
        key=key or str(page_id),
        page_id=page_id,
        url=f"/{page_id}",
        title=title,
        type="article",
        locale="en",
        summary="How to reset the router.",
    )


def options(port, **more):
    return {
        "URL": f"http://127.0.0.1:{port}",
        "INDEX": ALIAS,
        "TIMEOUT": 1.0,
        "WRITE_TIMEOUT": 3.0,
        "REPLICAS": 0,
        "RETIRE_AFTER": 0,
        "BULK_BACKOFF": 0.01,
        **more,
    }


@pytest.fixture
def server():
    fake = FakeElasticsearch(free_port(), lifetime=120).start()
    yield fake
    fake.stop()


@pytest.fixture
def engine(server, db):
    return ElasticsearchEngine("elasticsearch", options(server.port))


@pytest.fixture
def site(server, settings, db):
    """Elasticsearch first and the embedded index as fallback, as in production."""
    settings.SEARCH_ENGINES = {
        "default": settings.SEARCH_ENGINES["default"],
        "elasticsearch": {
            "ENGINE": "search.engines.elasticsearch.ElasticsearchEngine",
            "OPTIONS": options(server.port, VOCABULARY="default"),
        },
        "resilient": {
            "ENGINE": "search.engines.resilient.ResilientEngine",
            "OPTIONS": {"PRIMARY": "elasticsearch", "FALLBACK": "default", "RETRY_AFTER": 0.2},
        },
    }
    settings.SEARCH_ENGINE = "resilient"
    reset_engines()
    yield SimpleNamespace(server=server)
    reset_engines()


def titles(server):
    return sorted(d["display"]["title"] for d in server.documents(ALIAS).values())


# -- deep pages ------------------------------------------------------------------------------


def test_a_page_past_the_result_window_still_counts_and_is_never_refused(engine, server):
    engine.rebuild([doc(1), doc(2), doc(3)])
    beyond = engine.strict_search(EngineQuery(text="router", page=600, per_page=20))
    assert (beyond.total, beyond.hits) == (3, [])
    assert beyond.facets["type"] == {"article": 3}


def test_the_result_window_is_a_setting_of_the_index(server, db):
    engine = ElasticsearchEngine("elasticsearch", options(server.port, RESULT_WINDOW=2))
    engine.rebuild([doc(1), doc(2), doc(3)])
    (physical,) = server.behind(ALIAS)
    server.settings[physical]["max_result_window"] = 2
    first = engine.strict_search(EngineQuery(text="router", page=1, per_page=3))
    assert first.total == 3 and len(first.hits) == 2  # cut at the window, not refused
    assert engine.strict_search(EngineQuery(text="router", page=2, per_page=3)).hits == []


# -- TLS with the cluster's own certificate authority -----------------------------------------


@pytest.fixture
def tls_server(tmp_path):
    cert, key = tmp_path / "http_ca.crt", tmp_path / "http.key"
    subprocess.run(  # noqa: S603 (a fixed program)
        ["/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    fingerprint = subprocess.run(  # noqa: S603
        ["/usr/bin/openssl", "x509", "-in", str(cert), "-noout", "-fingerprint", "-sha256"],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout.split("=", 1)[1].strip()  # fmt: skip
    fake = FakeElasticsearch(free_port(), lifetime=60, tls=(str(cert), str(key))).start()
    fake.create_index(ALIAS)
    yield SimpleNamespace(server=fake, ca=str(cert), fingerprint=fingerprint)
    fake.stop()


def test_a_cluster_with_its_own_ca_is_trusted_by_ca_file_or_fingerprint_and_only_then(
    tls_server, db
):
    url = f"https://127.0.0.1:{tls_server.server.port}"
    untrusted = ElasticsearchEngine("es", {"URL": url, "INDEX": ALIAS})
    assert untrusted.ping() is False  # verification is on by default
    with pytest.raises(Exception) as refused:
        untrusted.strict_search(EngineQuery(text="router"))
    assert untrusted.is_configuration_error(refused.value)
    by_ca = ElasticsearchEngine("es", {"URL": url, "INDEX": ALIAS, "CA_CERTS": tls_server.ca})
    assert by_ca.ping() and by_ca.strict_search(EngineQuery(text="router")).total == 0
    pinned = ElasticsearchEngine(
        "es", {"URL": url, "INDEX": ALIAS, "SSL_ASSERT_FINGERPRINT": tls_server.fingerprint}
    )
    assert pinned.ping() and pinned.count() == 0


# -- rebuilds ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_rebuilds_at_once_end_with_one_index_behind_the_alias(server):
    first_engine = ElasticsearchEngine("elasticsearch", options(server.port))
    second_engine = ElasticsearchEngine("elasticsearch", options(server.port))
    filling, go_on, errors = threading.Event(), threading.Event(), []

    def slow_documents():
        yield doc(1, "First rebuild")
        filling.set()
        go_on.wait(10)
        yield doc(2, "First rebuild too")

    def first():
        try:
            first_engine.rebuild(slow_documents())
        except Exception as err:  # noqa: BLE001 (reported to the test)
            errors.append(err)
        finally:
            from django.db import connection

            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    assert filling.wait(10)
    with pytest.raises(RebuildBusy):
        second_engine.rebuild([doc(3, "Second rebuild")])
    go_on.set()
    thread.join(20)
    assert errors == []
    assert len(server.behind(ALIAS)) == 1
    assert titles(server) == ["First rebuild", "First rebuild too"]
    second_engine.rebuild([doc(3, "Second rebuild")])  # the lock was released
    assert len(server.behind(ALIAS)) == 1 and titles(server) == ["Second rebuild"]


def test_an_alias_moved_meanwhile_is_never_left_on_two_indexes(engine, server):
    old = server.create_index(ALIAS)

    def another_rebuild_swaps_first():
        server.before_aliases = None
        server.create_index("other", name=f"{ALIAS}--1")
        server.aliases[ALIAS] = [f"{ALIAS}--1"]

    server.before_aliases = another_rebuild_swaps_first
    with pytest.raises((AliasNotMoved, ApiError)):
        engine.rebuild([doc(1)])
    assert server.behind(ALIAS) == [f"{ALIAS}--1"]  # the other rebuild's index alone
    assert sorted(server.indices) == sorted([old, f"{ALIAS}--1"])  # ours was dropped


def test_only_the_sites_own_indexes_are_dropped_and_only_after_searches_end(server, db):
    engine = ElasticsearchEngine("elasticsearch", options(server.port, RETIRE_AFTER=1.0))
    old = server.create_index(ALIAS)
    server.create_index(ALIAS, name="kept-by-someone-else")
    server.search_delay = 0.5
    answers = []
    search = threading.Thread(
        target=lambda: answers.append(engine.strict_search(EngineQuery(text="router")))
    )
    search.start()
    time.sleep(0.2)  # the search runs on the old indexes
    server.search_delay = 0.0
    engine.rebuild([doc(1)])
    search.join(5)
    assert len(answers) == 1  # it ended on the index it started on, not on a 404
    (new,) = server.behind(ALIAS)
    assert new != old and old not in server.indices
    assert "kept-by-someone-else" in server.indices  # not ours: only unaliased


def test_a_rebuild_waits_for_its_index_health(server, db):
    server.data_nodes = 2
    server.replicas_placed = False  # the replica never starts
    engine = ElasticsearchEngine("elasticsearch", options(server.port, REPLICAS=1))
    old = server.create_index(ALIAS)
    with pytest.raises(IndexUnhealthy):
        engine.rebuild([doc(1)])
    assert server.behind(ALIAS) == [old] and list(server.indices) == [old]
    server.data_nodes = 1  # one node: replicas have nowhere to go, yellow is all there is
    engine.rebuild([doc(1)])
    assert titles(server) == ["Reset the router"]


def test_a_failed_rebuild_reports_its_own_error_and_the_next_one_drops_its_index(server, db):
    engine = ElasticsearchEngine("elasticsearch", options(server.port, MAX_RETRIES=0))
    server.create_index(ALIAS)
    server.fail_next("PUT .*/_settings", 500)
    server.fail_next("DELETE", 503)  # and its clean-up fails too
    with pytest.raises(ApiError) as failed:
        engine.rebuild([doc(1)])
    assert failed.value.status_code == 500  # the cause, not the clean-up's failure
    assert len(server.indices) == 2  # the unfinished index is left over...
    engine.rebuild([doc(1)])
    assert len(server.indices) == 1  # ...and dropped by the next rebuild


def test_index_names_fit_the_servers_limit(server, db):
    engine = ElasticsearchEngine("elasticsearch", options(server.port, INDEX="help" * 100))
    engine.rebuild([doc(1)])
    (physical,) = server.indices
    assert len(physical.encode()) <= MAX_INDEX_BYTES and engine.count() == 1
    other = ElasticsearchEngine("e", options(server.port, INDEX="help" * 100 + "x"))
    assert other.alias != engine.alias  # cut names stay apart


# -- writes -----------------------------------------------------------------------------------


def test_a_late_older_write_never_replaces_a_newer_one(engine, server):
    engine.rebuild([])
    engine.index_pages({1: [doc(1, "Newest")]}, versions={1: 20})
    # The replay of an older outbox row arrives after it.
    engine.index_pages({1: [doc(1, "Older"), doc(1, "Older answer", key="1#a")]}, versions={1: 10})
    assert titles(server) == ["Newest"]


def test_a_rebuild_replays_the_outbox_in_order_over_what_it_read(engine, server):
    server.create_index(ALIAS)

    def documents():
        yield doc(1, "Read by the rebuild")
        IndexOutboxEntry.objects.record("elasticsearch", 1, [doc(1, "Edited meanwhile")])
        IndexOutboxEntry.objects.record("elasticsearch", 1, [doc(1, "Edited again")])

    engine.rebuild(documents())
    assert titles(server) == ["Edited again"]


def test_with_refresh_off_a_pages_old_documents_are_still_removed(server, db):
    engine = ElasticsearchEngine("elasticsearch", options(server.port, REFRESH="false"))
    assert engine.refresh is False  # "false" from the environment is off
    server.create_index(ALIAS)
    engine.index_page(1, [doc(1, "Page"), doc(1, "Old answer", key="1#a")])
    engine.index_page(1, [doc(1, "Page")])  # the answer was removed, nothing refreshed yet
    assert titles(server) == ["Page"]


def test_a_busy_server_is_retried_and_refused_documents_are_reported_not_fatal(engine, server):
    server.create_index(ALIAS)
    server.too_busy_items = 3  # 429 for some documents
    server.fail_next("_bulk", 429)  # and for a whole request
    server.refuse_ids = {"3"}
    refused = {}
    indexed = engine.rebuild([doc(1), doc(2), doc(3), doc(4)], refused=refused.__setitem__)
    assert indexed == 3 and sorted(server.documents(ALIAS)) == ["1", "2", "4"]
    assert list(refused) == ["3"] and "refused by the test" in refused["3"]


def test_search_reindex_reports_refused_documents_without_a_traceback(site, tree):
    page = tree.article(title="Replace a broken router", summary="We send a new router.")
    site.server.create_index(ALIAS)
    site.server.refuse_ids = {str(page.pk)}
    out, err = StringIO(), StringIO()
    call_command("search_reindex", no_progress=True, stdout=out, stderr=err)
    assert f"Not indexed: document {page.pk}" in err.getvalue()
    assert "1 documents were refused" in out.getvalue()


def test_search_reindex_says_another_rebuild_runs(site, tree):
    RemoteEngineStatus.objects.acquire_rebuild("elasticsearch", "someone", timedelta(minutes=5))
    with pytest.raises(CommandError, match="Another rebuild"):
        call_command("search_reindex", no_progress=True, stdout=StringIO(), stderr=StringIO())


# -- several nodes ----------------------------------------------------------------------------


def test_a_node_down_of_two_is_failed_over(server, db):
    dead = free_port()
    engine = ElasticsearchEngine(
        "elasticsearch",
        options(server.port, URL=f"http://127.0.0.1:{dead},http://127.0.0.1:{server.port}"),
    )
    server.create_index(ALIAS)
    for _ in range(6):
        assert engine.strict_search(EngineQuery(text="router")).total == 0


# -- configuration errors and partial answers -------------------------------------------------


def test_a_refused_api_key_is_a_configuration_error_staff_see(site, admin_client):
    site.server.api_key = "right"
    site.server.create_index(ALIAS)
    settings_engine = get_engine("elasticsearch")
    settings_engine.options["API_KEY"] = "wrong"
    service.search("router", locale="en")  # answered by the embedded index
    (problem,) = outbox.configuration_problems()
    assert problem.startswith("elasticsearch: AuthenticationException")
    asked = site.server.count("POST", "_search")
    time.sleep(0.3)  # past RETRY_AFTER, not past the pause for configuration errors
    service.search("router", locale="en")
    assert site.server.count("POST", "_search") == asked  # left alone, not retried
    page = admin_client.get(reverse("search_index_status")).content.decode()
    assert "refuses this site's connection" in page and "AuthenticationException" in page


def test_a_proxy_that_strips_the_product_header_is_a_configuration_error(engine, server):
    server.create_index(ALIAS)
    server.product_header = False
    with pytest.raises(Exception) as refused:
        engine.strict_search(EngineQuery(text="router"))
    assert engine.is_configuration_error(refused.value) and engine.is_outage(refused.value)


def test_failed_writes_for_bad_credentials_are_shown_as_configuration(site, tree):
    site.server.api_key = "right"
    site.server.create_index(ALIAS)
    tree.article(title="Replace a broken router", summary="We send a new router.")
    outbox.drain("elasticsearch", force=True)
    assert "AuthenticationException" in RemoteEngineStatus.objects.get().configuration_error


def test_failed_shards_and_time_outs_are_partial_answers_and_counted(site, engine):
    site.server.create_index(ALIAS)
    site.server.shard_failures = 1
    assert engine.strict_search(EngineQuery(text="router")).partial
    site.server.shard_failures, site.server.timed_out = 0, True
    assert engine.strict_search(EngineQuery(text="router")).partial
    service.search("router", locale="en")
    status = RemoteEngineStatus.objects.get(engine="elasticsearch")
    assert status.partial_searches == 1 and status.partial_search_at
