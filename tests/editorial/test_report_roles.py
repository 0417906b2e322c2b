"""Who sees what customers tell us: as the README's roles table says."""

import pytest

from .conftest import client_for

HELPFULNESS = "/admin/reports/helpfulness/"
FEEDBACK = "/admin/snippets/kb/pagefeedback/"
CONTACT = "/admin/snippets/kb/contactrequest/"


@pytest.mark.django_db
def test_search_managers_read_feedback_but_not_contact_requests(search_manager):
    client = client_for(search_manager)
    assert client.get(HELPFULNESS).status_code == 200
    assert client.get(FEEDBACK).status_code == 200
    refused = client.get(CONTACT)
    assert refused.status_code == 403
    assert "Reviewers handle contact requests" in refused.content.decode()


@pytest.mark.django_db
def test_reviewers_handle_contact_requests_and_read_feedback(reviewer):
    client = client_for(reviewer)
    assert [client.get(url).status_code for url in (HELPFULNESS, FEEDBACK, CONTACT)] == [200] * 3


@pytest.mark.django_db
def test_editors_are_told_plainly_they_have_no_access(editor):
    client = client_for(editor)
    assert [client.get(url).status_code for url in (HELPFULNESS, FEEDBACK, CONTACT)] == [403] * 3


@pytest.mark.django_db
def test_search_managers_have_one_search_menu(search_manager):
    html = client_for(search_manager).get("/admin/").content.decode()
    assert '"label": "Search tuning"' in html or "Search tuning" in html
