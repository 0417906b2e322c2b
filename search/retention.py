"""How long the query log and its clicks are kept (SEARCH_LOG_RETENTION_DAYS,
SEARCH_CLICK_RETENTION_DAYS), and scrubbing one e-mail address from what was logged before
redaction covered it. Registered with home.retention in SearchConfig.ready()."""

import re
from datetime import timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from home.redaction import EMAIL, redact

from .models import PageSearchStat, SearchClick, SearchDailyStat, SearchQueryLog, SearchTerm
from .reports import rollup

BATCH = 10_000


def purge_query_log(days, now=None):
    """Delete logged searches, their clicks and daily figures older than ``days``, then
    bring the reports' figures up to date. Returns (logs, daily figures, terms) deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=days)
    logs = _purge_logs(cutoff)
    stats, _ = SearchDailyStat.objects.filter(date__lt=timezone.localdate(cutoff)).delete()
    PageSearchStat.objects.filter(date__lt=timezone.localdate(cutoff)).delete()
    # Terms that no longer have figures or a manager's verdict hold nothing worth keeping.
    terms, _ = SearchTerm.objects.filter(daily__isnull=True, status=SearchTerm.OPEN).delete()
    rollup.refresh(force=True)
    return logs, stats, terms


def _purge_logs(cutoff):
    """In batches by id, so a big backlog never holds the database for long."""
    deleted = 0
    while True:
        batch = SearchQueryLog.objects.filter(created_at__lt=cutoff).order_by("pk")[:BATCH]
        upper = batch.aggregate(top=Max("pk"))["top"]
        if upper is None:
            return deleted
        SearchClick.objects.filter(log_id__lte=upper, log__created_at__lt=cutoff).delete()
        _, per_model = SearchQueryLog.objects.filter(pk__lte=upper, created_at__lt=cutoff).delete()
        deleted += per_model.get(SearchQueryLog._meta.label, 0)


def purge_log(now):
    return purge_query_log(max(1, settings.SEARCH_LOG_RETENTION_DAYS), now)[0]


def purge_clicks(now):
    days = max(1, settings.SEARCH_CLICK_RETENTION_DAYS)
    return SearchClick.objects.filter(created_at__lt=now - timedelta(days=days)).delete()[0]


def erase_mentions(email):
    """Logged wordings and report samples that still hold the address (logged before
    redaction covered its form) are redacted now."""
    email = email.strip()
    changed = 0
    for log in SearchQueryLog.objects.filter(query__icontains=email):
        log.query = redact(re.sub(re.escape(email), EMAIL, log.query, flags=re.IGNORECASE))
        log.save(update_fields=["query"])
        changed += 1
    for term in SearchTerm.objects.filter(samples__icontains=email):
        term.samples = [
            redact(re.sub(re.escape(email), EMAIL, s, flags=re.IGNORECASE)) for s in term.samples
        ]
        term.save(update_fields=["samples"])
        changed += 1
    return changed
