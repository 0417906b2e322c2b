"""The answer shown first is logged with its search; the top searches report tells the
manager which searches were answered directly and whether the visitor then opened a page."""

import pytest
from django.test import Client

from search import answers
from search.models import SearchQueryLog
from tests.search.test_semantic import content, embed_all, words_model  # noqa: F401 (fixtures)

from .test_reports import csv_rows

TOP = "/admin/reports/top-searches/"


@pytest.fixture
def confident(monkeypatch):
    """Any top hit the model agrees with is answered: the stand-in model's scores are low."""
    monkeypatch.setattr(answers, "MIN_COSINE", 0.0)
    monkeypatch.setattr(answers, "MIN_MARGIN", 0.0)


@pytest.mark.django_db
def test_answered_searches_are_logged_and_reported(content, confident, manager_client):  # noqa: F811
    embed_all()
    visitor = Client()
    html = visitor.get("/en/search/", {"q": "stolen card"}).content.decode()
    answer = html.split('class="search-answer"')[1].split("</section>")[0]
    link = answer.split('href="')[-1].split('"')[0].replace("&amp;", "&")
    assert link.startswith("/go/")  # opening the answer's page is counted as a click
    assert visitor.get(link).status_code == 302
    visitor.get("/en/search/", {"q": "stolen card", "page": "2"})  # the same search, paged
    Client().get("/en/search/", {"q": "flux capacitor"})  # found nothing: nothing answered

    answered = SearchQueryLog.objects.get(query="stolen card")
    assert answered.answer_url.startswith("/en/") and answered.click_count == 1
    assert SearchQueryLog.objects.get(query="flux capacitor").answer_url == ""

    rows = {r["Search"]: r for r in csv_rows(manager_client.get(TOP, {"export": "csv"}))}
    assert rows["stolen card"]["Answered directly"] == "1"
    assert rows["stolen card"]["Answered, then opened"] == "1"
    assert rows["flux capacitor"]["Answered directly"] == "0"
    only = csv_rows(manager_client.get(TOP, {"export": "csv", "answered": "yes"}))
    assert [r["Search"] for r in only] == ["stolen card"]
    never = csv_rows(manager_client.get(TOP, {"export": "csv", "answered": "no"}))
    assert [r["Search"] for r in never] == ["flux capacitor"]
    page = manager_client.get(TOP, {"answered": "yes"}).content.decode()
    assert "Answered directly" in page and "flux capacitor" not in page


@pytest.mark.django_db
def test_the_api_logs_its_answer_too(content, confident, client):  # noqa: F811
    embed_all()
    data = client.get("/api/search/", {"q": "stolen card", "lang": "en"}).json()
    assert data["answer"]["click_url"].startswith("/go/")
    assert SearchQueryLog.objects.get(key=data["log_id"]).answer_url == data["answer"]["url"]
