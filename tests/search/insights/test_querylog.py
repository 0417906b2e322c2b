"""Every search a customer submits is logged once, honestly, and never breaks the search."""

import re
import time
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.db import connections
from django.test import Client

from home import visit
from search import querylog
from search.models import SearchClick, SearchQueryLog
from search.querylog import group_key

from .conftest import logs


def result_links(html):
    return [unquote(link.replace("&amp;", "&")) for link in re.findall(r'href="(/go/[^"]+)"', html)]


@pytest.mark.django_db
def test_a_search_is_logged_with_what_managers_need(client, content):
    client.get("/en/search/", {"q": "Invoices", "type": "article"})
    [log] = logs()
    assert log.query == "Invoices"
    assert log.normalized == group_key("invoice")
    assert log.locale == "en"
    assert log.filters == {"types": ["article"]}
    assert log.result_count == 2
    assert log.engine == "default"
    assert log.latency_ms > 0
    assert log.corrected is False
    assert log.source == "page"
    assert re.fullmatch(r"[0-9a-f]{32}", log.session_key)
    assert not hasattr(log, "ip") and "127.0.0.1" not in str(vars(log))


@pytest.mark.django_db
def test_personal_data_is_removed_before_storing(client, content):
    client.get("/en/search/", {"q": "refund dana@example.com 050-1234567"})
    [log] = logs()
    assert log.query == "refund [email] [phone]"
    assert log.normalized == "refund"
    assert "dana" not in str(vars(log)) and "1234567" not in str(vars(log))


@pytest.mark.django_db
def test_paging_and_filtering_the_same_search_is_not_a_new_search(client, content):
    client.get("/en/search/", {"q": "invoice"})
    client.get("/en/search/", {"q": "invoice", "page": "2"})
    client.get("/en/search/", {"q": "Invoice", "type": "faq"})  # no FAQ matches: 0 results
    [log] = logs()
    assert log.filters == {"types": ["faq"]}
    assert log.result_count == 2  # the search found something, so it did not fail
    client.get("/en/search/", {"q": "direct debit"})
    assert len(logs()) == 2


@pytest.mark.django_db
def test_each_visitor_has_their_own_searches(client, content):
    client.get("/en/search/", {"q": "invoice"})
    Client().get("/en/search/", {"q": "invoice"})
    first, second = logs()
    assert first.session_key != second.session_key


@pytest.mark.django_db
def test_the_same_visitor_searching_again_later_is_a_new_search(client, content, monkeypatch):
    client.get("/en/search/", {"q": "invoice"})
    an_hour_later = time.time() + 3600
    monkeypatch.setattr(visit.time, "time", lambda: an_hour_later)
    client.get("/en/search/", {"q": "invoice"})
    assert len(logs()) == 2


@pytest.mark.django_db
def test_hebrew_prefixes_group_together(content):
    for query in ("והטופס", "לטופס", "טופס"):
        Client().get("/he/search/", {"q": query})  # three visitors
    assert {log.normalized for log in logs()} == {"טופס"}
    assert [log.query for log in logs()] == ["והטופס", "לטופס", "טופס"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params", [{}, {"q": ""}, {"q": "   "}, {"q": "x" * 501}, {"q": "invoice", "page": "abc"}]
)
def test_empty_or_invalid_searches_are_not_logged(client, content, params):
    client.get("/en/search/", params)
    assert logs() == []


@pytest.mark.django_db
def test_api_logs_and_returns_click_links(client, content):
    data = client.get("/api/search/", {"q": "invoice", "lang": "en"}).json()
    [log] = logs()
    assert data["log_id"] == log.key and log.source == "api"
    assert data["results"][0]["click_url"].startswith(f"/go/{log.key}/1/?to=")
    client.get("/api/search/", {"q": "invoice", "lang": "en", "page": "2"})
    assert len(logs()) == 1


@pytest.mark.django_db
def test_a_log_that_cannot_be_written_is_written_later(client, content):
    table = SearchQueryLog._meta.db_table
    with connections["insights"].cursor() as cursor:  # undone with the test's transaction
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
    response = client.get("/en/search/", {"q": "invoice"})
    assert response.status_code == 200
    assert "2 results" in response.content.decode()
    api = client.get("/api/search/", {"q": "direct debit", "lang": "en"})
    assert api.status_code == 200 and api.json()["log_id"]
    assert querylog._buffer.pending() == 2  # kept, not dropped
    with connections["insights"].cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table}_away RENAME TO {table}")
    assert querylog.flush() == 0
    assert [log.query for log in logs()] == ["invoice", "direct debit"]


