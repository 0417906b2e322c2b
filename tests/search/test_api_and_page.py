"""The customer side of search: the results page and the JSON API, including bad input."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


@pytest.fixture
def content(tree):
    tree.article(title="Find your invoice", summary="Open My account, then Invoices.")
    tree.article(title="Pay an invoice by card", summary="Use a credit card in the app.")
    tree.faq(
        [
            ("Why did my payment fail?", "The card may have expired."),
            ("Can I pay in instalments?", "Yes, up to 12."),
        ]
    )
    tree.guide(
        [("Open the app", "Tap Payments."), ("Add a direct debit", "Enter your bank details.")],
        title="Set up a direct debit",
    )
    tree.article(title="חשבונית מס", summary="החשבונית נמצאת באזור האישי.", lang="he")
    return tree


@pytest.mark.django_db
def test_api_returns_results_with_everything_a_client_needs(client, content):
    data = client.get("/api/search/", {"q": "invoice", "lang": "en"}).json()
    assert data["total"] >= 2
    first = data["results"][0]
    assert {"title", "url", "type", "category", "snippet", "title_html"} <= set(first)
    assert first["url"].startswith("/en/billing/")
    assert data["facets"]["type"]["article"] >= 2
    assert data["correction"] is None


@pytest.mark.django_db
def test_api_filters_by_type_and_language(client, content):
    faqs = client.get("/api/search/", {"q": "payment card", "lang": "en", "type": "faq"}).json()
    assert faqs["results"] and all(r["type"] == "faq" for r in faqs["results"])
    assert faqs["results"][0]["url"].split("#")[1].startswith("q-")
    hebrew = client.get("/api/search/", {"q": "חשבונית", "lang": "he"}).json()
    assert [r["title"] for r in hebrew["results"]] == ["חשבונית מס"]


@pytest.mark.django_db
def test_api_corrects_a_misspelled_query(client, content):
    data = client.get("/api/search/", {"q": "invoise", "lang": "en"}).json()
    assert data["correction"] == {"text": "invoice", "kind": "showing"}
    assert data["total"] >= 2


@pytest.mark.django_db
def test_suggestions_complete_a_prefix(client, content):
    data = client.get("/api/search/suggest/", {"q": "invo", "lang": "en"}).json()
    assert "Find your invoice" in [s["title"] for s in data["suggestions"]]


@pytest.mark.django_db
def test_results_page_works_without_javascript(client, content):
    html = client.get("/en/search/", {"q": "invoice"}).content.decode()
    assert "Find your <mark>invoice</mark>" in html
    assert 'role="status"' in html


@pytest.mark.django_db
def test_results_page_offers_the_original_when_it_corrected(client, content):
    html = client.get("/en/search/", {"q": "invoise"}).content.decode()
    assert "Showing results for" in html and "spelling=exact" in html
    exact = client.get("/en/search/", {"q": "invoise", "spelling": "exact"}).content.decode()
    assert "Showing results for" not in exact


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 501},
        {"q": "invoice", "page": "abc"},
        {"q": "invoice", "page": "-3"},
        {"q": "invoice", "page": "99999999999999999999"},
        {"q": "invoice", "lang": "xx"},
        {"q": "invoice", "type": "<script>"},
        {"q": "invoice", "category": "../etc/passwd"},
        {"q": "in\x00voice"},
    ],
)
def test_api_answers_bad_parameters_with_a_clear_400(client, content, params):
    response = client.get("/api/search/", params)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid parameters"


@pytest.mark.django_db
def test_wrong_methods_are_refused(client, content):
    assert client.post("/api/search/", {"q": "invoice"}).status_code == 405
    assert client.post("/en/search/", {"q": "invoice"}).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q",
    [
        'רשב"י',
        'עפ"י',
        '"unbalanced',
        "a AND OR NOT b",
        "NEAR(a b)",
        "*",
        "^x",
        "col:val",
        "(((",
        "'; DROP TABLE x; --",
    ],
)
def test_query_syntax_is_searched_as_text_never_an_error(client, content, q):
    assert client.get("/en/search/", {"q": q}).status_code == 200
    assert client.get("/api/search/", {"q": q}).status_code == 200


@pytest.mark.django_db
def test_a_page_past_the_end_shows_the_last_page(client, content):
    response = client.get("/en/search/", {"q": "invoice", "page": "50"})
    assert response.status_code == 200
    assert "Find your <mark>invoice</mark>" in response.content.decode()


text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=600)


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=text, lang=text, type_=text, category=text, page=text)
def test_any_string_in_any_parameter_gets_a_clear_answer(
    client, content, q, lang, type_, category, page
):
    params = {"q": q, "lang": lang, "type": type_, "category": category, "page": page}
    for url in ("/api/search/", "/api/search/suggest/"):
        response = client.get(url, params)
        assert response.status_code in (200, 400)
        json.loads(response.content)
    assert client.get("/en/search/", params).status_code in (200, 400)
