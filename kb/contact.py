"""Contact requests ("Still need help?"): customers reach a person with what they tried.

A request is stored before any e-mail goes out, so a mail server that is down loses nothing;
the team sees every request in the admin either way.

What the customer writes here is their own message to a person, so it is kept as written
(they may well give a phone number to be called back); it is kept only for
CONTACT_REQUEST_RETENTION_DAYS and can be erased on request (home.retention). The "what you
already tried" text the form starts from is built from the visit's memory, which holds
searches only in redacted form.
"""

import logging
import secrets

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from home.models import HelpCenterSettings

from . import abuse

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 5000
MAX_TRIED_CHARS = 5000
# Per sender address: enough for a customer who sends a correction, not for a flood.
RATE_LIMIT = (5, 3600)
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class ContactLimitExceeded(Exception):
    pass


def new_reference():
    return "HC-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


class ContactRequest(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")
        SPAM = "spam", _("Spam")

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"))
    subject = models.CharField(_("subject"), max_length=200)
    message = models.TextField(_("message"), max_length=MAX_MESSAGE_CHARS)
    tried = models.TextField(_("what they already tried"), max_length=MAX_TRIED_CHARS, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    staff_notes = models.TextField(_("staff notes"), blank=True)
    email_sent = models.BooleanField(_("e-mail sent"), default=False, editable=False)
    client = models.CharField(max_length=32, editable=False, db_index=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("contact request")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.reference} {self.subject}"


def recipients(site):
    """Who receives requests: the site's contact e-mail, else CONTACT_REQUEST_RECIPIENTS."""
    configured = HelpCenterSettings.for_site(site).contact_email if site else ""
    return [configured] if configured else list(settings.CONTACT_REQUEST_RECIPIENTS)


def _notification(contact, to):
    """The e-mail to the team, in the site's main language whatever the customer's."""
    admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "wagtailsnippets_kb_contactrequest:edit", args=[contact.pk]
    )
    body = "\n\n".join(
        part
        for part in (
            f"{contact.name or '-'} <{contact.email}> ({contact.get_language_display()})",
            contact.message,
            f"--- {gettext('What they already tried')} ---\n{contact.tried}"
            if contact.tried
            else "",
            admin_url,
        )
        if part
    )
    return EmailMessage(
        subject=f"[{contact.reference}] {contact.subject}",
        body=body,
        to=to,
        reply_to=[contact.email],
    )


def submit(data, language, client, site=None):
    """Store a request and notify the team; returns the stored request."""
    if not abuse.take("contact", client, *RATE_LIMIT):
        raise ContactLimitExceeded
    contact = ContactRequest(language=language, client=client, **data)
    contact.reference = new_reference()
    while ContactRequest.objects.filter(reference=contact.reference).exists():
        contact.reference = new_reference()
    contact.save()
    to = recipients(site)
    if to:
        try:
            with translation.override(settings.LANGUAGE_CODE):
                sent = _notification(contact, to).send()
        except Exception:  # noqa: BLE001 (the request is stored; a mail outage must not lose it)
            logger.exception("Could not e-mail contact request %s", contact.reference)
            sent = 0
        if sent:
            ContactRequest.objects.filter(pk=contact.pk).update(email_sent=True)
            contact.email_sent = True
    return contact
