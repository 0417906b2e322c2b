"""Periodic jobs (settings.PERIODIC_JOBS) scheduled by the workers themselves.

Each job has a row saying when it is next due; a worker claims a due job by moving that time
on with a conditional update, so with several workers each run happens once. Cron is the
alternative: run the same commands from it and start workers with --no-schedule.
"""

import logging
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

from .models import PeriodicJob, WorkerHeartbeat
from .tasks import run_periodic_job

logger = logging.getLogger(__name__)

HEARTBEAT_EVERY = timedelta(seconds=30)


def claim_due(now) -> list[str]:
    """The names of the jobs due now that this worker won."""
    jobs = settings.PERIODIC_JOBS
    PeriodicJob.objects.bulk_create(
        [PeriodicJob(name=name, next_run_at=now) for name in jobs], ignore_conflicts=True
    )
    claimed = []
    for row in PeriodicJob.objects.filter(name__in=list(jobs)):
        every = timedelta(seconds=jobs[row.name]["every"])
        # Due, or scheduled further ahead than the interval now allows (it was shortened).
        if row.next_run_at > now and row.next_run_at <= now + every:
            continue
        won = PeriodicJob.objects.filter(pk=row.pk, next_run_at=row.next_run_at).update(
            next_run_at=now + every, last_run_at=now
        )
        if won:
            claimed.append(row.name)
    return claimed


def beat(worker_id, now):
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": now, "host": socket.gethostname()[:255]}
    )
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()


class Scheduler(threading.Thread):
    """Runs beside a worker's task loop: queues due periodic jobs, records a heartbeat."""

    def __init__(self, worker_id, schedule=True):
        super().__init__(name="periodic-jobs", daemon=True)
        self.worker_id = worker_id
        self.schedule = schedule
        self.last_beat = None

    def tick(self):
        now = timezone.now()
        if self.last_beat is None or now - self.last_beat >= HEARTBEAT_EVERY:
            beat(self.worker_id, now)
            self.last_beat = now
        if self.schedule:
            for name in claim_due(now):
                logger.info("Queueing periodic job %s", name)
                run_periodic_job.enqueue(name)

    def run(self):
        while True:
            try:
                self.tick()
            except DatabaseError:
                logger.exception("Periodic jobs could not be checked; trying again")
            finally:
                connections.close_all()
            time.sleep(settings.WORKER_TICK_SECONDS)
