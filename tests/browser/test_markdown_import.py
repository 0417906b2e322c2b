"""An editor imports a zip of Markdown through the real admin: a dry run first, queued for the
background worker (a real database task queue here), its page reloading itself until the
report shows, then the same files imported for real without choosing them again, and the
imported page's editor listing the link that led nowhere."""

import zipfile

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from editorial.models import MarkdownImportJob
from kb.models import ArticlePage

from .test_staff_journeys import log_in, not_refused, staff  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
ARTICLE = """---
title: Pay with a voucher
language: en
category: billing
summary: Type the voucher's code at checkout.
---
Type the code at checkout. See [the old terms](/help/voucher-terms).
"""


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def leave(page):
    """Go to a blank page. The job page reloads itself, and a reload that starts at that
    moment interrupts the navigation (or is interrupted by it): ask until it is there."""
    for _attempt in range(5):
        try:
            page.goto("about:blank")
        except PlaywrightError:
            pass  # interrupted, perhaps by the blank page asked for just before
        if page.url == "about:blank":
            page.wait_for_load_state()
            return
    raise AssertionError(f"still on {page.url}")


def test_an_editor_imports_a_zip_and_follows_it_to_the_report(
    page,
    live_site,
    staff,  # noqa: F811
    settings,
    tmp_path,
):
    settings.TASKS = DATABASE_TASKS
    archive = tmp_path / "help.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("billing/voucher.md", ARTICLE)
        zf.writestr("broken.md", "no front matter here")

    log_in(page, "editor")
    page.goto("/admin/")
    page.get_by_role("link", name="Import Markdown").click()
    page.set_input_files("input[name=files]", str(archive))
    expect(page.get_by_label("Dry run: show what would change and save nothing")).to_be_checked()
    page.get_by_role("button", name="Import", exact=True).click()

    # Queued for the worker: the page says so and reloads itself.
    status = page.locator("#import-progress")
    expect(status).to_contain_text("Waiting for the background worker")
    job_url = page.url
    with page.expect_response(lambda r: r.url == job_url, timeout=10_000):
        pass  # the page's own reload, nobody clicked
    leave(page)  # the worker gets the database to itself
    run_worker()
    page.goto(job_url)
    not_refused(page)
    report = page.get_by_role("table")
    expect(report).to_contain_text("Would be created")
    expect(report).to_contain_text("broken.md")
    expect(report).to_contain_text("does not start with front matter")
    expect(report).to_contain_text("/help/voucher-terms")
    assert not ArticlePage.objects.filter(title="Pay with a voucher").exists()

    page.get_by_role("button", name="Import these files now").click()
    expect(page.locator("#import-progress")).to_contain_text("Waiting for the background worker")
    real_url = page.url
    leave(page)
    run_worker()
    page.goto(real_url)
    expect(page.get_by_role("table")).to_contain_text("Created as a draft")
    expect(page.get_by_role("button", name="Import these files now")).to_have_count(0)
    job = MarkdownImportJob.objects.get(dry_run=False)
    assert (job.status, job.done, job.total, job.folder) == ("done", 2, 2, "")
    page.screenshot(path=str(tmp_path / "report.png"))

    page.get_by_role("link", name="Pay with a voucher").click()
    expect(page.locator(".messages")).to_contain_text("/help/voucher-terms")
    not_refused(page)
