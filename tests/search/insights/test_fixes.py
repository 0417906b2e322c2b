"""One-step fixes from a failed search, each visible in search at once."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from search.models import PromotedResult, SearchQueryLog, SearchTerm, SynonymGroup
from search.reports.rollup import IGNORED_COMES_BACK_AFTER

from .conftest import page_by_title


def search(query, lang="en"):
    return Client().get(f"/{lang}/search/", {"q": query})


def api_titles(query, lang="en"):
    data = Client().get("/api/search/", {"q": query, "lang": lang, "spelling": "exact"}).json()
    return [r["title"] for r in data["results"]]


def failed_term(manager_client, query, lang="en", times=1):
    for _ in range(times):
        search(query, lang)
    manager_client.get("/admin/reports/failed-searches/")  # rolls the log up
    return SearchTerm.objects.get(
        normalized=SearchQueryLog.objects.filter(query=query).first().normalized
    )


def fix(manager_client, term, action, data):
    return manager_client.post(f"/admin/reports/failed-searches/{term.pk}/{action}/", data)


def open_terms(manager_client):
    html = manager_client.get("/admin/reports/failed-searches/").content.decode()
    return html


@pytest.mark.django_db
def test_synonym_fix_makes_the_search_find_results(content, manager_client):
    term = failed_term(manager_client, "receipt")
    assert api_titles("receipt") == []
    response = fix(manager_client, term, "synonym", {"wording": "receipt", "means": "invoice"})
    assert response.status_code == 302
    assert response["Location"].endswith("?rerun=1#rerun")
    assert SynonymGroup.objects.get().terms == "receipt, invoice"
    assert "Find your invoice" in api_titles("receipt")
    term.refresh_from_db()
    assert term.status == SearchTerm.HANDLED and term.fix_note == "Synonyms: receipt, invoice"
    rerun = manager_client.get(response["Location"]).content.decode()
    assert "Found" in rerun and "Still nothing" not in rerun
    assert "receipt" not in open_terms(manager_client)


@pytest.mark.django_db
def test_synonym_fix_can_extend_an_existing_group(content, manager_client):
    group = SynonymGroup.objects.create(locale=content.locales["en"], terms="bill, invoice")
    term = failed_term(manager_client, "receipt")
    fix(
        manager_client,
        term,
        "synonym",
        {"wording": "receipt", "means": "invoice", "group": group.pk},
    )
    group.refresh_from_db()
    assert group.terms == "bill, invoice, receipt"
    assert "Find your invoice" in api_titles("receipt")


@pytest.mark.django_db
def test_promote_fix_shows_the_page_first(content, manager_client):
    term = failed_term(manager_client, "refund")
    page = page_by_title("Pay an invoice by card")
    assert fix(manager_client, term, "promote", {"page": page.pk}).status_code == 302
    assert api_titles("refund")[0] == "Pay an invoice by card"


@pytest.mark.django_db
def test_promote_fix_covers_every_hebrew_wording(content, manager_client):
    for query in ("והמנוי", "למנוי"):
        search(query, "he")
    term = failed_term(manager_client, "מנוי", "he")
    page = page_by_title("טופס החזר")
    fix(manager_client, term, "promote", {"page": page.pk})
    assert PromotedResult.objects.count() == 3
    for query in ("והמנוי", "למנוי", "מנוי"):
        assert api_titles(query, "he")[0] == "טופס החזר"


@pytest.mark.django_db
def test_draft_fix_starts_an_unpublished_page_with_the_wordings(content, manager_client):
    search("למנוי בחול", "he")
    term = failed_term(manager_client, "מנוי בחול", "he")
    category = content.category["he"]
    response = fix(manager_client, term, "draft", {"title": "מנוי בחו״ל", "parent": category.pk})
    assert response.status_code == 302
    draft = category.get_children().get(title="מנוי בחו״ל").specific
    assert draft.live is False and draft.locale.language_code == "he"
    assert "מנוי בחול" in draft.keywords and "למנוי בחול" in draft.keywords
    assert draft.get_latest_revision() is not None
    assert api_titles("מנוי בחול", "he") == []  # never published by the fix
    term.refresh_from_db()
    assert term.status == SearchTerm.HANDLED


@pytest.mark.django_db
def test_mark_handled_and_it_comes_back_when_it_fails_again(content, manager_client):
    term = failed_term(manager_client, "parking permit")
    assert (
        fix(
            manager_client, term, "status", {"status": "handled", "note": "Told the team"}
        ).status_code
        == 302
    )
    assert "parking permit" not in open_terms(manager_client)
    every = manager_client.get(
        "/admin/reports/failed-searches/", {"status": "all"}
    ).content.decode()
    assert "parking permit" in every and "Handled" in every
    search("parking permit")
    html = open_terms(manager_client)
    assert "parking permit" in html and "Failing again" in html


@pytest.mark.django_db
def test_ignored_comes_back_only_if_it_keeps_failing(content, manager_client):
    term = failed_term(manager_client, "asdf")
    fix(manager_client, term, "status", {"status": "ignored"})
    for _ in range(IGNORED_COMES_BACK_AFTER - 1):
        search("asdf")
    assert "asdf" not in open_terms(manager_client)
    search("asdf")
    assert "asdf" in open_terms(manager_client)


@pytest.mark.django_db
def test_searches_before_the_mark_do_not_reopen_it(content, manager_client):
    term = failed_term(manager_client, "parking permit", times=3)
    fix(manager_client, term, "status", {"status": "handled"})
    SearchQueryLog.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert "parking permit" not in open_terms(manager_client)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("synonym", {"wording": "receipt", "means": ""}),
        ("synonym", {"wording": "receipt", "means": "RECEIPT"}),
        ("synonym", {"wording": ",,,", "means": "invoice"}),
        ("synonym", {"wording": "receipt", "means": "x" * 500}),
        ("synonym", {"wording": "receipt", "means": "invoice", "group": "999999"}),
        ("promote", {"page": "abc"}),
        ("promote", {"page": "999999"}),
        ("draft", {"title": "", "parent": ""}),
        ("draft", {"title": "\x00\x01", "parent": "1"}),
        ("status", {"status": "bogus"}),
    ],
)
def test_bad_fix_input_is_a_clear_400_and_changes_nothing(content, manager_client, action, data):
    term = failed_term(manager_client, "receipt")
    response = fix(manager_client, term, action, data)
    assert response.status_code == 400
    assert b"error" in response.content.lower()
    assert SynonymGroup.objects.count() == 0 and PromotedResult.objects.count() == 0
    term.refresh_from_db()
    assert term.status == SearchTerm.OPEN


@pytest.mark.django_db
def test_fixes_refuse_pages_of_the_wrong_kind_or_language(content, manager_client):
    term = failed_term(manager_client, "refund")
    hebrew_page = page_by_title("טופס החזר")
    assert fix(manager_client, term, "promote", {"page": hebrew_page.pk}).status_code == 400
    assert (
        fix(manager_client, term, "promote", {"page": content.category["en"].pk}).status_code == 400
    )
    hebrew_category = content.category["he"]
    assert (
        fix(
            manager_client, term, "draft", {"title": "Refunds", "parent": hebrew_category.pk}
        ).status_code
        == 400
    )
    assert PromotedResult.objects.count() == 0
    assert not hebrew_category.get_children().filter(title="Refunds").exists()


@pytest.mark.django_db
def test_fix_urls_answer_wrong_methods_and_unknown_terms(content, manager_client):
    term = failed_term(manager_client, "receipt")
    fix_url = f"/admin/reports/failed-searches/{term.pk}/synonym/"
    assert manager_client.get(fix_url).status_code == 405
    # (The site first redirects a 404 outside the language prefixes to /en/..., also a 404.)
    for pk in (999999, 99999999999999999999999):
        response = manager_client.get(f"/admin/reports/failed-searches/{pk}/", follow=True)
        assert response.status_code == 404
    response = fix(manager_client, SearchTerm(pk=999999), "status", {"status": "handled"})
    assert response.status_code in (302, 404) and "rerun" not in response.get("Location", "")
    assert SearchTerm.objects.get().status == SearchTerm.OPEN
