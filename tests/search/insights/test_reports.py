"""The managers' reports: failed searches, no-click searches, top searches and trends."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from search.models import SearchQueryLog

from .conftest import make_user

REPORTS = [
    "/admin/reports/failed-searches/",
    "/admin/reports/searches-without-click/",
    "/admin/reports/top-searches/",
    "/admin/reports/search-trends/",
]


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")  # Excel wants the BOM
    return list(csv.DictReader(io.StringIO(body)))


def search(query, lang="en", client=None, **params):
    (client or Client()).get(f"/{lang}/search/", {"q": query, **params})


def days_ago(days):
    """The site's calendar day of the moment ``days`` ago: not always today's date minus
    ``days``, since a daylight-saving change in between can move it across midnight."""
    return timezone.localdate(timezone.now() - timedelta(days=days))


def age(days):
    """Move every logged search ``days`` into the past."""
    when = timezone.now() - timedelta(days=days)
    SearchQueryLog.objects.update(created_at=when, updated_at=when)


@pytest.mark.django_db
def test_failed_search_with_an_email_is_reported_without_it(content, manager_client):
    visitor = Client()
    search("refund dana@example.com", client=visitor)
    search("refund dana@example.com", client=visitor, page="2")  # the same search, paged
    html = manager_client.get("/admin/reports/failed-searches/").content.decode()
    assert "refund [email]" in html
    assert "dana" not in html
    [row] = csv_rows(manager_client.get("/admin/reports/failed-searches/", {"export": "csv"}))
    assert row["Search"] == "refund [email]"
    assert row["Failed searches"] == "1"
    assert row["Visitors"] == "1"
    assert row["Language"] == "en"
    assert row["Status"] == "Open"
    assert "dana" not in str(row)


@pytest.mark.django_db
def test_failed_searches_group_wordings_and_count_visitors(content, manager_client):
    for query in ("והמנוי בחול", "למנוי בחול", "מנוי בחול"):
        search(query, lang="he")
    search("מנוי בחול", lang="he")
    [row] = csv_rows(manager_client.get("/admin/reports/failed-searches/", {"export": "csv"}))
    assert row["Failed searches"] == "4" and row["Visitors"] == "4"
    assert row["Search"] == "מנוי בחול"  # the most frequent wording
    assert set(row["Sample wordings"].split(" | ")) == {
        "מנוי בחול",
        "והמנוי בחול",
        "למנוי בחול",
    }


@pytest.mark.django_db
def test_searches_with_results_are_not_failures(content, manager_client):
    search("invoice")
    assert csv_rows(manager_client.get("/admin/reports/failed-searches/", {"export": "csv"})) == []


@pytest.mark.django_db
def test_reports_filter_by_date_range_and_language(content, manager_client):
    search("parking permit")
    age(40)
    search("lost keys")
    search("שעות פתיחה", lang="he")
    recent = csv_rows(manager_client.get("/admin/reports/failed-searches/", {"export": "csv"}))
    assert {r["Search"] for r in recent} == {"lost keys", "שעות פתיחה"}
    old_day = days_ago(40).isoformat()
    older = csv_rows(
        manager_client.get(
            "/admin/reports/failed-searches/",
            {"export": "csv", "date_from": old_day, "date_to": old_day},
        )
    )
    assert [r["Search"] for r in older] == ["parking permit"]
    hebrew = csv_rows(
        manager_client.get("/admin/reports/failed-searches/", {"export": "csv", "language": "he"})
    )
    assert [r["Search"] for r in hebrew] == ["שעות פתיחה"]
    for url in REPORTS:
        response = manager_client.get(url, {"language": "he", "date_from": old_day})
        assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "not-a-date"},
        {"language": "xx"},
        {"date_to": "2026-02-31"},
        {"status": "<script>"},
        {"date_from": "\x00"},
    ],
)
def test_bad_filters_are_a_clear_400(content, manager_client, params):
    search("lost keys")
    assert manager_client.get("/admin/reports/failed-searches/", params).status_code == 400
    assert (
        manager_client.get(
            "/admin/reports/failed-searches/", {**params, "export": "csv"}
        ).status_code
        == 400
    )


@pytest.mark.django_db
def test_odd_but_harmless_parameters_still_answer(content, manager_client):
    search("lost keys")
    for params in ({"ordering": "nonsense"}, {"p": "9999"}, {"p": "abc"}, {"export": "pdf"}):
        for url in REPORTS:
            assert manager_client.get(url, params).status_code == 200


@pytest.mark.django_db
def test_no_click_and_click_through_figures(content, manager_client):
    clicker = Client()
    html = clicker.get("/en/search/", {"q": "invoice"}).content.decode()
    link = html.split('href="/go/')[1].split('"')[0].replace("&amp;", "&")
    clicker.get(f"/go/{link}")
    search("invoice")  # a second visitor finds results and opens none
    search("card")
    [no_click] = [
        r
        for r in csv_rows(
            manager_client.get("/admin/reports/searches-without-click/", {"export": "csv"})
        )
        if r["Search"] == "invoice"
    ]
    assert no_click["Results, no click"] == "1" and no_click["Searches with results"] == "2"
    assert no_click["Share without a click"] == "0.5"
    top = csv_rows(manager_client.get("/admin/reports/top-searches/", {"export": "csv"}))
    assert [r["Search"] for r in top] == ["invoice", "card"]
    assert top[0]["Searches"] == "2" and top[0]["With a click"] == "1"
    assert top[0]["Click-through rate"] == "0.5"


@pytest.mark.django_db
def test_trends_show_searches_and_failure_rate_per_day(content, manager_client):
    search("invoice")
    search("lost keys")
    age(2)
    search("invoice")
    html = manager_client.get("/admin/reports/search-trends/").content.decode()
    assert "<svg" in html and 'role="img"' in html
    assert "3 searches" in html and "33% without results" in html
    rows = {
        r["Date"]: r
        for r in csv_rows(manager_client.get("/admin/reports/search-trends/", {"export": "csv"}))
    }
    assert len(rows) == 30
    two_days_ago = days_ago(2).isoformat()
    assert rows[two_days_ago]["Searches"] == "2" and rows[two_days_ago]["Failure rate"] == "0.5"
    assert rows[timezone.localdate().isoformat()]["Failure rate"] == "0.0"


@pytest.mark.django_db
def test_csv_cells_cannot_run_as_formulas(content, manager_client):
    search('=HYPERLINK("http://evil.example","x")')
    [row] = csv_rows(manager_client.get("/admin/reports/failed-searches/", {"export": "csv"}))
    assert row["Search"].startswith("'=")


@pytest.mark.django_db
def test_only_search_managers_and_superusers_see_the_reports(
    content, client, editor, django_user_model
):
    search("lost keys")
    from search.models import SearchTerm

    manager_client = Client()
    manager_client.force_login(make_user(django_user_model, "boss", superuser=True))
    manager_client.get(REPORTS[0])
    term = SearchTerm.objects.get()
    pages = [
        *REPORTS,
        f"/admin/reports/failed-searches/{term.pk}/",
        "/admin/reports/failed-searches/results/",
    ]
    client.force_login(editor)
    for url in pages:
        assert client.get(url).status_code == 403, url
        assert client.get(url, {"export": "csv"}).status_code == 403, url
    for action in ("synonym", "promote", "draft", "status"):
        url = f"/admin/reports/failed-searches/{term.pk}/{action}/"
        assert client.post(url, {"status": "ignored"}).status_code == 403
    term.refresh_from_db()
    assert term.status == "open"
    dashboard = client.get("/admin/").content.decode()
    assert "failed searches" not in dashboard.lower()
    for url in pages:
        assert manager_client.get(url).status_code == 200, url
    anonymous = Client()
    assert anonymous.get(REPORTS[0]).status_code == 302  # to the login page


@pytest.mark.django_db
def test_dashboard_panel_lists_the_weeks_top_failed_searches(content, manager_client):
    for _ in range(3):
        search("lost keys")
    search("parking permit")
    search("old question")
    SearchQueryLog.objects.filter(query="old question").update(
        created_at=timezone.now() - timedelta(days=9), updated_at=timezone.now() - timedelta(days=9)
    )
    html = manager_client.get("/admin/").content.decode()
    assert "This week&#x27;s failed searches" in html or "This week's failed searches" in html
    assert html.index("lost keys") < html.index("parking permit")
    assert "old question" not in html


@pytest.mark.django_db
def test_manager_sees_the_reports_in_the_menu(content, manager_client):
    html = manager_client.get("/admin/reports/failed-searches/").content.decode()
    for label in ("Failed searches", "Searches without a click", "Top searches", "Search trends"):
        assert label in html


@pytest.mark.django_db
def test_reports_say_up_to_when_their_figures_count(content, manager_client, settings):
    from django.core.cache import cache

    from search.reports import rollup

    settings.SEARCH_INSIGHTS_REFRESH_SECONDS = 60
    cache.delete(rollup.CACHE_KEY)
    earlier = timezone.now() - timedelta(seconds=50)
    rollup.refresh(now=earlier)
    search("refund policy")  # logged after the figures were rolled up
    for url in REPORTS:
        html = manager_client.get(url).content.decode()
        stamp = timezone.localtime(earlier).strftime("%H:%M")
        assert f"figures up to {stamp}" in html, url
