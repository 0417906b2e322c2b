"""How long stored data is kept, and erasing what is held about one person.

Each app that stores something registers, in its ``AppConfig.ready()``, a purge function
(deletes what is older than its retention setting) and, when it holds anything tied to a
contact e-mail address, an erase function. ``manage.py purge_expired`` (run by the
background worker) calls every purge function; ``manage.py erase_personal_data EMAIL`` and
the admin's "Erase personal data" call every erase function and keep a record that it was
done, which names the address only by a keyed hash: the record must not itself hold it.
"""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_purgers = {}
_erasers = {}


def register_purger(name, purge):
    """``purge(now)`` deletes expired data and returns how many rows went."""
    _purgers[name] = purge


def register_eraser(name, erase):
    """``erase(email)`` deletes or scrubs what is held about ``email``; returns a count."""
    _erasers[name] = erase


def retention_days(setting):
    return max(1, int(getattr(settings, setting)))


def cutoff(setting, now=None):
    """The moment before which data kept for ``setting`` days has expired."""
    return (now or timezone.now()) - timedelta(days=retention_days(setting))


def purge_expired_sessions(now):
    """Server sessions past their expiry (staff logins; customers get none)."""
    from django.contrib.sessions.models import Session

    return Session.objects.filter(expire_date__lt=now).delete()[0]


def purge_expired(now=None):
    """Run every purge; returns ``{name: rows deleted}``."""
    now = now or timezone.now()
    return {name: purge(now) for name, purge in sorted(_purgers.items())}


def email_digest(email):
    """A keyed hash of the address: proves a later request concerns the same address,
    reveals nothing to someone who reads the record."""
    normalised = email.strip().casefold().encode()
    return hmac.new(
        settings.SECRET_KEY.encode(), b"erasure:" + normalised, hashlib.sha256
    ).hexdigest()


class ErasureRecord(models.Model):
    """That everything held about one e-mail address was erased, when, by whom, and how
    much; never the address itself."""

    email_digest = models.CharField(_("e-mail address (keyed hash)"), max_length=64, db_index=True)
    erased_at = models.DateTimeField(_("erased at"), default=timezone.now)
    requested_by = models.CharField(_("done by"), max_length=150, blank=True)
    counts = models.JSONField(_("what was erased"), default=dict)

    class Meta:
        verbose_name = _("personal data erasure")
        ordering = ["-erased_at"]

    def __str__(self):
        return f"{self.erased_at:%Y-%m-%d} {self.email_digest[:12]}"

    @property
    def total(self):
        return sum(self.counts.values())


def erase_person(email, requested_by=""):
    """Erase everything held about ``email`` in every app; returns the record written."""
    counts = {name: erase(email) for name, erase in sorted(_erasers.items())}
    return ErasureRecord.objects.create(
        email_digest=email_digest(email), requested_by=requested_by, counts=counts
    )
