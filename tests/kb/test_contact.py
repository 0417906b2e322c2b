""" "Still need help?": the contact form starts from what the visit already did, stores the
request, e-mails the team, and keeps everything typed when something is wrong."""

import html as html_lib
import re

import pytest
from django.core import mail
from wagtail.models import Site

from home.models import HelpCenterSettings
from kb import contact as contact_module
from kb.contact import ContactRequest

VALID = {
    "subject": "Payment failed again",
    "message": "My card was declined twice.\nI updated it yesterday.",
    "tried": "Searched for: “payment failed”",
    "email": "dana@example.com",
    "name": "Dana",
}


def field_value(html, name):
    match = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', html, re.S)
    if match:
        return html_lib.unescape(match.group(1))
    tag = re.search(rf'<input[^>]* name="{name}"[^>]*>', html)
    if tag is None:
        return None
    value = re.search(r' value="([^"]*)"', tag.group(0))
    return html_lib.unescape(value.group(1)) if value else ""


@pytest.mark.django_db
def test_the_form_starts_from_what_this_visit_searched_read_and_disliked(tree, client):
    article = tree.article(title="Find your invoice")
    guide = tree.guide(
        [("Open the app", "Tap Payments."), ("Add the debit", "Enter your details.")],
        title="Set up a direct debit",
    )
    client.get("/en/search/", {"q": "invoice"})
    client.get("/en/search/", {"q": "direct   debit"})
    client.get(article.url)
    client.get(guide.url)
    vote = client.post("/api/feedback/", {"page": guide.pk, "helpful": "no", "step": 2}).json()
    client.post("/api/feedback/reason/", {"feedback": vote["id"], "reason": "unclear"})

    tried = field_value(client.get("/en/contact/").content.decode(), "tried")
    lines = tried.splitlines()
    assert lines[0] == "Searched for: “invoice”, “direct debit”"
    assert lines[1] == "Read: Find your invoice (http://testserver/en/billing/find-your-invoice/)"
    assert lines[2].startswith(
        "Not helpful: Set up a direct debit – step 2 of 2 did not work; It is hard to understand"
    )
    assert len(lines) == 3  # the guide is listed once, as not helpful


@pytest.mark.django_db
def test_a_search_that_found_nothing_carries_over_to_the_form(client, tree):
    html = client.get("/en/search/", {"q": "qqxxzz"}).content.decode()
    assert 'href="/en/contact/?q=qqxxzz"' in html
    form = client.get("/en/contact/", {"q": "qqxxzz"}).content.decode()
    assert field_value(form, "subject") == "qqxxzz"
    assert field_value(form, "tried") == "Searched for: “qqxxzz”"


@pytest.mark.django_db
def test_a_sent_request_is_stored_as_written_and_e_mailed_to_the_team(tree, client):
    site = Site.objects.get(is_default_site=True)
    HelpCenterSettings.objects.update_or_create(
        site=site, defaults={"contact_email": "team@example.com"}
    )
    client.get("/en/search/", {"q": "invoice"})

    response = client.post("/en/contact/", VALID)
    assert response.status_code == 302 and response["Location"] == "/en/contact/sent/"
    request = ContactRequest.objects.get()
    assert {k: getattr(request, k) for k in VALID} == VALID
    assert (request.language, request.status, request.email_sent) == ("en", "new", True)
    assert re.fullmatch(r"HC-[A-Z2-9]{6}", request.reference)

    (message,) = mail.outbox
    assert message.to == ["team@example.com"] and message.reply_to == ["dana@example.com"]
    assert message.subject == f"[{request.reference}] Payment failed again"
    assert "I updated it yesterday." in message.body and "“payment failed”" in message.body
    assert f"/admin/snippets/kb/contactrequest/edit/{request.pk}/" in message.body

    thanks = client.get(response["Location"]).content.decode()
    assert request.reference in thanks
    # What was tried has been sent; the next request starts afresh.
    assert field_value(client.get("/en/contact/").content.decode(), "tried") == ""


@pytest.mark.django_db
def test_hebrew_requests_are_stored_in_hebrew_with_a_right_to_left_form(tree, client):
    html = client.get("/he/contact/").content.decode()
    assert '<html lang="he" dir="rtl">' in html
    client.post("/he/contact/", {**VALID, "subject": "התשלום לא עבר"})
    assert ContactRequest.objects.get().language == "he"
    assert mail.outbox[0].subject.endswith("התשלום לא עבר")


@pytest.mark.django_db
def test_the_honeypot_refuses_robots_but_keeps_a_persons_text(tree, client):
    response = client.post("/en/contact/", {**VALID, "homepage": "http://spam.example"})
    assert response.status_code == 400
    assert not ContactRequest.objects.exists() and not mail.outbox
    html = response.content.decode()
    assert field_value(html, "message") == VALID["message"]
    assert field_value(html, "homepage") == ""  # emptied, so sending again works
    assert client.post("/en/contact/", VALID).status_code == 302


@pytest.mark.django_db
def test_mistakes_are_explained_and_nothing_typed_is_lost(tree, client):
    response = client.post("/en/contact/", {**VALID, "email": "not-an-address", "subject": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and 'href="#id_email"' in html and 'href="#id_subject"' in html
    assert 'aria-invalid="true"' in html
    assert field_value(html, "message") == VALID["message"]
    assert field_value(html, "email") == "not-an-address"
    assert not ContactRequest.objects.exists()


@pytest.mark.django_db
def test_many_requests_from_one_address_are_slowed_down(tree, client, monkeypatch):
    monkeypatch.setattr(contact_module, "RATE_LIMIT", (2, 3600))
    assert [client.post("/en/contact/", VALID).status_code for _ in range(3)] == [302, 302, 429]
    assert ContactRequest.objects.count() == 2
    blocked = client.post("/en/contact/", VALID)
    assert field_value(blocked.content.decode(), "message") == VALID["message"]
    other = client.post("/en/contact/", VALID, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302


@pytest.mark.django_db
def test_a_mail_outage_loses_no_request(tree, client, settings):
    settings.EMAIL_BACKEND = "tests.kb.test_contact.BrokenMailBackend"
    response = client.post("/en/contact/", VALID)
    assert response.status_code == 302
    request = ContactRequest.objects.get()
    assert request.email_sent is False and request.message == VALID["message"]


class BrokenMailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


@pytest.mark.django_db
def test_the_thank_you_page_needs_a_sent_request(client, tree):
    response = client.get("/en/contact/sent/")
    assert response.status_code == 302 and response["Location"] == "/en/contact/"


@pytest.mark.django_db
def test_the_team_lists_requests_in_the_admin_and_cannot_invent_them(
    tree, client, django_user_model
):
    client.post("/en/contact/", VALID)
    request = ContactRequest.objects.get()
    client.force_login(django_user_model.objects.create_superuser("lead", "l@example.com", "pw"))

    listing = client.get("/admin/snippets/kb/contactrequest/").content.decode()
    assert request.reference in listing and "Payment failed again" in listing
    assert "/admin/snippets/kb/contactrequest/add/" not in listing

    edit_url = f"/admin/snippets/kb/contactrequest/edit/{request.pk}/"
    edit = client.get(edit_url).content.decode()
    assert "My card was declined twice." in edit
    client.post(edit_url, {"status": "answered", "staff_notes": "Called her back."})
    request.refresh_from_db()
    assert (request.status, request.staff_notes, request.message) == (
        "answered",
        "Called her back.",
        VALID["message"],
    )
