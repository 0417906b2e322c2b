"""With Elasticsearch down, slow or refusing, the site still searches and publishes, and the
index work waits in the outbox until the server is back.

The server is a loopback stand-in (``fake_server``) that goes away and returns on the same
port; the live suite (test_live.py) covers real Elasticsearch.
"""

import logging
import socket
import time
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from search import outbox, service
from search.engines import get_engine, reset_engines
from search.models import IndexOutboxEntry, RemoteEngineStatus

from ..conftest import titles
from .fake_server import FakeElasticsearch

ALIAS = "helpcenter-test-outage"


@pytest.fixture
def site(request, settings, db):
    """The production arrangement: Elasticsearch first, the embedded index as fallback, with
    nothing listening yet at Elasticsearch's address; and the test's page tree."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.SEARCH_ENGINES = {
        "default": settings.SEARCH_ENGINES["default"],
        "elasticsearch": {
            "ENGINE": "search.engines.elasticsearch.ElasticsearchEngine",
            "OPTIONS": {
                "URL": f"http://127.0.0.1:{port}",
                "INDEX": ALIAS,
                "TIMEOUT": 0.5,
                "WRITE_TIMEOUT": 2,
                "VOCABULARY": "default",
            },
        },
        "resilient": {
            "ENGINE": "search.engines.resilient.ResilientEngine",
            "OPTIONS": {"PRIMARY": "elasticsearch", "FALLBACK": "default", "RETRY_AFTER": 0.2},
        },
    }
    settings.SEARCH_ENGINE = "resilient"
    reset_engines()
    request.getfixturevalue("tree")
    IndexOutboxEntry.objects.all().delete()  # the tree's own set-up (a deleted default page)
    server = FakeElasticsearch(port, lifetime=60)
    server.create_index(ALIAS)  # built by search_reindex before the outage began
    yield SimpleNamespace(server=server, port=port)
    server.stop()
    reset_engines()


def pending():
    return IndexOutboxEntry.objects.pending("elasticsearch").count()


def es_titles(server):
    return sorted(d["display"]["title"] for d in server.documents(ALIAS).values())


def found(text):
    return titles(service.search(text, locale="en"))


def let_retry_wait_pass():
    """Time passes: the back-off after the failures is over."""
    past = timezone.now() - timedelta(seconds=1)
    RemoteEngineStatus.objects.update(paused_until=past)
    IndexOutboxEntry.objects.update(next_attempt_at=past)
    time.sleep(0.25)  # and the searches' pause (RETRY_AFTER)


def test_with_nothing_listening_the_site_searches_publishes_and_catches_up_later(
    site, tree, django_capture_on_commit_callbacks, admin_client
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        router = tree.article(
            title="Replace a broken router", summary="We send a new router for free."
        )
    assert router.live and time.monotonic() - started < 10
    assert found("broken router") == ["Replace a broken router"]  # from the embedded index
    assert [s.title for s in service.suggest("replace bro", "en")] == ["Replace a broken router"]
    assert pending() == 1

    # Staff see it: the status page and the dashboard.
    page = admin_client.get(reverse("search_index_status")).content.decode()
    assert "1 page waiting" in page and "Not reachable" in page
    assert "Answered by the embedded index since" in page
    assert (
        "Search index needs attention"
        in admin_client.get(reverse("wagtailadmin_home")).content.decode()
    )

    # Writes are paused after the failure: the next publish does not wait on the server.
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        tree.article(title="Pay an invoice by card", summary="Use a credit card.")
    assert time.monotonic() - started < 5 and pending() == 2

    site.server.start()  # the server comes back
    let_retry_wait_pass()
    with django_capture_on_commit_callbacks(execute=True):  # the next publish takes everything due
        tree.article(title="Opening hours", summary="Sunday to Thursday.")
    assert es_titles(site.server) == [
        "Opening hours",
        "Pay an invoice by card",
        "Replace a broken router",
    ]
    assert pending() == 0

    asked = site.server.count("POST", "_search")
    assert "Replace a broken router" in found("broken router")
    assert site.server.count("POST", "_search") > asked  # Elasticsearch answers again
    status = RemoteEngineStatus.objects.get(engine="elasticsearch")
    assert not status.searches_degraded() and not status.writes_failing()
    assert "Not reachable" not in admin_client.get(reverse("search_index_status")).content.decode()

    site.server.stop()  # and goes away again
    with django_capture_on_commit_callbacks(execute=True):
        router.unpublish()
    assert found("broken router") == [] and pending() == 1
    site.server.start()
    out = StringIO()
    call_command("search_outbox", "--replay", stdout=out)
    assert "1 pages written" in out.getvalue() and "0 pending" in out.getvalue()
    assert es_titles(site.server) == ["Opening hours", "Pay an invoice by card"]


def test_a_slow_server_is_given_up_on_within_the_timeout_and_logged(site, tree, caplog):
    tree.article(title="Replace a broken router", summary="We send a new router for free.")
    site.server.start()
    get_engine("elasticsearch").index_page(0, [])  # the index exists and answers
    site.server.search_delay = 5
    caplog.set_level(logging.WARNING, logger="search.engines.resilient")
    started = time.monotonic()
    assert found("broken router") == ["Replace a broken router"]
    assert time.monotonic() - started < 2.5  # TIMEOUT 0.5 s, once: then the fallback only
    assert "unavailable" in caplog.text and "'default' answers" in caplog.text
    assert RemoteEngineStatus.objects.get(engine="elasticsearch").searches_degraded()


def test_work_recorded_before_a_crash_is_applied_by_the_replay_command(site, tree):
    # No commit callbacks run here, as if the process died right after the commit.
    tree.article(title="Replace a broken router", summary="We send a new router for free.")
    assert pending() == 1
    site.server.start()
    call_command("search_outbox", "--replay", stdout=StringIO())
    assert es_titles(site.server) == ["Replace a broken router"] and pending() == 0


def test_a_publish_that_rolls_back_leaves_no_work_behind(site, tree):
    with pytest.raises(RuntimeError), transaction.atomic():
        tree.article(title="Never published", summary="Rolled back.")
        raise RuntimeError
    assert IndexOutboxEntry.objects.count() == 0
    assert found("never published") == []


def test_only_the_newest_version_of_a_page_reaches_the_server(site, tree):
    page = tree.article(title="Router warranty", summary="Two years.")
    page.title = "Router warranty extended"
    page.save_revision().publish(log_action=False)
    assert pending() == 2
    site.server.start()
    call_command("search_outbox", "--replay", stdout=StringIO())
    assert es_titles(site.server) == ["Router warranty extended"]
    assert pending() == 0 and site.server.count("PUT", "_bulk") == 1


def test_a_page_the_server_refuses_is_retried_while_the_others_arrive(
    site, tree, django_capture_on_commit_callbacks
):
    site.server.start()
    refused = tree.article(title="Odd page", summary="The server refuses it.")
    site.server.refuse_ids = {str(refused.pk)}
    tree.article(title="Fine page", summary="Arrives.")
    with django_capture_on_commit_callbacks(execute=True):
        transaction.on_commit(lambda: outbox.drain("elasticsearch"))
    assert es_titles(site.server) == ["Fine page"]
    (waiting,) = IndexOutboxEntry.objects.pending("elasticsearch")
    assert waiting.page_id == refused.pk and waiting.attempts == 1
    assert waiting.next_attempt_at > timezone.now() and "refused by the test" in waiting.last_error
    assert not RemoteEngineStatus.objects.get(engine="elasticsearch").writes_failing()

    site.server.refuse_ids = set()
    with pytest.raises(CommandError):
        call_command("search_outbox", "--engine", "default", stdout=StringIO())  # not remote
    call_command("search_outbox", "--replay", stdout=StringIO())
    assert es_titles(site.server) == ["Fine page", "Odd page"] and pending() == 0


def test_a_rebuild_swaps_the_alias_and_keeps_what_was_published_meanwhile(site, tree):
    from search.documents import SearchDocument

    def doc(page_id, title):
        return SearchDocument(
            key=str(page_id),
            page_id=page_id,
            url=f"/{page_id}",
            title=title,
            type="article",
            locale="en",
        )

    engine = get_engine("elasticsearch")
    site.server.start()
    engine.index_page(1, [doc(1, "Before the rebuild")])
    (before,) = site.server.behind(ALIAS)

    def documents():
        yield doc(1, "Read by the rebuild")
        # A publish commits while the rebuild runs: its work goes through the outbox.
        outbox.enqueue("elasticsearch", 2, [doc(2, "Published during the rebuild")])
        yield doc(3, "Also read by the rebuild")

    assert engine.rebuild(documents()) == 2
    (after,) = site.server.behind(ALIAS)
    assert after != before and before not in site.server.indices  # swapped, old one dropped
    assert es_titles(site.server) == [
        "Also read by the rebuild",
        "Published during the rebuild",
        "Read by the rebuild",
    ]


def test_search_reindex_rebuilds_both_indexes_or_says_which_one_failed(site, tree):
    tree.article(title="Replace a broken router", summary="We send a new router for free.")
    with pytest.raises(CommandError, match="'default' index was rebuilt with 1 documents"):
        call_command("search_reindex", no_progress=True, stdout=StringIO())
    assert found("broken router") == ["Replace a broken router"]
    site.server.start()
    call_command("search_reindex", no_progress=True, stdout=StringIO())
    assert es_titles(site.server) == ["Replace a broken router"]


def test_the_command_reports_waiting_work_and_a_worker_applies_it(site, tree):
    tree.article(title="Replace a broken router", summary="We send a new router for free.")
    outbox.drain("elasticsearch")  # fails: nothing listens
    out = StringIO()
    call_command("search_outbox", stdout=out)
    assert "elasticsearch: 1 pending (1 retrying)" in out.getvalue()
    assert "writes failing: ConnectionError" in out.getvalue()
    site.server.start()
    let_retry_wait_pass()
    out = StringIO()
    call_command(
        "search_outbox", "--watch", "--interval", "0.05", "--stop-after", "0.5", stdout=out
    )
    assert "1 pages written" in out.getvalue() and pending() == 0
    assert es_titles(site.server) == ["Replace a broken router"]


def test_staff_see_the_waiting_work_and_only_managers_apply_it(site, tree, admin_client, client):
    from django.contrib.auth.models import Permission, User

    tree.article(title="Replace a broken router", summary="We send a new router for free.")
    editor = User.objects.create_user("editor", password="x")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    url = reverse("search_index_status")
    page = client.get(url).content.decode()
    assert "1 page waiting" in page and "Apply pending updates now" not in page
    assert client.post(url).status_code == 403 and pending() == 1

    site.server.start()
    response = admin_client.post(url, follow=True)
    assert "1 page updated." in response.content.decode()
    assert pending() == 0 and es_titles(site.server) == ["Replace a broken router"]


def test_work_waits_for_the_first_rebuild_instead_of_starting_a_partial_index(
    site, tree, django_capture_on_commit_callbacks
):
    site.server.indices.clear()
    site.server.aliases.clear()  # a server that never had the site's index
    site.server.start()
    with django_capture_on_commit_callbacks(execute=True):
        tree.article(title="Replace a broken router", summary="We send a new router for free.")
    assert site.server.indices == {} and pending() == 1
    assert "run `manage.py search_reindex`" in RemoteEngineStatus.objects.get().last_error
    assert found("broken router") == ["Replace a broken router"]  # the embedded index answers

    call_command("search_reindex", no_progress=True, stdout=StringIO())
    assert es_titles(site.server) == ["Replace a broken router"]
    assert pending() == 0 and not RemoteEngineStatus.objects.get().writes_failing()
