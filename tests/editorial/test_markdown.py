"""Markdown in and out: drafts from files, one clear message per broken file, a dry run that
changes nothing, re-imports that change nothing, and export -> import round trips."""

import html
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from editorial.models import MarkdownImportJob
from guides.models import GuidePage, VideoPage
from home.models import HelpPage, ReusableAnswer
from kb.models import ArticlePage, CategoryPage, FaqPage
from tests.conftest import MEDIA

from .conftest import client_for

ARTICLE = """---
title: Pay by bank transfer
type: article
category: billing
language: en
summary: Use the IBAN printed on your bill.
tags: [iban, wire, transfer]
---
# Pay by bank transfer

Transfers take **one business day**. See [our bank](https://bank.example/) or
[your invoices](/en/billing/find-your-invoice/).

![The IBAN box at the top right of the bill](images/router-lights.png "Where the IBAN is")

> **Warning:** never pay to an account that is *not* on your bill.

| Bank | Days |
|---|---|
| Ours | 1 |
| Others | 2 |

Table: How long transfers take

- first
- second
"""

FAQ = """---
title: Payment questions
type: faq
category: billing
language: en
summary: Quick answers about paying.
translation_key: payments-faq
---
## Can I pay in cash?

Yes, at any post office.

## Do you take cheques?

No.
"""

GUIDE = """---
title: Set up a direct debit
type: guide
category: no-such-category
language: he
minutes: 4
---
You need your account number.

## Open the app

Tap **Billing**.

![](images/app-home.png){: .decorative}

## Choose direct debit

> **Tip:** it starts next month.
"""

BROKEN = {
    "no-front-matter.md": ("Just text, no front matter.\n", "does not start with front matter"),
    "no-title.md": ("---\nlanguage: en\n---\nBody\n", "has no 'title'"),
    "bad-yaml.md": ("---\ntitle: [unclosed\nlanguage: en\n---\n", "not valid YAML"),
    "bad-language.md": ("---\ntitle: X\nlanguage: fr\n---\n", "'fr' is not one of"),
    "bad-type.md": ("---\ntitle: X\nlanguage: en\ntype: podcast\n---\n", "'podcast' is not one of"),
    "empty-faq.md": (
        "---\ntitle: F\nlanguage: en\ntype: faq\n---\nNo questions here.\n",
        "needs at least one question",
    ),
    "nul.md": ("---\ntitle: N\nlanguage: en\n---\nA\x00B\n", "NUL bytes"),
}


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path, tree):
    root = tmp_path / "docs"
    (root / "images").mkdir(parents=True)
    for name in ("router-lights.png", "app-home.png"):
        shutil.copy(MEDIA / "images" / name, root / "images" / name)
    write(root, "billing/pay-by-transfer.md", ARTICLE)
    write(root, "billing/payments-faq.md", FAQ)
    write(root, "he/direct-debit.md", GUIDE)
    return root


def run(*args):
    out = io.StringIO()
    try:
        call_command("import_markdown", *map(str, args), stdout=out)
    except CommandError as err:
        return out.getvalue(), err
    return out.getvalue(), None


