"""A Markdown upload in the admin is imported by the background worker: the editor follows
its progress on the job's page, then reads the report; a broken upload says why, never a 500."""

import io
import os
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from editorial.markdown_io.importer import MarkdownImporter
from editorial.models import MarkdownImportJob
from editorial.roles import EDITORS
from kb.models import ArticlePage

from .conftest import client_for, make_user
from .test_markdown import folder  # noqa: F401 (a fixture)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
UPLOAD = reverse("editorial:markdown_upload")


def zipped(root, name="docs.zip"):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(root).as_posix())
    archive.seek(0)
    archive.name = name
    return archive


def kept_folders():
    return list(Path(settings.MARKDOWN_IMPORT_DIR).iterdir())


@pytest.mark.django_db
def test_the_worker_imports_the_upload_and_the_job_page_follows_it(folder, editor, settings):  # noqa: F811
    settings.TASKS = DATABASE_TASKS
    client = client_for(editor)
    response = client.post(UPLOAD, {"files": [zipped(folder)], "dry_run": ""})
    assert response.status_code == 302
    job = MarkdownImportJob.objects.get()
    assert response["Location"] == reverse("editorial:markdown_import_job", args=[job.pk])

    # Queued, not imported in the request: the page says so and reloads itself.
    waiting = client.get(response["Location"])
    assert waiting.status_code == 200 and waiting["Refresh"] == "2"
    assert "Waiting for the background worker" in waiting.content.decode()
    assert not ArticlePage.objects.filter(title="Pay by bank transfer").exists()
    assert job.status == "queued" and job.started_by == editor and job.created_at

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 3, 3) and job.finished_at
    finished = client.get(response["Location"])
    text = finished.content.decode()
    assert "Refresh" not in finished
    assert "Import results" in text and "Created as a draft" in text
    assert "3 new, 0 updated, 0 unchanged, 0 with problems." in text
    assert ArticlePage.objects.filter(title="Pay by bank transfer", live=False).exists()
    assert kept_folders() == [], "the uploaded files must be removed after the import"
    # The upload page lists the editor's recent imports.
    assert response["Location"] in client.get(UPLOAD).content.decode()


@pytest.mark.django_db
def test_a_dry_run_in_the_worker_keeps_its_files_for_the_real_import(folder, editor, settings):  # noqa: F811
    settings.TASKS = DATABASE_TASKS
    client = client_for(editor)
    client.post(UPLOAD, {"files": [zipped(folder)], "dry_run": "on"})
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    dry_run = MarkdownImportJob.objects.get()
    page = client.get(reverse("editorial:markdown_import_job", args=[dry_run.pk]))
    assert "Would be created" in page.content.decode()
    assert "Import these files now" in page.content.decode()
    assert not ArticlePage.objects.exists()

    response = client.post(UPLOAD, {"staged": dry_run.pk})
    real = MarkdownImportJob.objects.exclude(pk=dry_run.pk).get()
    assert response["Location"] == reverse("editorial:markdown_import_job", args=[real.pk])
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    real.refresh_from_db()
    assert real.status == "done" and not real.dry_run and real.counts()["created"] == 3
    assert ArticlePage.objects.filter(title="Pay by bank transfer").exists()
    assert kept_folders() == []


@pytest.mark.django_db
def test_a_corrupt_zip_fails_with_a_clear_message(tree, editor):
    text = b"---\ntitle: Damaged\nlanguage: en\n---\nThis text is damaged in the zip.\n"
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("damaged.md", text)
    # The zip's directory is sound (the form accepts it); the file's data inside it is not.
    upload = io.BytesIO(archive.getvalue().replace(b"damaged in", b"DAMAGED IN"))
    upload.name = "docs.zip"
    client = client_for(editor)
    response = client.post(UPLOAD, {"files": [upload], "dry_run": ""}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and response.redirect_chain
    assert "The import failed:" in page and "docs.zip cannot be unpacked" in page
    assert MarkdownImportJob.objects.get().status == "failed"
    assert kept_folders() == []
    assert not ArticlePage.objects.exists()


@pytest.mark.django_db
def test_an_import_page_is_its_starters_and_the_administrators(
    folder,  # noqa: F811
    editor,
    django_user_model,
    admin_client,
):
    client_for(editor).post(UPLOAD, {"files": [zipped(folder)], "dry_run": "on"})
    job = MarkdownImportJob.objects.get()
    url = reverse("editorial:markdown_import_job", args=[job.pk])
    other = make_user(django_user_model, "olga", EDITORS)
    assert client_for(other).get(url, follow=True).status_code == 404
    assert client_for(other).post(UPLOAD, {"staged": job.pk}).status_code == 400
    assert client_for(other).post(UPLOAD, {"staged": "x' or 1"}).status_code == 400
    assert admin_client.get(url, follow=True).status_code == 200
    assert client_for(editor).get(url + "?x=%00", follow=True).status_code == 200
    assert client_for(editor).post(url).status_code == 405


@pytest.mark.django_db
def test_the_importer_reports_its_progress(folder):  # noqa: F811
    seen = []
    MarkdownImporter(dry_run=True, progress=lambda done, total: seen.append((done, total))).run(
        [folder]
    )
    assert seen == [(0, 3), (1, 3), (2, 3), (3, 3)]


@pytest.mark.django_db
def test_an_import_whose_worker_stopped_is_given_up_not_shown_running_for_ever(
    folder,  # noqa: F811
    editor,
    settings,
):
    settings.TASKS = DATABASE_TASKS
    client = client_for(editor)
    location = client.post(UPLOAD, {"files": [zipped(folder)], "dry_run": ""})["Location"]
    job = MarkdownImportJob.objects.get()
    # A worker claimed it, wrote its progress, then was killed.
    MarkdownImportJob.objects.filter(pk=job.pk).update(status="running")
    kept = Path(settings.MARKDOWN_IMPORT_DIR) / job.folder
    (kept / "progress").write_text("1 3")
    assert client.get(location)["Refresh"] == "2"  # recent progress: still running

    long_ago = time.time() - 20 * 60
    for path in (kept / "progress", kept):
        os.utime(path, (long_ago, long_ago))
    page = client.get(location)
    assert "Refresh" not in page
    assert "the background worker was interrupted" in page.content.decode()
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at
    assert not kept.exists()
