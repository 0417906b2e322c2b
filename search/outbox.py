"""Index work for remote engines: recorded with the content, applied after commit, retried.

``enqueue`` writes a row in the content's transaction; when that transaction commits, a
drain task is queued (``drain_search_outbox``: the worker runs it, or it runs at once
without one) and applies the work if the engine is healthy (``drain``). A failed write pauses the
engine's writes with a growing back-off, so one publish at most waits on a timeout; the
rows stay until a later drain (the next publish, ``manage.py search_outbox``) applies them.

Each row holds a page's complete set of documents, so only the newest row of a page matters:
applying it settles every older one. One process drains at a time (a lease), and each write
carries its row's id as the documents' version, so older work never lands after newer, not
even against a rebuild's replay.

The engines record work and read it back through the models (``IndexOutboxEntry.objects``);
this module applies it, and never the other way round.
"""

import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone
from django_tasks import task

from .documents import SearchDocument
from .engines import get_engine, remote_engine_names
from .engines.base import PageWriteError
from .models.outbox import ERROR_CHARS, IndexOutboxEntry, RemoteEngineStatus

logger = logging.getLogger(__name__)

BATCH_PAGES = 200
LEASE = timedelta(minutes=2)
FIRST_RETRY = timedelta(seconds=5)
LAST_RETRY = timedelta(minutes=15)

# engine name -> time.monotonic() when this process last began, or queued, a drain of it.
_drain_started: dict[str, float] = {}
_drain_queued: dict[str, float] = {}


def retry_delay(attempts: int) -> timedelta:
    """5 s after the first failure, doubling, at most 15 minutes."""
    return min(LAST_RETRY, FIRST_RETRY * 2 ** max(0, min(attempts, 20) - 1))


# -- recording -------------------------------------------------------------------------


def enqueue(engine_name: str, page_id: int, documents: list[SearchDocument]) -> None:
    """Record that ``page_id`` must have exactly ``documents`` in the engine's index."""
    IndexOutboxEntry.objects.record(engine_name, page_id, documents)


def drain_after_commit(sender, instance, created, **kwargs):
    """Work recorded (by ``enqueue`` or an engine) is applied once its transaction commits."""
    if created and settings.SEARCH_OUTBOX_DRAIN_ON_COMMIT:
        transaction.on_commit(
            partial(_drain_recorded, instance.engine, time.monotonic()), robust=True
        )


def _drain_recorded(engine_name: str, recorded: float) -> None:
    # A subtree publish records many rows; the first callback's drain takes them all.
    never = float("-inf")
    last = max(_drain_started.get(engine_name, never), _drain_queued.get(engine_name, never))
    if last >= recorded:
        return
    _drain_queued[engine_name] = time.monotonic()
    drain_search_outbox.enqueue(engine_name)


@task()
def drain_search_outbox(engine_name=None):
    """Apply the index work waiting for one remote engine, or for all of them (a periodic
    job of the worker, which also retries work after an outage's back-off)."""
    names = [engine_name] if engine_name else remote_engine_names()
    budget = settings.SEARCH_OUTBOX_DRAIN_SECONDS
    return {name: drain(name, budget=budget).applied for name in names}


# -- applying --------------------------------------------------------------------------


@dataclass
class DrainReport:
    engine: str
    applied: int = 0  # pages written
    failed: int = 0  # pages that will be retried
    remaining: int = 0  # rows still pending afterwards
    skipped: str = ""  # "paused" or "busy" when nothing was tried
    errors: list[str] = field(default_factory=list)


def drain(engine_name: str, *, force: bool = False, budget: float | None = None) -> DrainReport:
    """Apply pending work for one engine, newest row of each page, until none is due.

    ``force`` ignores back-off and a paused engine (an operator's replay). Never raises for
    an engine failure: that is recorded on the rows and the engine's status.
    """
    report = DrainReport(engine_name)
    _drain_started[engine_name] = time.monotonic()
    now = timezone.now()
    status = _status(engine_name)
    if not force and status.paused_until and status.paused_until > now:
        report.skipped = "paused"
        report.remaining = IndexOutboxEntry.objects.pending(engine_name).count()
        return report
    owner = uuid.uuid4().hex
    if not _acquire(engine_name, owner):
        report.skipped = "busy"
        report.remaining = IndexOutboxEntry.objects.pending(engine_name).count()
        return report
    deadline = None if budget is None else time.monotonic() + budget
    refused: set[int] = set()  # pages the engine refused in this drain wait for the next
    try:
        engine = get_engine(engine_name)
        while deadline is None or time.monotonic() < deadline:
            if not _drain_batch(engine, engine_name, force, refused, report):
                break
        _purge(engine_name)
    finally:
        RemoteEngineStatus.objects.filter(engine=engine_name, lease_owner=owner).update(
            lease_owner="", lease_until=None
        )
    report.remaining = IndexOutboxEntry.objects.pending(engine_name).count()
    return report