def media_files():
    return sorted(p.name for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


@pytest.mark.django_db
def test_good_files_become_drafts_and_each_broken_file_says_why(folder):
    for name, (text, _problem) in BROKEN.items():
        write(folder, f"broken/{name}", text)
    output, error = run(folder)

    assert error is not None and "7 file(s) could not be imported" in str(error)
    for name, (_text, problem) in BROKEN.items():
        line = next(line for line in output.splitlines() if f"broken/{name}" in line)
        after = output[output.index(line) :].splitlines()[1]
        assert "ERROR" in line and problem in after, (name, after)

    article = ArticlePage.objects.get(title="Pay by bank transfer")
    faq = FaqPage.objects.get(title="Payment questions")
    guide = GuidePage.objects.get(title="Set up a direct debit")
    for page in (article, faq, guide):
        assert not page.live and page.has_unpublished_changes

    content = article.get_latest_revision_as_object()
    assert article.get_parent().slug == "billing"
    assert content.keywords == "iban, wire, transfer"
    kinds = [b.block_type for b in content.body]
    assert kinds == ["paragraph", "figure", "callout", "table", "paragraph"]
    paragraph = content.body[0].value.source
    assert "<b>one business day</b>" in paragraph and 'href="https://bank.example/"' in paragraph
    figure = content.body[1].value
    assert figure["caption"] == "Where the IBAN is"
    assert figure["image"].contextual_alt_text.startswith("The IBAN box")
    assert content.body[2].value["kind"] == "warning"
    assert content.body[3].value["table_caption"] == "How long transfers take"
    assert [q.value["question"] for q in faq.get_latest_revision_as_object().faqs] == [
        "Can I pay in cash?",
        "Do you take cheques?",
    ]

    # An unknown category: the page waits in the language's Inbox, which customers never see.
    inbox = guide.get_parent().specific
    assert isinstance(inbox, CategoryPage) and inbox.slug == "inbox" and not inbox.live
    assert "put in the Inbox" in output
    steps = guide.get_latest_revision_as_object().steps
    assert steps[1].value["callout"]["kind"] == "tip"
    assert steps[0].value["image"].decorative


@pytest.mark.django_db
def test_internal_links_point_at_the_page_itself(folder, tree):
    target = tree.article(title="Find your invoice", summary="Open My account, then Invoices.")
    run(folder)
    body = (
        ArticlePage.objects.get(title="Pay by bank transfer").get_latest_revision_as_object().body
    )
    assert f'<a id="{target.pk}" linktype="page">your invoices</a>' in body[0].value.source


@pytest.mark.django_db
def test_dry_run_reports_and_changes_nothing(folder):
    pages, images, files = Page.objects.count(), get_image_model().objects.count(), media_files()
    output, error = run(folder, "--dry-run")
    assert error is None
    assert "would create" in output and "Dry run, nothing saved: 3 would create" in output
    assert Page.objects.count() == pages
    assert get_image_model().objects.count() == images
    assert media_files() == files


@pytest.mark.django_db
def test_importing_the_same_files_again_changes_nothing(folder):
    run(folder)
    revisions, images = Revision.objects.count(), get_image_model().objects.count()
    output, error = run(folder)
    assert error is None
    assert "0 created, 0 updated, 3 unchanged" in output
    assert Revision.objects.count() == revisions
    assert get_image_model().objects.count() == images


@pytest.mark.django_db
def test_a_changed_file_updates_the_draft_and_keeps_answer_links(folder):
    run(folder)
    faq = FaqPage.objects.get(title="Payment questions")
    anchors = {
        q.value["question"]: faq.anchor_for(q) for q in faq.get_latest_revision_as_object().faqs
    }
    write(folder, "billing/payments-faq.md", FAQ.replace("No.", "No, but you can pay by card."))
    output, _ = run(folder)
    assert "1 updated" in output
    latest = FaqPage.objects.get(pk=faq.pk).get_latest_revision_as_object()
    assert "pay by card" in latest.faqs[1].value["answer"].source
    assert {q.value["question"]: latest.anchor_for(q) for q in latest.faqs} == anchors


@pytest.mark.django_db
def test_a_live_page_gets_a_draft_and_customers_keep_the_published_version(tree, tmp_path):
    page = tree.article(title="Opening hours", summary="We answer from 8 to 20.")
    write(
        tmp_path,
        "hours.md",
        f"---\ntitle: Opening hours\nlanguage: en\nslug: {page.slug}\n"
        "summary: We answer around the clock.\n---\nText\n",
    )
    output, _ = run(tmp_path)
    assert "1 updated" in output
    page.refresh_from_db()
    assert page.live and page.summary == "We answer from 8 to 20." and page.has_unpublished_changes


@pytest.mark.django_db
def test_export_then_import_round_trips_every_demo_page(tmp_path):
    call_command("load_demo", verbosity=0)
    out = tmp_path / "export"
    call_command("export_markdown", str(out), stdout=io.StringIO())
    help_pages = Page.objects.type(HelpPage).count()
    files = list(out.rglob("*.md"))
    assert len(files) == help_pages
    assert (out / "files").is_dir() and any((out / "files").iterdir())
    revisions = Revision.objects.count()
    output, error = run(out)
    assert error is None
    assert f"0 created, 0 updated, {help_pages} unchanged" in output
    assert Revision.objects.count() == revisions


@pytest.mark.django_db
def test_edited_export_imports_back_as_a_draft(tmp_path, tree):
    video = VideoPage.objects.get(pk=tree.video().pk)
    call_command("export_markdown", str(tmp_path), stdout=io.StringIO())
    path = next(tmp_path.rglob("video-restart-the-router.md"))
    path.write_text(
        path.read_text().replace(
            "Unplug the router and wait.", "Unplug the router and wait ten seconds."
        )
    )
    output, error = run(tmp_path)
    assert error is None and "1 updated" in output
    latest = VideoPage.objects.get(pk=video.pk).get_latest_revision_as_object()
    assert "wait ten seconds" in latest.transcript
    assert latest.captions_id == video.captions_id  # the same file, not a copy


@pytest.mark.django_db
def test_reusable_answer_directive(tree, tmp_path):
    answer = ReusableAnswer.objects.create(
        title="Opening hours", answer="<p>8 to 20.</p>", locale=tree.locales["en"]
    )
    write(
        tmp_path,
        "a.md",
        "---\ntitle: Visit us\nlanguage: en\ncategory: billing\n---\n"
        "Come by.\n\n[[answer: Opening hours]]\n",
    )
    write(
        tmp_path, "b.md", "---\ntitle: Visit them\nlanguage: en\n---\n[[answer: Closing hours]]\n"
    )
    output, _ = run(tmp_path)
    body = ArticlePage.objects.get(title="Visit us").get_latest_revision_as_object().body
    assert body[1].block_type == "reusable_answer" and body[1].value.pk == answer.pk
    assert "no reusable answer named 'Closing hours'" in output


@pytest.mark.django_db
def test_admin_upload_of_a_zip_with_dry_run_then_import(folder, editor):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        for path in folder.rglob("*"):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
        zf.writestr("broken.md", "no front matter")
    url = reverse("editorial:markdown_upload")
    client = client_for(editor)

    def upload(dry_run):
        archive.seek(0)
        upload = io.BytesIO(archive.getvalue())
        upload.name = "docs.zip"
        return client.post(
            url, {"files": [upload], "dry_run": "on" if dry_run else ""}, follow=True
        )

    response = upload(dry_run=True)
    text = response.content.decode()
    # The import ran as a background task (inline in tests); its page shows the report.
    (job_url, _status), *_ = response.redirect_chain
    assert response.status_code == 200 and "Refresh" not in response
    assert (
        "Would be created" in text
        and "broken.md" in text
        and "does not start with front matter" in text
    )
    assert not ArticlePage.objects.filter(title="Pay by bank transfer").exists()

    # The dry run's files are kept: one button imports them, nothing chosen again.
    token = re.search(r'name="staged" value="([^"]+)"', text).group(1)
    job = MarkdownImportJob.objects.get(pk=token)
    assert job.dry_run and job.started_by == editor and job.total == 4
    kept = Path(settings.MARKDOWN_IMPORT_DIR) / job.folder
    response = client.post(url, {"staged": token}, follow=True)
    assert "Created as a draft" in response.content.decode()
    page = ArticlePage.objects.get(title="Pay by bank transfer")
    assert not page.live and page.content_owner == editor
    # Once used (or by anyone else) the kept files are gone.
    assert not kept.exists()
    assert client.post(url, {"staged": token}).status_code == 400
    assert client.get(job_url).status_code == 200
    assert "Import these files now" not in client.get(job_url).content.decode()

    response = upload(dry_run=False)
    assert "Unchanged" in response.content.decode()
    assert not any(Path(settings.MARKDOWN_IMPORT_DIR).iterdir()), "staged files left behind"


@pytest.mark.django_db
def test_upload_rejects_bad_input_with_400(editor, django_user_model, tree):
    url = reverse("editorial:markdown_upload")
    client = client_for(editor)
    assert client.get(url).status_code == 200

    bad_zip = io.BytesIO(b"PK not really a zip")
    bad_zip.name = "docs.zip"
    assert client.post(url, {"files": [bad_zip]}).status_code == 400

    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../../outside.md", "---\ntitle: X\nlanguage: en\n---\n")
    evil.seek(0)
    evil.name = "evil.zip"
    response = client.post(url, {"files": [evil]})
    assert response.status_code == 400 and "outside the folder" in response.content.decode()

    exe = io.BytesIO(b"MZ")
    exe.name = "tool.exe"
    assert client.post(url, {"files": [exe]}).status_code == 400
    assert client.post(url, {}).status_code == 400
    assert client.put(url).status_code == 405

    # Someone without page permissions (e.g. a plain staff account) may not import.
    nobody = django_user_model.objects.create_user("nobody", "n@example.com", "pw-for-tests-1")
    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    assert client_for(nobody).get(url).status_code in (302, 403)


@pytest.mark.django_db
def test_upload_speaks_the_editors_language(editor, tree):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "he"
    profile.save()
    broken = io.BytesIO(b"no front matter here")
    broken.name = "broken.md"
    linked = io.BytesIO(b"---\ntitle: T\nlanguage: en\ncategory: billing\n---\n[x](/old/x)\n")
    linked.name = "linked.md"
    response = client_for(editor).post(
        reverse("editorial:markdown_upload"), {"files": [broken, linked]}, follow=True
    )
    text = html.unescape(response.content.decode())
    assert "הקובץ לא מתחיל בכותרת מקדימה" in text
    assert "לא יובא" in text
    # The worker writes the report in the language of the editor who started the import.
    assert "הקישור '/old/x' לא מוביל לשום דף באתר" in text
    assert "עדיין אי אפשר לפרסם אותו" in text and "הסתיים" in text
