"""Spam and abuse protection without third-party services: rate limits counted in our own
table, and a honeypot field that people never see.

Limits count per client address. Behind a reverse proxy every request comes from the proxy,
so the address is taken from ``X-Forwarded-For`` only as far as the proxies we were told to
trust (``TRUSTED_PROXY_COUNT`` or ``TRUSTED_PROXY_CIDRS``); anything further left in that
header is whatever the client chose to send. Without either setting, ``REMOTE_ADDR``.

A limit is taken with single conditional UPDATE/INSERT statements on a counter row, never by
counting and then inserting, so many requests at once cannot slip past it.
"""

import hashlib
import hmac
import ipaddress
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, router, transaction
from django.db.models import F
from django.utils import timezone

HONEYPOT_FIELD = "homepage"


class RateLimitCounter(models.Model):
    """How many times one client did one thing since ``window_start``. Kept with the
    insights (search/db_router.py): a vote or a contact request never waits for a publish."""

    scope = models.CharField(max_length=20)
    client = models.CharField(max_length=32)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "kb_rate_limit_counter"
        constraints = [
            models.UniqueConstraint(fields=["scope", "client"], name="kb_rate_limit_one_counter")
        ]

    def __str__(self):
        return f"{self.scope} {self.client}: {self.count}"


def _trusted_networks():
    return [
        ipaddress.ip_network(cidr.strip(), strict=False)
        for cidr in settings.TRUSTED_PROXY_CIDRS
        if cidr.strip()
    ]


def _address(text):
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def client_address(request):
    """The address of the customer's machine, as far as we can know it (see module doc)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()] if forwarded else []
    networks = _trusted_networks()
    if networks:
        # Right to left, past every proxy we trust; the first address that is not one of
        # them is the client. The connection itself must come from a trusted proxy.
        chain = [*hops, remote]
        for hop in reversed(chain):
            address = _address(hop)
            if address is None:
                break
            if not any(address in network for network in networks):
                return str(address)
        return remote
    count = settings.TRUSTED_PROXY_COUNT
    if count and len(hops) >= count:
        address = _address(hops[-count])
        if address is not None:
            return str(address)
    return remote


def client_key(request):
    """A stable pseudonym for the sender's address: enough to count their submissions,
    useless for finding out who they are."""
    address = client_address(request) or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def visit_key(visit_id):
    """A pseudonym for one visit: votes are tied to it, never to the cookie's own value."""
    if not visit_id:
        return ""
    digest = hmac.new(settings.SECRET_KEY.encode(), b"visit:" + visit_id.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def take(scope, client, limit, window_seconds, now=None):
    """Count one more ``scope`` action by ``client``; False (and nothing counted) when it
    already had ``limit`` of them in its current window. A client's window starts at its
    first action and lasts ``window_seconds``."""
    if limit <= 0:
        return False
    now = now or timezone.now()
    window_open = now - timedelta(seconds=window_seconds)
    counters = RateLimitCounter.objects.filter(scope=scope, client=client)
    for attempt in range(2):
        if counters.filter(window_start__gt=window_open, count__lt=limit).update(
            count=F("count") + 1
        ):
            return True
        if counters.filter(window_start__lte=window_open).update(count=1, window_start=now):
            return True
        if attempt:
            return False  # the counter exists and is full
        try:
            with transaction.atomic(using=router.db_for_write(RateLimitCounter)):
                RateLimitCounter.objects.create(
                    scope=scope, client=client, window_start=now, count=1
                )
            return True
        except IntegrityError:
            pass  # another request created it a moment ago: count against that row
    return False


def purge_counters(now=None, older_than=timedelta(days=1)):
    """Forget counters whose window ended long ago; returns how many."""
    deleted, _ = RateLimitCounter.objects.filter(
        window_start__lt=(now or timezone.now()) - older_than
    ).delete()
    return deleted


def caught_in_honeypot(data):
    """True when the hidden field was filled in, which people using the form never do."""
    return bool((data.get(HONEYPOT_FIELD) or "").strip())
