"""Contact requests ("Still need help?"): customers reach a person with what they tried.

A request is stored before any e-mail goes out, so a mail server that is down loses nothing;
the team sees every request in the admin either way. The e-mail is a background task; a
request counts as e-mailed only once the mail server accepted it, and the worker tries
again, less and less often, until it does (the tasks at the end of this module).

What the customer writes here is their own message to a person, so it is kept as written
(they may well give a phone number to be called back); it is kept only for
CONTACT_REQUEST_RETENTION_DAYS and can be erased on request (home.retention). The "what you
already tried" text the form starts from is built from the visit's memory, which holds
searches only in redacted form.
"""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from wagtail.models import Site

from home.models import HelpCenterSettings

from . import abuse

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 5000
MAX_TRIED_CHARS = 5000
# Per sender address: enough for a customer who sends a correction, not for a flood.
RATE_LIMIT = (5, 3600)
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
# Retries: a minute after the first failure, doubling, at most every six hours.
FIRST_RETRY = timedelta(minutes=1)
LAST_RETRY = timedelta(hours=6)
# How long one attempt may hold a request before another may try it.
SEND_LEASE = timedelta(minutes=5)


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
    email_attempts = models.PositiveIntegerField(_("e-mail attempts"), default=0, editable=False)
    email_error = models.CharField(
        _("last e-mail error"), max_length=200, blank=True, editable=False
    )
    email_retry_at = models.DateTimeField(null=True, editable=False, db_index=True)
    site = models.ForeignKey(Site, null=True, on_delete=models.SET_NULL, editable=False)
    client = models.CharField(max_length=32, editable=False, db_index=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("contact request")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.reference} {self.subject}"


def retry_delay(attempts):
    return min(LAST_RETRY, FIRST_RETRY * 2 ** max(0, min(attempts, 20) - 1))


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
    contact.site = site
    contact.save()
    # Queued with the request itself (the database backend stores both in one transaction);
    # without a worker it runs right here.
    send_contact_request.enqueue(contact.pk)
    return contact


def unsent(now=None):
    """Requests whose e-mail is due to be tried (again)."""
    return ContactRequest.objects.filter(email_sent=False).exclude(
        email_retry_at__gt=now or timezone.now()
    )


def send_notification(pk):
    """E-mail the team about one stored request, unless it is sent or being sent already.

    Returns True once the mail server has accepted it; a failure is recorded on the request
    (staff see it) with the time of the next attempt, and raised.
    """
    now = timezone.now()
    # Claim it: of two workers (or a worker and a retry) only one sends.
    if not unsent(now).filter(pk=pk).update(email_retry_at=now + SEND_LEASE):
        return ContactRequest.objects.filter(pk=pk, email_sent=True).exists()
    contact = ContactRequest.objects.select_related("site").get(pk=pk)
    to = recipients(contact.site or Site.objects.filter(is_default_site=True).first())
    try:
        if not to:
            raise ValueError("no recipients: set the contact e-mail in the site settings")
        with translation.override(settings.LANGUAGE_CODE):
            _notification(contact, to).send()
    except Exception as err:
        attempts = contact.email_attempts + 1
        ContactRequest.objects.filter(pk=pk).update(
            email_attempts=attempts,
            email_error=f"{type(err).__name__}: {err}"[:200],
            email_retry_at=timezone.now() + retry_delay(attempts),
        )
        logger.warning("Could not e-mail contact request %s: %s", contact.reference, err)
        raise
    ContactRequest.objects.filter(pk=pk).update(
        email_sent=True,
        email_attempts=contact.email_attempts + 1,
        email_error="",
        email_retry_at=None,
    )
    return True


@task()
def send_contact_request(pk):
    return send_notification(pk)


@task()
def send_unsent_contact_requests():
    """Retry every request whose e-mail is due again (a periodic job of the worker)."""
    sent = 0
    for pk in unsent().order_by("created_at").values_list("pk", flat=True)[:100]:
        try:
            sent += send_notification(pk)
        except Exception:  # noqa: BLE001 (recorded on the request, with its next attempt)
            break  # the mail server is likely down for the others too
    return sent
