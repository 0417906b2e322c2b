"""The branded "not found" and "something went wrong" pages, with the search box, in both
languages, also while developing (DEBUG on); and full addresses that name the real host."""

import pytest


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["help.example.com", "testserver"]
    return settings


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "heading"), [("en", "We could not find that page"), ("he", "לא מצאנו את הדף")]
)
def test_a_missing_page_is_the_branded_one_with_search_even_in_debug(
    tree, client, debug, lang, heading
):
    response = client.get(f"/{lang}/no-such-help/")
    html = response.content.decode()
    assert response.status_code == 404
    assert heading in html and 'type="search"' in html
    assert f'lang="{lang}"' in html
    assert "technical_404" not in html and "Using the URLconf" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "he"])
def test_a_failure_is_the_branded_500_with_search_even_in_debug(
    tree, client, debug, monkeypatch, lang, caplog
):
    from search import service

    def broken(**kwargs):
        raise RuntimeError("index unreadable")

    monkeypatch.setattr(service, "search", broken)
    response = client.get(f"/{lang}/search/", {"q": "router"})
    html = response.content.decode()
    assert response.status_code == 500
    assert f'action="/{lang}/search/"' in html and 'name="q"' in html
    assert "Traceback" not in html and "index unreadable" not in html
    assert "index unreadable" in caplog.text  # still logged for the developer


@pytest.mark.django_db
def test_sitemap_and_structured_data_use_the_address_the_site_is_served_on(tree, client, debug):
    page = tree.article()
    sitemap = client.get("/sitemap.xml", HTTP_HOST="help.example.com").content.decode()
    assert "<loc>http://help.example.com/en/" in sitemap
    assert "http://localhost" not in sitemap
    html = client.get(page.url, HTTP_HOST="help.example.com").content.decode()
    assert f"http://help.example.com{page.url}" in html
    assert "http://localhost" not in html
    opensearch = client.get("/opensearch.xml?lang=en", HTTP_HOST="help.example.com")
    assert "http://help.example.com/en/search/" in opensearch.content.decode()
