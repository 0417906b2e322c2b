"""Whether queued background work is being processed, for /healthz and the admin."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat


def queued() -> bool:
    """True when tasks wait for a worker; False when they run inline (the immediate backend)."""
    return isinstance(task_backends["default"], DatabaseBackend)


def worker_status(now=None) -> dict:
    if not queued():
        return {"ok": True, "mode": "inline"}
    now = now or timezone.now()
    stale = timedelta(seconds=settings.WORKER_STALE_SECONDS)
    last_seen = WorkerHeartbeat.objects.aggregate(last=Max("seen_at"))["last"]
    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    alive = last_seen is not None and now - last_seen < stale
    return {
        "ok": alive,
        "mode": "queue",
        "last_seen": last_seen.isoformat(timespec="seconds") if last_seen else None,
        "waiting": oldest is not None,
        "oldest_waiting_seconds": int((now - oldest).total_seconds()) if oldest else 0,
    }
