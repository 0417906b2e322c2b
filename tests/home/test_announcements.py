from datetime import timedelta

import pytest
from django.utils import timezone

from home.models import ServiceAnnouncement


@pytest.mark.django_db
def test_only_current_announcements_in_the_page_language_are_shown(tree, client):
    now = timezone.now()
    he, en = tree.locales["he"], tree.locales["en"]
    ServiceAnnouncement.objects.create(
        locale=en,
        message="Planned maintenance tonight",
        severity="warning",
        starts_at=now - timedelta(hours=1),
    )
    ServiceAnnouncement.objects.create(
        locale=en,
        message="Old outage is over",
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=1),
    )
    ServiceAnnouncement.objects.create(
        locale=en, message="Next month's change", starts_at=now + timedelta(days=30)
    )
    ServiceAnnouncement.objects.create(
        locale=he,
        message="עבודות תחזוקה הלילה",
        severity="outage",
        starts_at=now - timedelta(hours=1),
    )

    english = client.get("/en/").content.decode()
    hebrew = client.get("/he/").content.decode()

    assert "Planned maintenance tonight" in english
    assert "Old outage is over" not in english
    assert "Next month&#x27;s change" not in english and "Next month's change" not in english
    assert "עבודות תחזוקה הלילה" not in english
    assert "עבודות תחזוקה הלילה" in hebrew
    assert "Planned maintenance tonight" not in hebrew


@pytest.mark.django_db
def test_outages_come_before_information(tree):
    now = timezone.now()
    en = tree.locales["en"]
    ServiceAnnouncement.objects.create(
        locale=en, message="info", severity="info", starts_at=now - timedelta(hours=2)
    )
    ServiceAnnouncement.objects.create(
        locale=en, message="outage", severity="outage", starts_at=now - timedelta(hours=3)
    )
    assert [a.message for a in ServiceAnnouncement.active_for_language("en")] == ["outage", "info"]
