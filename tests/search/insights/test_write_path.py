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
