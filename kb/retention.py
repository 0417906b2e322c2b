"""What the customer side keeps, for how long, and erasing one person's contact requests.

Registered with home.retention in KbConfig.ready().
"""

import re

from django.db.models import Q

from home.redaction import EMAIL
from home.retention import cutoff

from . import abuse
from .contact import ContactRequest
from .feedback import PageFeedback

_TEXT_FIELDS = ("name", "subject", "message", "tried", "staff_notes")


def purge_feedback(now):
    return PageFeedback.objects.filter(
        created_at__lt=cutoff("FEEDBACK_RETENTION_DAYS", now)
    ).delete()[0]


def purge_contact_requests(now):
    old = ContactRequest.objects.filter(
        created_at__lt=cutoff("CONTACT_REQUEST_RETENTION_DAYS", now)
    )
    return old.delete()[0]


def purge_rate_limits(now):
    return abuse.purge_counters(now)


def scrub(text, email):
    return re.sub(re.escape(email), EMAIL, text, flags=re.IGNORECASE)


def erase_contact_requests(email):
    """The person's own requests."""
    return ContactRequest.objects.filter(email__iexact=email.strip()).delete()[0]


def erase_mentions(email):
    """The address where someone else wrote it: other requests, feedback comments."""
    email = email.strip()
    changed = 0
    mentions = Q()
    for field in _TEXT_FIELDS:
        mentions |= Q(**{f"{field}__icontains": email})
    for request in ContactRequest.objects.filter(mentions):
        for field in _TEXT_FIELDS:
            setattr(request, field, scrub(getattr(request, field), email))
        request.save(update_fields=list(_TEXT_FIELDS))
        changed += 1
    for vote in PageFeedback.objects.filter(comment__icontains=email):
        vote.comment = scrub(vote.comment, email)
        vote.save(update_fields=["comment"])
        changed += 1
    return changed
