"""Spam and abuse protection without third-party services: rate limits counted in our own
tables, and a honeypot field that people never see.
"""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

HONEYPOT_FIELD = "homepage"


def client_key(request):
    """A stable pseudonym for the sender's address: enough to count their submissions,
    useless for finding out who they are. Only the address the connection came from is
    trusted; a proxy in front of the site must set REMOTE_ADDR itself."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def over_limit(queryset, client, limit, window_seconds, now=None):
    """Whether ``client`` already made ``limit`` rows of ``queryset`` within the window."""
    since = (now or timezone.now()) - timedelta(seconds=window_seconds)
    return queryset.filter(client=client, created_at__gte=since).count() >= limit


def caught_in_honeypot(data):
    """True when the hidden field was filled in, which people using the form never do."""
    return bool((data.get(HONEYPOT_FIELD) or "").strip())
