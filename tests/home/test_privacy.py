"""What customers type is kept redacted, only for its retention period, and everything held
about one person can be erased on request, with a record that names nobody."""

import csv
import io
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from home.retention import ErasureRecord, email_digest
from kb.abuse import RateLimitCounter
from kb.contact import ContactRequest
from kb.feedback import PageFeedback
from search.models import SearchClick, SearchQueryLog, SearchTerm

ADDRESS = "Dana.Levi@Example.com"


def contact_request(email, message="Please call me.", days_ago=0, **fields):
    request = ContactRequest.objects.create(
        reference=f"HC-{ContactRequest.objects.count():06d}",
        email=email,
        subject="Refund",
        message=message,
        language="en",
        client="c",
        **fields,
    )
    ContactRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return request


def logged_search(query, days_ago=0):
    when = timezone.now() - timedelta(days=days_ago)
    log = SearchQueryLog.objects.create(
        query=query,
        normalized=query,
        locale="en",
        result_count=1,
        session_key="s",
        created_at=when,
        updated_at=when,
    )
    SearchClick.objects.create(log=log, rank=1, url="/en/billing/x/", created_at=when)
    return log


@pytest.mark.django_db
def test_a_feedback_comment_is_stored_without_the_personal_data_in_it(tree, client):
    page = tree.article()
    client.post("/en/feedback/", {"page": page.pk, "helpful": "no"})
    vote = PageFeedback.objects.get()
    client.post(
        "/en/feedback/reason/",
        {
            "feedback": vote.pk,
            "reason": "other",
            "comment": "Still broken, call me on 050-1234567 or dana@example.com. ת.ז. 123456782",
        },
    )
    vote.refresh_from_db()
    assert vote.comment == "Still broken, call me on [phone] or [email]. ת.ז. [id]"


@pytest.mark.django_db
def test_purge_deletes_what_is_older_than_each_retention(tree, settings):
    settings.FEEDBACK_RETENTION_DAYS = 30
    settings.CONTACT_REQUEST_RETENTION_DAYS = 60
    settings.SEARCH_LOG_RETENTION_DAYS = 90
    settings.SEARCH_CLICK_RETENTION_DAYS = 20
    page = tree.article()
    old_vote = PageFeedback.objects.create(page_id=page.pk, helpful=True, language="en", client="c")
    PageFeedback.objects.filter(pk=old_vote.pk).update(
        created_at=timezone.now() - timedelta(days=31)
    )
    PageFeedback.objects.create(page_id=page.pk, helpful=False, language="en", client="c")
    contact_request("old@example.com", days_ago=61)
    contact_request("new@example.com", days_ago=59)
    logged_search("old search", days_ago=91)
    logged_search("clicked a while ago", days_ago=25)
    logged_search("today")
    RateLimitCounter.objects.create(
        scope="contact", client="c", window_start=timezone.now() - timedelta(days=2), count=5
    )

    out = StringIO()
    call_command("purge_expired", stdout=out)

    assert list(PageFeedback.objects.values_list("helpful", flat=True)) == [False]
    assert list(ContactRequest.objects.values_list("email", flat=True)) == ["new@example.com"]
    assert set(SearchQueryLog.objects.values_list("query", flat=True)) == {
        "clicked a while ago",
        "today",
    }
    assert list(SearchClick.objects.values_list("log__query", flat=True)) == ["today"]
    assert not RateLimitCounter.objects.exists()
    assert "feedback: 1 deleted" in out.getvalue()
    assert "contact_requests: 1 deleted" in out.getvalue()


@pytest.mark.django_db
def test_erasing_one_address_removes_everything_held_about_it(tree):
    page = tree.article()
    contact_request(ADDRESS)
    contact_request(ADDRESS.lower(), message="Second try")
    kept = contact_request("other@example.com", message=f"My wife {ADDRESS} asked too.")
    vote = PageFeedback.objects.create(
        page_id=page.pk, helpful=False, language="en", client="c", comment=f"mail {ADDRESS.upper()}"
    )
    log = logged_search(f"refund {ADDRESS}")  # logged before redaction covered it
    SearchTerm.objects.create(locale="en", normalized="refund", samples=[f"refund {ADDRESS}"])

    out = StringIO()
    call_command("erase_personal_data", ADDRESS.upper(), stdout=out)

    assert list(ContactRequest.objects.values_list("pk", flat=True)) == [kept.pk]
    kept.refresh_from_db()
    vote.refresh_from_db()
    log.refresh_from_db()
    assert kept.message == "My wife [email] asked too."
    assert vote.comment == "mail [email]"
    assert log.query == "refund [email]"
    assert SearchTerm.objects.get().samples == ["refund [email]"]

    record = ErasureRecord.objects.get()
    assert record.email_digest == email_digest(ADDRESS)
    assert record.counts["contact_requests"] == 2 and record.total == 6
    stored = str(
        list(ErasureRecord.objects.values_list("email_digest", "requested_by", "counts"))
    ).casefold()
    assert "dana" not in stored and "example" not in stored
    assert "Recorded as erasure" in out.getvalue()


@pytest.mark.django_db
def test_erasing_needs_an_address():
    with pytest.raises(CommandError):
        call_command("erase_personal_data", "not an address")
    assert not ErasureRecord.objects.exists()


@pytest.mark.django_db
def test_an_administrator_erases_a_person_from_the_admin(tree, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    contact_request(ADDRESS)
    staff = Client()
    staff.force_login(admin)
    page = staff.get("/admin/erase-personal-data/")
    assert page.status_code == 200 and "Erase personal data" in page.content.decode()

    refused = staff.post("/admin/erase-personal-data/", {"email": ADDRESS})
    assert refused.status_code == 200 and ContactRequest.objects.exists()  # not confirmed

    done = staff.post(
        "/admin/erase-personal-data/", {"email": ADDRESS, "confirm": "on"}, follow=True
    )
    html = done.content.decode()
    assert not ContactRequest.objects.exists()
    assert "Erased: 1 records" in html
    assert ErasureRecord.objects.get().requested_by == "admin"
    assert "dana" not in html.casefold()


@pytest.mark.django_db
def test_editors_cannot_erase(tree, django_user_model):
    from django.contrib.auth.models import Group

    editor = django_user_model.objects.create_user("erin", "erin@example.org", "pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    staff = Client()
    staff.force_login(editor)
    assert staff.get("/admin/erase-personal-data/").status_code == 403
    assert "erase-personal-data" not in staff.get("/admin/").content.decode()


@pytest.mark.django_db
def test_exports_never_carry_personal_data_logged_before_redaction(
    tree, django_user_model, settings
):
    settings.SEARCH_INSIGHTS_REFRESH_SECONDS = 0
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    SearchTerm.objects.create(
        locale="en", normalized="refund", samples=["refund call 050 123 4567"]
    )
    logged_search("refund call 050 123 4567")
    SearchQueryLog.objects.update(result_count=0)
    staff = Client()
    staff.force_login(admin)
    response = staff.get("/admin/reports/failed-searches/", {"export": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert "1234567" not in body.replace(" ", "")
    assert rows and all("[phone]" in row["Search"] for row in rows)
