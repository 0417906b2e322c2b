"""A visit is remembered in a signed cookie, not a server session: reading and searching write
no session row; what is remembered is redacted, small, expires, and the customer can see and
clear it on the contact form."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client

from home import visit

from ..kb.test_contact import field_value


def remembered(client):
    return signing.loads(client.cookies[visit.COOKIE].value, salt=visit.SALT)


@pytest.mark.django_db
def test_reading_and_searching_create_no_session(tree, client):
    article = tree.article(title="Find your invoice")
    home = Client().get("/en/")
    assert home.status_code == 200 and not home.cookies
    assert "Cookie" not in home.get("Vary", "")  # a shared cache may keep it for everyone
    for response in (
        client.get(article.url),
        client.get("/en/search/", {"q": "invoice"}),
        client.get("/api/search/", {"q": "invoice", "lang": "en"}),
    ):
        assert response.status_code == 200
        assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0
    data = remembered(client)
    assert data["searches"] == ["invoice"]
    assert [p["title"] for p in data["pages"]] == ["Find your invoice"]


@pytest.mark.django_db
def test_what_a_customer_typed_is_redacted_before_it_is_remembered(tree, client):
    client.get("/en/search/", {"q": "refund dana@example.com 050-1234567"})
    assert remembered(client)["searches"] == ["refund [email] [phone]"]
    tried = field_value(client.get("/en/contact/").content.decode(), "tried")
    assert "dana" not in tried and "1234567" not in tried


@pytest.mark.django_db
def test_the_cookie_stays_small_and_keeps_the_latest(tree, client):
    for n in range(40):
        client.get("/en/search/", {"q": f"question number {n} " + "about invoices " * 12})
    value = client.cookies[visit.COOKIE].value
    assert len(value) <= visit.MAX_COOKIE_BYTES
    searches = remembered(client)["searches"]
    assert searches and searches[-1].startswith("question number 39")


@pytest.mark.django_db
def test_a_forged_or_old_cookie_is_ignored(tree, client, monkeypatch):
    client.get("/en/search/", {"q": "invoice"})
    forged = Client()
    forged.cookies[visit.COOKIE] = client.cookies[visit.COOKIE].value[:-3] + "abc"
    assert field_value(forged.get("/en/contact/").content.decode(), "tried") == ""
    assert "invoice" in field_value(client.get("/en/contact/").content.decode(), "tried")
    later = time.time() + visit.VISIT_SECONDS + 60
    monkeypatch.setattr(visit.time, "time", lambda: later)
    assert field_value(client.get("/en/contact/").content.decode(), "tried") == ""


@pytest.mark.django_db
def test_the_customer_sees_and_clears_what_the_visit_remembers(tree, client):
    client.get("/en/search/", {"q": "invoice"})
    page = client.get("/en/contact/").content.decode()
    assert "Searched for: “invoice”" in field_value(page, "tried")
    assert "Forget what this visit remembers" in page
    response = client.post("/en/contact/forget/")
    assert response.status_code == 302 and response["Location"] == "/en/contact/"
    assert client.cookies[visit.COOKIE].value == ""
    page = client.get("/en/contact/").content.decode()
    assert field_value(page, "tried") == ""
    assert "Forget what this visit remembers" not in page
