"""Contact details per language: phone, opening hours with holidays, other channels, and
"we are open now / we open at 08:00" on the contact page."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from home.contact_details import ContactDetails

ZONE = ZoneInfo("Asia/Jerusalem")
WORK_WEEK = {"6": "08:00", "0": "08:00", "1": "08:00", "2": "08:00", "3": "08:00"}


def details(locale, holidays=()):
    hours = [
        {"type": "hours", "value": {"weekday": day, "opens": opens, "closes": "20:00"}}
        for day, opens in WORK_WEEK.items()
    ]
    hours.append({"type": "hours", "value": {"weekday": "4", "opens": "08:00", "closes": "13:00"}})
    return ContactDetails.objects.create(
        locale=locale,
        phone="*3030",
        opening_hours=hours,
        holidays=[{"type": "holiday", "value": h} for h in holidays],
        channels=[
            {
                "type": "channel",
                "value": {"label": "WhatsApp", "address": "https://wa.me/1", "note": ""},
            }
        ],
    )


def at(*args):
    return datetime(*args, tzinfo=ZONE)


@pytest.mark.django_db
def test_open_now_or_when_we_open_next(tree):
    contact = details(tree.locales["en"])
    with translation.override("en"):
        # Wednesday 2 December 2026
        assert str(contact.status(at(2026, 12, 2, 10, 0))) == "We are open now, until 20:00."
        assert str(contact.status(at(2026, 12, 2, 7, 30))) == "We are closed now; we open at 08:00."
        assert str(contact.status(at(2026, 12, 2, 21, 0))) == (
            "We are closed now; we open tomorrow at 08:00."
        )
        # Friday afternoon: next is Sunday.
        assert str(contact.status(at(2026, 12, 4, 14, 0))) == (
            "We are closed now; we open on Sunday at 08:00."
        )


@pytest.mark.django_db
def test_a_holiday_replaces_its_weekday(tree):
    holiday = {"date": date(2026, 12, 3), "name": "Staff day", "opens": None, "closes": None}
    contact = details(tree.locales["en"], [holiday])
    with translation.override("en"):
        assert str(contact.status(at(2026, 12, 2, 21, 0))) == (
            "We are closed now; we open on Friday at 08:00."
        )


@pytest.mark.django_db
def test_the_contact_page_shows_phone_hours_and_channels_in_its_language(tree, client):
    details(tree.locales["en"])
    details(tree.locales["he"]).__class__.objects.filter(locale=tree.locales["he"]).update(
        phone="*3031"
    )
    english = client.get("/en/contact/").content.decode()
    hebrew = client.get("/he/contact/").content.decode()
    assert "*3030" in english and "*3031" not in english
    assert "*3031" in hebrew
    assert "Opening hours" in english and "Sunday" in english and "08:00–20:00" in english
    assert "WhatsApp" in english
    assert "שעות פעילות" in hebrew and "ראשון" in hebrew
    assert ("We are open now" in english) or ("We are closed now" in english)
    assert ("פתוחים עכשיו" in hebrew) or ("סגורים עכשיו" in hebrew)
