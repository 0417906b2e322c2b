"""Customers searching and staff publishing at the same time, on SQLite files as in
production: publishing waits for the write lock instead of failing, and every search and
click sent is in the log once the buffer is written."""

import sqlite3
import threading

import pytest
from django.db import connections
from django.test import Client
from wagtail.models import Page

from search import querylog
from search.models import PageSearchStat, SearchClick, SearchQueryLog

SEARCHERS = 8
SEARCHES_EACH = 15
PUBLISHES = 12


@pytest.fixture
def file_databases(tmp_path):
    """The test databases copied to SQLite files (WAL), and every connection made from now
    on (any thread) opened on those files."""
    swapped = {}
    for alias in ("default", "insights"):
        memory = connections[alias]
        memory.ensure_connection()
        path = tmp_path / f"{alias}.sqlite3"
        target = sqlite3.connect(path)
        memory.connection.backup(target)
        target.close()
        swapped[alias] = (memory, memory.settings_dict["NAME"])
        memory.settings_dict["NAME"] = str(path)  # the settings every new connection uses
        connections[alias] = connections.create_connection(alias)
    yield
    for alias, (memory, name) in swapped.items():
        connections[alias].close()
        memory.settings_dict["NAME"] = name
        connections[alias] = memory


def search_and_click(worker, sent, clicked, errors):
    try:
        for i in range(SEARCHES_EACH):
            client = Client()  # a new visitor each time: each search is its own log row
            query = ("invoice", "card", "טופס")[(worker + i) % 3]
            response = client.get("/api/search/", {"q": query, "lang": "all"})
            assert response.status_code == 200, response.content
            data = response.json()
            sent.append(data["log_id"])
            if data["results"]:
                assert client.get(data["results"][0]["click_url"]).status_code == 302
                clicked.append(data["log_id"])
    except Exception as error:  # noqa: BLE001 - reported by the test below
        errors.append(repr(error))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_succeeds_while_customers_search(content, file_databases, settings):
    settings.INSIGHTS_WRITE_DELAY = 0.05  # the background writer, as in production
    page = Page.objects.get(title="Find your invoice").specific
    sent, clicked, errors = [], [], []
    searchers = [
        threading.Thread(target=search_and_click, args=(n, sent, clicked, errors))
        for n in range(SEARCHERS)
    ]
    for thread in searchers:
        thread.start()
    published = 0
    failures = []
    while published < PUBLISHES or any(t.is_alive() for t in searchers):
        page.summary = f"Open My account, then Invoices ({published})."
        try:
            page.save_revision().publish(log_action=False)
            published += 1
        except Exception as error:  # noqa: BLE001 - counted: none may fail
            failures.append(repr(error))
            if len(failures) > PUBLISHES:
                break
    for thread in searchers:
        thread.join()
    assert errors == []
    assert failures == []
    assert published >= PUBLISHES

    assert querylog.flush() == 0
    settings.INSIGHTS_WRITE_DELAY = 0  # the writer thread ends before the next test
    querylog._buffer._thread.join(timeout=10)
    assert len(sent) == SEARCHERS * SEARCHES_EACH
    logged = dict(SearchQueryLog.objects.values_list("key", "click_count"))
    assert set(logged) == set(sent)  # nothing lost
    assert sum(logged.values()) == len(clicked) == SearchClick.objects.count()
    assert PageSearchStat.objects.exists()
    assert Page.objects.get(pk=page.pk).specific.summary.endswith(f"({published - 1}).")


READER = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile Safari/604.1"}


def read_vote_and_search(worker, page, done, errors):
    """A customer reads the page, votes on it and searches, each a visitor of their own."""
    try:
        for i in range(SEARCHES_EACH):
            client = Client()
            assert client.get(page.url, **READER).status_code == 200
            vote = client.post("/api/feedback/", {"page": page.pk, "helpful": "no"})
            assert vote.status_code == 201, vote.content
            reason = {"feedback": vote.json()["id"], "reason": "unclear"}
            assert client.post("/api/feedback/reason/", reason).status_code == 200
            search = client.get("/api/search/", {"q": ("invoice", "טופס")[(worker + i) % 2]})
            assert search.status_code == 200, search.content
            done.append(search.json()["log_id"])
    except Exception as error:  # noqa: BLE001 - reported by the test below
        errors.append(repr(error))
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_succeeds_while_customers_read_vote_and_search(
    content, file_databases, settings, monkeypatch
):
    from home import page_views
    from home.models import PageViewDay
    from kb import feedback

    settings.INSIGHTS_WRITE_DELAY = 0.05
    monkeypatch.setattr(feedback, "RATE_LIMIT", (10_000, 3600))  # every test client is one address
    page = Page.objects.get(title="Find your invoice").specific
    views_before = sum(PageViewDay.objects.values_list("views", flat=True))
    done, errors, failures = [], [], []
    customers = [
        threading.Thread(target=read_vote_and_search, args=(n, page, done, errors))
        for n in range(SEARCHERS)
    ]
    for thread in customers:
        thread.start()
    published = 0
    while published < PUBLISHES or any(t.is_alive() for t in customers):
        page.summary = f"Open My account, then Invoices ({published})."
        try:
            page.save_revision().publish(log_action=False)
            published += 1
        except Exception as error:  # noqa: BLE001 - counted: none may fail
            failures.append(repr(error))
            if len(failures) > PUBLISHES:
                break
    for thread in customers:
        thread.join()
    assert errors == []
    assert failures == []
    assert published >= PUBLISHES

    assert querylog.flush() == 0 and page_views.flush() == 0
    settings.INSIGHTS_WRITE_DELAY = 0
    for buffer in (querylog._buffer, page_views._buffer):
        if buffer._thread is not None:
            buffer._thread.join(timeout=10)
    expected = SEARCHERS * SEARCHES_EACH
    assert len(done) == expected
    assert set(SearchQueryLog.objects.values_list("key", flat=True)) >= set(done)
    votes = feedback.PageFeedback.objects.filter(page_id=page.pk)
    assert votes.count() == expected and not votes.exclude(reason="unclear").exists()
    assert sum(PageViewDay.objects.values_list("views", flat=True)) - views_before == expected
