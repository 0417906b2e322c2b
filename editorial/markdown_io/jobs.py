"""Markdown imports started in the admin, run by the background worker.

The request only keeps the uploaded files and queues ``run_markdown_import``; the admin's job
page follows its progress and shows the report. A dry run keeps the files so that the same
files can be imported for real; a real import removes them when it ends, however it ends.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from editorial.models import MarkdownImportJob

from .importer import MarkdownImporter
from .upload import UploadProblem, lay_out, remove_staged, stage, staged

logger = logging.getLogger(__name__)
Status = MarkdownImportJob.Status
PROGRESS_FILE = "progress"
# A job whose worker was stopped mid-import (killed, the machine restarted) would show
# "Importing" for ever: with no sign of life for this long it is given up, and says so.
STALLED_AFTER = timedelta(minutes=15)


def start(files, user, dry_run, options, language):
    """Keep the uploaded files and queue their import; returns the job."""
    folder = stage(files)
    return queue(
        MarkdownImportJob(
            dry_run=dry_run,
            options=options,
            folder=folder,
            started_by=user,
            language=language,
        )
    )


def import_dry_run_files(dry_run_job, user):
    """Queue the real import of the files a dry run kept; only its starter may, and once."""
    with transaction.atomic():
        taken = MarkdownImportJob.objects.filter(
            pk=dry_run_job.pk, started_by=user, dry_run=True, status=Status.DONE
        ).exclude(folder="")
        folder = dry_run_job.folder
        root = staged(folder)
        if root is None or not root.is_dir() or not taken.update(folder=""):
            raise UploadProblem(
                _("The files of that dry run are no longer kept; choose them again.")
            )
        job = MarkdownImportJob(
            dry_run=False,
            options=dry_run_job.options,
            folder=folder,
            started_by=user,
            language=translation.get_language() or dry_run_job.language,
        )
        job.save()
    return queue(job)


def queue(job):
    if job.pk is None:
        job.save()
    run_markdown_import.enqueue(job.pk)
    job.refresh_from_db()
    return job


def progress(job):
    """(done, total) files: while a job runs they are read from its folder, since a dry run's
    database work is one transaction (rolled back at the end) that no one else can see into."""
    if job.status == Status.RUNNING:
        root = staged(job.folder)
        try:
            done, total = (root / PROGRESS_FILE).read_text().split()
            return int(done), int(total)
        except (OSError, TypeError, ValueError):
            pass
    return job.done, job.total


def give_up_if_stalled(job, now=None):
    """Mark a running job failed when its worker has shown no progress for STALLED_AFTER."""
    if job.status != Status.RUNNING:
        return job
    root = staged(job.folder)
    signs = []
    for path in (root / PROGRESS_FILE, root / "files.partial", root) if root else ():
        try:
            signs.append(path.stat().st_mtime)
        except OSError:
            continue
    now = now or timezone.now()
    if signs and now.timestamp() - max(signs) < STALLED_AFTER.total_seconds():
        return job
    stopped = MarkdownImportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
        status=Status.FAILED,
        error=_(
            "The import stopped without finishing: the background worker was interrupted. "
            "Files already imported stay as drafts; choose the files again to import the rest."
        ),
        folder="",
        finished_at=now,
    )
    if stopped:
        remove_staged(job.folder)
    job.refresh_from_db()
    return job


@task()
def run_markdown_import(job_id):
    # Claim it: of two workers (or a retried task) only one runs a job.
    if not MarkdownImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING
    ):
        return None
    job = MarkdownImportJob.objects.select_related("started_by").get(pk=job_id)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            report = run(job)
        except UploadProblem as err:
            finish(job, Status.FAILED, error=str(err))
        except Exception:
            logger.exception("Markdown import %s stopped", job_id)
            finish(
                job,
                Status.FAILED,
                error=_(
                    "The import stopped because of an unexpected problem. Files already "
                    "imported stay as drafts; the others were not imported. Try again, and "
                    "tell your administrator if it happens again."
                ),
            )
        else:
            finish(job, Status.DONE, report=report)
    return job.status


def run(job):
    if job.started_by is None:
        raise UploadProblem(_("The person who started this import no longer has an account."))
    root = lay_out(job.folder)
    note = staged(job.folder) / PROGRESS_FILE

    def on_progress(done, total):
        note.write_text(f"{done} {total}")

    options = dict(job.options)
    options["link_prefixes"] = tuple(options.get("link_prefixes", ()))
    return MarkdownImporter(
        user=job.started_by,
        dry_run=job.dry_run,
        check_permissions=True,
        progress=on_progress,
        **options,
    ).run([root], display_root=root)


def finish(job, status, report=None, error=""):
    done, total = progress(job)
    if report is not None:
        done = total = len(report.files)
    keep = status == Status.DONE and job.dry_run
    if not keep:
        remove_staged(job.folder)
    MarkdownImportJob.objects.filter(pk=job.pk).update(
        status=status,
        report=report.as_data() if report is not None else None,
        error=error,
        done=done,
        total=total,
        folder=job.folder if keep else "",
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
