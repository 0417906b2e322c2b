"""How customers reach a person, per language: phone, opening hours by weekday, holidays and
other channels; and whether the team is open now (for "we are open now / we open at 08:00")."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models
from django.utils import dateformat, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Locale, TranslatableMixin

# Python's weekday numbers; listed from Sunday, the first working day in Israel.
WEEKDAYS = [
    ("6", _("Sunday")),
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
]
# How far ahead "we open on ..." looks for the next opening.
LOOK_AHEAD_DAYS = 14


class OpeningHoursBlock(blocks.StructBlock):
    weekday = blocks.ChoiceBlock(choices=WEEKDAYS, label=_("day"))
    opens = blocks.TimeBlock(label=_("opens"))
    closes = blocks.TimeBlock(label=_("closes"))

    class Meta:
        icon = "time"
        label = _("Opening hours")


class HolidayBlock(blocks.StructBlock):
    date = blocks.DateBlock(label=_("date"))
    name = blocks.CharBlock(label=_("name"), max_length=80)
    opens = blocks.TimeBlock(label=_("opens"), required=False, help_text=_("Empty: closed."))
    closes = blocks.TimeBlock(label=_("closes"), required=False)

    class Meta:
        icon = "date"
        label = _("Holiday")


class ChannelBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("name"), max_length=60, help_text=_("e.g. WhatsApp"))
    address = blocks.CharBlock(
        label=_("link"), max_length=300, help_text=_("e.g. https://wa.me/972501234567")
    )
    note = blocks.CharBlock(label=_("note"), max_length=120, required=False)

    class Meta:
        icon = "link"
        label = _("Other channel")


class ContactDetails(TranslatableMixin, models.Model):
    """One per language, shown on the contact page and used in the site's messages."""

    phone = models.CharField(_("phone"), max_length=40, blank=True)
    opening_hours = StreamField(
        [("hours", OpeningHoursBlock())], blank=True, verbose_name=_("opening hours")
    )
    holidays = StreamField(
        [("holiday", HolidayBlock())],
        blank=True,
        verbose_name=_("holidays"),
        help_text=_("Days with other hours than usual; they replace that weekday's hours."),
    )
    channels = StreamField(
        [("channel", ChannelBlock())], blank=True, verbose_name=_("other channels")
    )

    panels = [
        FieldPanel("phone"),
        FieldPanel("opening_hours"),
        FieldPanel("holidays"),
        FieldPanel("channels"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("contact details")
        verbose_name_plural = _("contact details")

    def __str__(self):
        return f"{gettext('Contact details')} ({self.locale})"

    @classmethod
    def for_language(cls, language_code):
        locale = Locale.objects.filter(language_code=language_code).first()
        return cls.objects.filter(locale=locale).first() if locale else None

    def hours_on(self, day):
        """(opens, closes) times on a date: its holiday's if it has one, else its weekday's."""
        for holiday in self.holidays:
            if holiday.value["date"] == day:
                value = holiday.value
                return [(value["opens"], value["closes"])] if value["opens"] else []
        weekday = str(day.weekday())
        return [
            (b.value["opens"], b.value["closes"])
            for b in self.opening_hours
            if b.value["weekday"] == weekday
        ]

    def weekly_hours(self):
        """[(day name, "08:00–20:00"), ...] from Sunday, for the contact page."""
        by_day = {}
        for b in self.opening_hours:
            by_day.setdefault(b.value["weekday"], []).append(
                f"{b.value['opens']:%H:%M}–{b.value['closes']:%H:%M}"
            )
        return [(name, ", ".join(by_day[value])) for value, name in WEEKDAYS if value in by_day]

    def upcoming_holidays(self, today=None):
        today = today or timezone.localdate()
        return sorted(
            (b.value for b in self.holidays if b.value["date"] >= today), key=lambda v: v["date"]
        )

    def status(self, now=None):
        """Open or closed now, and until or from when; None if no opening hours are set."""
        now = timezone.localtime(now)
        for offset in range(LOOK_AHEAD_DAYS):
            day = now.date() + timedelta(days=offset)
            for opens, closes in sorted(self.hours_on(day)):
                start = timezone.make_aware(datetime.combine(day, opens))
                end = timezone.make_aware(datetime.combine(day, closes))
                if start <= now < end:
                    return OpeningStatus(True, end, now)
                if now < start:
                    return OpeningStatus(False, start, now)
        return None


@dataclass
class OpeningStatus:
    is_open: bool
    change_at: datetime  # closing time when open, the next opening when closed
    now: datetime

    def __str__(self):
        time = dateformat.format(self.change_at, "H:i")
        if self.is_open:
            return gettext("We are open now, until %(time)s.") % {"time": time}
        if self.change_at.date() == self.now.date():
            return gettext("We are closed now; we open at %(time)s.") % {"time": time}
        if self.change_at.date() == self.now.date() + timedelta(days=1):
            return gettext("We are closed now; we open tomorrow at %(time)s.") % {"time": time}
        day = dateformat.format(self.change_at, "l")
        return gettext("We are closed now; we open on %(day)s at %(time)s.") % {
            "day": day,
            "time": time,
        }
