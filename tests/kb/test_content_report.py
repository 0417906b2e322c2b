"""Reports -> Content after a scripted visit in each language: reads (bots not counted), a
"not helpful" with its reason and a contact request that followed; table, CSV, dashboard."""

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from home.models import PageViewDay

READER = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile Safari/604.1"}
BOT = {"HTTP_USER_AGENT": "Googlebot/2.1 (+http://www.google.com/bot.html)"}
CONTACT = {
    "subject": "Still broken",
    "message": "It does not work.",
    "tried": "",
    "email": "dana@example.com",
}


def open_from_search(client, lang, page):
    """Search for the page's title and open it from the results, as a reader would."""
    html = client.get(f"/{lang}/search/", {"q": page.title}, **READER).content.decode()
    links = [h.replace("&amp;", "&") for h in re.findall(r'href="(/go/[^"]+)"', html)]
    click = next(link for link in links if parse_qs(urlsplit(link).query)["to"] == [page.url])
    client.get(click, **READER)


def scripted_visit(client, page, lang):
    open_from_search(client, lang, page)
    client.get(page.url, **READER)
    client.get(page.url, **READER)
    client.get(page.url, **BOT)
    client.head(page.url, **READER)
    vote = client.post("/api/feedback/", {"page": page.pk, "helpful": "no"}).json()
    client.post("/api/feedback/reason/", {"feedback": vote["id"], "reason": "unclear"})
    response = client.post(f"/{lang}/contact/", CONTACT)
    assert response.status_code == 302


@pytest.fixture
def manager(client, django_user_model):
    user = django_user_model.objects.create_superuser("manager", "m@example.com", "pw")
    return user


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "title", "unclear"),
    [("en", "Find your invoice", "unclear"), ("he", "איפה החשבונית", "")],
)
def test_a_scripted_visit_gives_the_expected_figures(tree, client, manager, lang, title, unclear):
    page = tree.article(title=title, summary="Short answer.", lang=lang)
    other = tree.article(title=f"{title} 2", summary="Short answer.", lang=lang)
    client.get(other.url, **READER)
    client.post(f"/{lang}/contact/", CONTACT)  # visit 1 ends in a contact request after `other`
    client.cookies.clear()
    open_from_search(client, lang, page)
    client.cookies.clear()
    scripted_visit(client, page, lang)

    row = PageViewDay.objects.get(page_id=page.pk)
    assert (row.views, row.contact_requests) == (2, 1)

    client.force_login(manager)
    html = client.get("/admin/reports/content/", {"language": lang}).content.decode()
    assert title in html
    assert "3 views, 2 contact requests after a read" in html

    export = client.get("/admin/reports/content/", {"language": lang, "export": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    by_title = {r["title"]: r for r in rows}
    assert by_title[title]["views"] == "2"
    assert by_title[title]["contact_requests"] == "1"
    assert by_title[title]["votes"] == "1"
    assert by_title[title]["helpful_ratio"] == "0.00"
    assert by_title[title]["not_helpful_reasons"].endswith(": 1")
    assert by_title[title]["search_opens"] == "2"
    assert by_title[title]["searches"] == f"“{title}” (2)"
    assert by_title[f"{title} 2"]["views"] == "1"

    per_language = client.get(
        "/admin/reports/content/", {"group": "language", "export": "csv"}
    ).content.decode("utf-8-sig")
    assert f"{lang},{lang},3,2" in per_language

    dashboard = client.get("/admin/").content.decode()
    assert "Pages that most often end in a contact request" in dashboard
    assert title in dashboard


@pytest.mark.django_db
def test_the_content_report_needs_permission(client, django_user_model):
    user = django_user_model.objects.create_user("editor", "e@example.com", "pw", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/reports/content/").status_code in (302, 403)
