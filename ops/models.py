from django.db import models


class PeriodicJob(models.Model):
    """When a periodic job (settings.PERIODIC_JOBS) is next due; workers claim it in turn."""

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name


class WorkerHeartbeat(models.Model):
    """The last time each worker process looked for work, so staff can tell it is running."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255, blank=True)
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.worker_id}@{self.host}"
