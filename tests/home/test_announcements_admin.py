"""Editors post service announcements in the admin; the list says what is live now."""

import pytest
from django.contrib.auth.models import Group

from editorial.roles import EDITORS
from home.models import ServiceAnnouncement

ADD = "/admin/snippets/home/serviceannouncement/add/"


@pytest.fixture
def editor_client(tree, client, django_user_model):
    user = django_user_model.objects.create_user("erin", "erin@example.com", "pw-for-tests-1")
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return client


def form(message, starts, ends=""):
    return {
        "message": message,
        "severity": "outage",
        "link": "",
        "starts_at": starts,
        "ends_at": ends,
        "locale": "",
    }


@pytest.mark.django_db
def test_editor_posts_an_announcement_and_sees_it_live_in_the_list(editor_client):
    response = editor_client.post(ADD, form("Outage in the north", "2020-01-01 08:00"))
    assert response.status_code == 302
    assert ServiceAnnouncement.objects.get().message == "Outage in the north"
    listing = editor_client.get("/admin/snippets/home/serviceannouncement/").content.decode()
    for heading in ("Severity", "Starts at", "Ends at", "Live now", "Language"):
        assert heading in listing
    assert "Outage" in listing and "English" in listing


@pytest.mark.django_db
def test_an_end_before_the_start_is_refused(editor_client):
    response = editor_client.post(
        ADD, form("Outage in the north", "2030-01-02 08:00", "2030-01-01 08:00")
    )
    assert response.status_code == 200
    assert "The end must come after the start." in response.content.decode()
    assert not ServiceAnnouncement.objects.exists()