def _drain_batch(engine, engine_name: str, force: bool, skip: set, report: DrainReport) -> bool:
    """Apply one batch; False when there was nothing to do or the engine failed."""
    now = timezone.now()
    rows = (
        IndexOutboxEntry.objects.pending(engine_name)
        if force
        else IndexOutboxEntry.objects.due(engine_name, now)
    )
    rows = rows.exclude(page_id__in=skip) if skip else rows
    page_ids = list(
        dict.fromkeys(rows.order_by("id").values_list("page_id", flat=True)[: BATCH_PAGES * 4])
    )[:BATCH_PAGES]
    if not page_ids:
        return False
    pending = IndexOutboxEntry.objects.pending(engine_name).filter(page_id__in=page_ids)
    rows = IndexOutboxEntry.objects.newest(pending)
    newest = {page_id: row_id for page_id, (row_id, _) in rows.items()}
    work = {page_id: documents for page_id, (_, documents) in rows.items()}
    try:
        # Versioned by each page's newest row: a write that lost a race to newer work (a
        # rebuild's replay) changes nothing.
        engine.index_pages(work, versions=newest)
        refused = {}
    except PageWriteError as err:
        refused = err.errors
    except Exception as err:  # noqa: BLE001 (an unreachable engine must never break publishing)
        message = f"{type(err).__name__}: {err}"[:ERROR_CHARS]
        if engine.is_configuration_error(err):
            RemoteEngineStatus.objects.note_configuration_error(engine_name, message)
        logger.warning(
            "Search engine %r unavailable, %d pages wait: %s", engine_name, len(work), message
        )
        delay = _note_write_failure(engine_name, message, now)
        # The whole engine failed: every row waits as long as the engine's writes do.
        pending.update(attempts=F("attempts") + 1, next_attempt_at=now + delay, last_error=message)
        report.failed += len(work)
        report.errors.append(message)
        return False
    done = [p for p in work if p not in refused]
    settled = Q()
    for page_id in done:
        settled |= Q(page_id=page_id, id__lte=newest[page_id])
    if done:
        pending.filter(settled).update(applied_at=now, last_error="")
    skip.update(refused)
    for page_id, message in refused.items():
        message = str(message)[:ERROR_CHARS]
        _fail_rows(pending.filter(page_id=page_id, id__lte=newest[page_id]), message, now)
        report.errors.append(f"page {page_id}: {message}")
    if refused:
        logger.warning(
            "Search engine %r refused %d pages: %s", engine_name, len(refused), report.errors[-1]
        )
    report.applied += len(done)
    report.failed += len(refused)
    RemoteEngineStatus.objects.filter(engine=engine_name).update(
        failures=0, paused_until=None, last_success_at=now
    )
    RemoteEngineStatus.objects.note_configuration_fine(engine_name)
    return True


def _fail_rows(rows, message: str, now) -> None:
    """One page the engine refused: its rows back off on their own count of attempts."""
    for row in rows.only("id", "attempts"):
        attempts = row.attempts + 1
        IndexOutboxEntry.objects.filter(id=row.id).update(
            attempts=attempts, next_attempt_at=now + retry_delay(attempts), last_error=message
        )


def _note_write_failure(engine_name: str, message: str, now) -> timedelta:
    """Pause the engine's writes for longer after each failure in a row; returns the pause."""
    failures = _status(engine_name).failures + 1
    delay = retry_delay(failures)
    RemoteEngineStatus.objects.filter(engine=engine_name).update(
        failures=failures, paused_until=now + delay, last_error=message, last_failure_at=now
    )
    return delay


def _status(engine_name: str) -> RemoteEngineStatus:
    return RemoteEngineStatus.objects.of(engine_name)


def _acquire(engine_name: str, owner: str) -> bool:
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    taken = RemoteEngineStatus.objects.filter(free, engine=engine_name).update(
        lease_owner=owner, lease_until=now + LEASE
    )
    return taken == 1


def _purge(engine_name: str) -> None:
    hours = settings.SEARCH_OUTBOX_RETENTION_HOURS
    cutoff = timezone.now() - timedelta(hours=hours)
    IndexOutboxEntry.objects.filter(engine=engine_name, applied_at__lt=cutoff).delete()


# -- health, for staff and for the resilient engine -------------------------------------


@dataclass
class EngineHealth:
    engine: str
    pending: int
    retrying: int  # pending rows that have failed at least once
    oldest_pending_at: datetime | None
    status: RemoteEngineStatus | None

    @property
    def degraded(self) -> bool:
        return bool(
            self.status
            and (
                self.status.writes_failing()
                or self.status.searches_degraded()
                or self.status.configuration_error
            )
        )


def health() -> list[EngineHealth]:
    names = set(remote_engine_names())
    names.update(IndexOutboxEntry.objects.pending().values_list("engine", flat=True).distinct())
    counts = {
        row["engine"]: row
        for row in IndexOutboxEntry.objects.pending()
        .values("engine")
        .annotate(
            n=Count("id"), retrying=Count("id", filter=Q(attempts__gt=0)), oldest=Min("created_at")
        )
    }
    statuses = {s.engine: s for s in RemoteEngineStatus.objects.filter(engine__in=names)}
    out = []
    for name in sorted(names):
        row = counts.get(name, {})
        out.append(
            EngineHealth(
                name, row.get("n", 0), row.get("retrying", 0), row.get("oldest"), statuses.get(name)
            )
        )
    return out


def configuration_problems() -> list[str]:
    """What an operator must mend before a remote engine is used again, one line each
    (for ``/healthz`` and Reports → Search index); empty when nothing is."""
    return [
        f"{status.engine}: {status.configuration_error}"
        for status in RemoteEngineStatus.objects.exclude(configuration_error="").order_by("engine")
    ]
