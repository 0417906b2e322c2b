"""The periodic jobs, run as tasks so that any worker may take them."""

import io
import logging

from django.conf import settings
from django.core.management import call_command
from django.utils.module_loading import import_string
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def run_periodic_job(name):
    job = settings.PERIODIC_JOBS.get(name)
    if job is None:  # removed from the settings since it was queued
        return
    if "command" in job:
        out = io.StringIO()
        call_command(*job["command"], stdout=out, stderr=out)
        logger.info("%s: %s", name, out.getvalue().strip() or "done")
    else:
        import_string(job["task"]).call()
        logger.info("%s: done", name)
