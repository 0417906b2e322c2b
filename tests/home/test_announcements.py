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


@pytest.mark.django_db
def test_planned_work_is_announced_ahead_with_its_dates(tree, client):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    site_zone = ZoneInfo("Asia/Jerusalem")
    # A 3 December always ahead of the test's day, whatever day it runs.
    starts = datetime(timezone.now().year + 1, 12, 3, 1, 0, tzinfo=site_zone)
    en = tree.locales["en"]
    ServiceAnnouncement.objects.create(
        locale=en,
        message="Planned maintenance",
        severity="warning",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        shown_from=timezone.now() - timedelta(minutes=5),
    )
    ServiceAnnouncement.objects.create(
        locale=tree.locales["he"],
        message="תחזוקה מתוכננת",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        shown_from=timezone.now() - timedelta(minutes=5),
    )
    english = client.get("/en/").content.decode()
    hebrew = client.get("/he/").content.decode()
    assert "Planned maintenance" in english
    assert f"{starts:%a} 3 Dec, 01:00–04:00" in english
    assert "announcement--warning" in english
    assert "3 דצמ, 01:00–04:00" in hebrew


def test_a_span_over_midnight_names_both_days():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import translation

    from home.timespans import format_span

    starts = datetime(2026, 12, 2, 22, 0, tzinfo=ZoneInfo("Asia/Jerusalem"))
    with translation.override("en"):
        over_midnight = format_span(starts, starts + timedelta(hours=5))
        assert over_midnight == "Wed 2 Dec, 22:00 – Thu 3 Dec, 03:00"
        assert format_span(starts) == "from Wed 2 Dec, 22:00"
