"""Background work of the knowledge base: e-mailing contact requests to the team."""

import logging

from django_tasks import task

from . import contact

logger = logging.getLogger(__name__)


@task()
def send_contact_request(pk):
    return contact.send_notification(pk)


@task()
def send_unsent_contact_requests():
    """Retry every request whose e-mail is due again (a periodic job of the worker)."""
    sent = 0
    for pk in contact.unsent().order_by("created_at").values_list("pk", flat=True)[:100]:
        try:
            sent += contact.send_notification(pk)
        except Exception:  # noqa: BLE001 (recorded on the request, with its next attempt)
            break  # the mail server is likely down for the others too
    return sent
