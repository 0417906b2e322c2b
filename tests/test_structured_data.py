"""What search engines and browsers learn about the help center: schema.org JSON-LD on help
pages, a sitemap of both languages, an OpenSearch description and robots.txt."""

import json
import re
from xml.etree import ElementTree

import pytest


def json_ld(html):
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(script)


@pytest.mark.django_db
def test_faq_pages_describe_each_question_and_its_answer(tree, client):
    page = tree.faq(
        [
            ("How do I pay?", "By <b>card</b> or transfer."),
            ("Where is my invoice?", "In My account."),
        ]
    )
    data = json_ld(client.get(page.url).content.decode())
    assert (data["@context"], data["@type"], data["inLanguage"]) == (
        "https://schema.org",
        "FAQPage",
        "en",
    )
    first = data["mainEntity"][0]
    assert first["@type"] == "Question" and first["name"] == "How do I pay?"
    assert first["acceptedAnswer"] == {"@type": "Answer", "text": "By card or transfer."}
    anchor = page.questions()[0][0]
    assert first["url"].endswith(f"{page.url}#{anchor}")


@pytest.mark.django_db
def test_guides_are_how_tos_with_numbered_steps(tree, client):
    page = tree.guide(
        [("Open the app", "Tap <i>Payments</i>."), ("Add a direct debit", "Enter the details.")]
    )
    data = json_ld(client.get(page.url).content.decode())
    assert data["@type"] == "HowTo" and data["totalTime"] == "PT4M"
    assert [(s["position"], s["name"], s["text"]) for s in data["step"]] == [
        (1, "Open the app", "Tap Payments."),
        (2, "Add a direct debit", "Enter the details."),
    ]
    assert data["step"][1]["url"].endswith("#step-2")


@pytest.mark.django_db
def test_videos_describe_the_file_transcript_and_chapters(tree, client):
    page = tree.video()
    data = json_ld(client.get(page.url).content.decode())
    assert data["@type"] == "VideoObject" and data["duration"] == "PT9S"
    assert data["contentUrl"].startswith("http://testserver/media/") and data[
        "contentUrl"
    ].endswith(".webm")
    assert data["transcript"] == "Unplug the router and wait."
    assert data["uploadDate"] and data["description"] == "Watch how to restart the router."
    assert data["hasPart"] == [
        {
            "@type": "Clip",
            "name": "Wait",
            "startOffset": 3,
            "endOffset": 9,
            "url": data["url"] + "#t=3",
        }
    ]


@pytest.mark.django_db
def test_text_from_editors_cannot_break_out_of_the_script(tree, client):
    page = tree.article(title="</script><script>alert(1)</script>", summary="Use <b> & </b>")
    html = client.get(page.url).content.decode()
    assert "</script><script>alert(1)" not in html
    data = json_ld(html)
    assert data["@type"] == "Article" and data["name"] == "</script><script>alert(1)</script>"


@pytest.mark.django_db
def test_the_sitemap_lists_both_languages_and_links_translations(tree, client):
    english = tree.article(title="Find your invoice")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own response)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locations = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    assert any(loc.endswith("/en/") for loc in locations) and any(
        loc.endswith("/he/") for loc in locations
    )
    assert any(loc.endswith(english.url) for loc in locations)
    home = next(u for u in root.findall("s:url", ns) if u.find("s:loc", ns).text.endswith("/en/"))
    assert {link.get("hreflang") for link in home.findall("x:link", ns)} == {"en", "he"}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "he"])
def test_browsers_can_add_the_help_center_as_a_search_engine(tree, client, lang):
    html = client.get(f"/{lang}/").content.decode()
    link = f'type="application/opensearchdescription+xml" href="/opensearch.xml?lang={lang}"'
    assert f'rel="search" {link}' in html

    response = client.get("/opensearch.xml", {"lang": lang})
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own response)
    ns = {"o": "http://a9.com/-/spec/opensearch/1.1/"}
    assert root.find("o:ShortName", ns).text == f"Help {lang}"
    assert root.find("o:Language", ns).text == lang
    template = root.find("o:Url[@type='text/html']", ns).get("template")
    assert template == f"http://testserver/{lang}/search/?q={{searchTerms}}"


@pytest.mark.django_db
def test_an_unknown_language_gets_no_search_description(client):
    assert client.get("/opensearch.xml", {"lang": "xx"}).status_code == 400
    assert client.post("/opensearch.xml").status_code == 405


@pytest.mark.django_db
def test_robots_keep_crawlers_out_of_search_results_and_point_at_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /en/search/" in text and "Disallow: /he/search/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