def click_parts(link):
    parts = urlsplit(link)
    params = parse_qs(parts.query)
    return parts.path, params["to"][0], params["t"][0]


@pytest.mark.django_db
def test_opening_a_result_records_the_click_and_its_rank(client, content):
    html = client.get("/en/search/", {"q": "invoice"}).content.decode()
    links = result_links(html)
    path, target, _token = click_parts(links[1])
    assert path == f"/go/{logs()[0].key}/2/" and target.startswith("/en/billing/")
    response = client.get(links[1])
    assert response.status_code == 302
    assert response["Location"] == target
    assert response["Cache-Control"] == "no-store"
    client.get(links[1])  # opened again: still one click on that result
    [click] = SearchClick.objects.all()
    assert click.rank == 2 and click.log.click_count == 1
    client.get(links[0])
    assert SearchQueryLog.objects.get().click_count == 2


@pytest.mark.django_db
def test_results_page_links_count_clicks_without_javascript(client, content):
    html = client.get("/en/search/", {"q": "invoice", "page": "1"}).content.decode()
    log = logs()[0]
    assert f'href="/go/{log.key}/1/?to=%2Fen%2Fbilling%2F' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "/en/billing/",  # a category page, not a search document
        "/en/billing/no-such-page/",
        "/admin/",
        "/xx/billing/find-your-invoice/",
        "",
        "/en/billing/find-your-invoice/\x00",
        "/" + "a" * 3000,
    ],
)
def test_the_click_endpoint_never_redirects_elsewhere(client, content, target):
    client.get("/en/search/", {"q": "invoice"})
    response = client.get(f"/go/{logs()[0].key}/1/", {"to": target})
    assert response.status_code == 400
    assert SearchClick.objects.count() == 0


@pytest.mark.django_db
def test_the_click_endpoint_refuses_unpublished_pages(client, content):
    page = content.article(title="Soon to be gone")
    url = page.url
    page.unpublish()
    client.get("/en/search/", {"q": "invoice"})
    assert client.get(f"/go/{logs()[0].key}/1/", {"to": url}).status_code == 400


@pytest.mark.django_db
def test_forged_clicks_redirect_but_count_nothing(client, content):
    html = client.get("/en/search/", {"q": "invoice"}).content.decode()
    path, target, token = click_parts(result_links(html)[0])
    key = logs()[0].key
    other = "/en/billing/pay-an-invoice-by-card/"  # a result, but not the one at rank 1
    for url, params in (
        (path, {"to": target}),  # no token
        (path, {"to": target, "t": "0" * 24}),
        (path, {"to": other, "t": token}),
        (f"/go/{key}/2/", {"to": target, "t": token}),
        (f"/go/{'f' * 32}/1/", {"to": target, "t": token}),
        (f"/go/{key}/0/", {"to": target, "t": token}),
        (f"/go/{key}/99999/", {"to": target, "t": token}),
        ("/go/99999999999999999999999/1/", {"to": target, "t": token}),
        (path, {"to": target, "t": ["a", "b"]}),
    ):
        assert Client().get(url, params).status_code == 302
    assert SearchClick.objects.count() == 0
    assert client.post(f"{path}?to={target}&t={token}").status_code == 405
    # The link itself, from any browser (shared, opened on another device), counts once.
    assert Client().get(path, {"to": target, "t": token}).status_code == 302
    assert SearchClick.objects.count() == 1


@pytest.mark.django_db
def test_pages_shown_by_a_search_are_counted_once_per_search(client, content, admin_client):
    from django.urls import reverse

    from search.models import PageSearchStat

    client.get("/en/search/", {"q": "invoice"})
    client.get("/en/search/", {"q": "invoice", "page": "2"})  # the same search: no new count
    shown = dict(PageSearchStat.objects.values_list("page_id", "shown"))
    invoice = content.category["en"].get_children().get(slug="find-your-invoice")
    assert shown[invoice.pk] == 1

    # Editors see it next to the page's content.
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=[invoice.pk])).content
    assert "Shown in search results (30 days)" in edit.decode()
