"""Staff create every kind of help page through the real admin (FAQ, guide with an uploaded
picture, video with captions and chapters), a reviewer approves it, and a customer finds it
through the public search within a second of publishing; a Hebrew translation goes through
review too; a search manager fixes a failed search in a Hebrew admin; an owner marks a page
reviewed.

Every step uses the admin's own buttons: a refusal by the form, a server error or a missing
button fails the journey.
"""

import html
import json
import re
import struct
import time
import zlib
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.html import strip_tags
from playwright.sync_api import expect

from editorial.freshness import help_pages_with_review
from guides.models import GuidePage, VideoPage
from home.models import REVIEW_INTERVAL, ReusableAnswer
from kb.feedback import PageFeedback
from kb.models import FaqPage
from search.models import SearchTerm, SynonymGroup
from search.querylog import group_key
from search.reports import rollup

from .test_staff_journeys import (
    APPROVE,
    SUBMIT,
    demo_page,
    fill_new_title,
    footer_action,
    log_in,
    not_refused,
    staff,  # noqa: F401 (fixture)
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db, pytest.mark.usefixtures("staff")]

MEDIA = Path(__file__).resolve().parents[2] / "fixtures" / "media"


def png(path, rgb):
    """A small picture no one uploaded before (the image library flags duplicates)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    width = height = 24
    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return path


def write_rich_text(page, field_id, text):
    """Type into the Draftail editor of a block's rich text field (by its id prefix).

    A block just added takes the focus for its first field a moment later, which can take
    the keys away: the editor is then given them again.
    """
    field = page.locator(f".w-field:has(#{field_id}-errors)").last
    editor = field.locator("[contenteditable=true]").first
    for _attempt in range(3):
        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.type(text)
        if text in editor.inner_text():
            break
    expect(editor).to_contain_text(text)
    # Draftail copies its content into the form's hidden input a moment later: a form sent
    # before then would go without it.
    expect(page.locator(f"input#{field_id}")).to_have_value(re.compile(saved_as(text)))


def write_field_rich_text(page, name, text):
    page.locator(f"[data-contentpath={name}] [contenteditable=true]").first.click()
    page.keyboard.type(text)
    expect(page.locator(f"input[name={name}]")).to_have_value(re.compile(saved_as(text)))


def saved_as(text):
    """How Draftail keeps ``text`` in the form's hidden input (JSON)."""
    return re.escape(json.dumps(text, ensure_ascii=False)[1:-1])


def add_block(page, stream):
    """The stream's last "+" button; a stream of one block type adds it at once."""
    before = page.locator(f"input[name^='{stream}-'][name$='-type']").count()
    page.locator(f"[data-contentpath={stream}] button[title='Insert a block']").last.click()
    expect(page.locator(f"input[name^='{stream}-'][name$='-type']")).to_have_count(before + 1)


def upload_in_chooser(page, chooser_button, file_path, **fields):
    """Choose a file by uploading it through the chooser's own Upload tab."""
    chooser_button.click()
    modal = page.locator(".modal-dialog")
    modal.locator("#tab-label-upload").click()
    modal.locator("input[type=file]").set_input_files(str(file_path))
    for name, value in fields.items():
        modal.locator(f"[name$='-chooser-upload-{name}']").fill(value)
    modal.locator("#tab-upload button[type=submit]").click()
    expect(modal).to_be_hidden(timeout=30_000)


def change_document(page, field, file_path, **fields):
    """The chooser's Actions menu, then its "Choose another document"."""
    chooser = page.locator(f"#id_{field}-chooser")
    chooser.locator(".chosen [aria-haspopup], .chosen .w-dropdown__toggle").first.click()
    another = page.locator(
        f"button[data-chooser-action-choose][aria-describedby='id_{field}-title']"
    )
    upload_in_chooser(page, another, file_path, **fields)


def approve_and_find(page, pk, lang, query, title):
    """The reviewer approves; the customer's search finds the page within a second."""
    log_in(page, "reviewer")
    page.goto(f"/admin/pages/{pk}/edit/")
    footer_action(page, APPROVE)
    not_refused(page)
    published = time.monotonic()
    while True:
        # Counted to when the search was asked, not answered: on a busy machine a response
        # alone may take a second, which says nothing about when the index had the page.
        asked = time.monotonic() - published
        response = page.request.get(f"/{lang}/search/", params={"q": query})
        assert response.status == 200
        if title in html.unescape(strip_tags(response.text())):  # words found are marked
            break
        assert asked < 1, f"{title!r} not found by {query!r} within a second of publishing"
    assert asked < 1, asked


def test_an_editor_creates_an_faq_a_reviewer_publishes_a_customer_finds_it(page, live_site):
    category = demo_page("restart-router").get_parent()

    log_in(page, "editor")
    page.goto(f"/admin/pages/add/kb/faqpage/{category.pk}/")
    # A fresh form shows no error before the editor did anything; it starts with a question.
    expect(page.locator("main")).not_to_contain_text("minimum number of items")
    expect(page.locator("[data-contentpath=faqs]")).to_contain_text("Question and answer")
    expect(page.locator("[data-contentpath=faqs]")).not_to_contain_text("Faq")
    fill_new_title(page, "Teleporter questions")
    page.fill("textarea[name=summary]", "What teleporter owners ask most.")
    page.fill("input[name='faqs-0-value-question']", "How far can the teleporter send me?")
    write_rich_text(page, "faqs-0-value-answer", "Up to twelve kilometres per jump.")
    add_block(page, "faqs")
    write_rich_text(page, "faqs-1-value-answer", "Yes, in a closed carrier.")
    page.fill("input[name='faqs-1-value-question']", "Can my cat travel by teleporter?")
    add_block(page, "faqs")
    write_rich_text(page, "faqs-2-value-answer", "It is charging; the hum stops after a minute.")
    page.fill("input[name='faqs-2-value-question']", "Why does the teleporter hum?")
    footer_action(page, SUBMIT)
    not_refused(page)
    faq = FaqPage.objects.get(title="Teleporter questions")
    assert faq.workflow_in_progress and not faq.live
    submitted = faq.get_latest_revision_as_object()
    assert [item.value.has_answer() for item in submitted.faqs] == [True, True, True]

    approve_and_find(page, faq.pk, "en", "cat teleporter", "Can my cat travel by teleporter?")
    faq = FaqPage.objects.get(pk=faq.pk)
    assert faq.live and len(faq.faqs) == 3


def test_an_editor_creates_a_guide_with_an_uploaded_picture_and_a_step_without_a_tip(
    page, live_site, tmp_path
):
    category = demo_page("restart-router").get_parent()
    picture = png(tmp_path / "teleporter-dial.png", (200, 40, 90))

    log_in(page, "editor")
    page.goto(f"/admin/pages/add/guides/guidepage/{category.pk}/")
    expect(page.locator("input[name='steps-0-value-title']")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("minimum number of items")
    fill_new_title(page, "Calibrate the teleporter dial")
    page.fill("textarea[name=summary]", "Turn the dial to zero, then to your home pad.")

    page.fill("input[name='steps-0-value-title']", "Turn the dial to zero")
    write_rich_text(page, "steps-0-value-text", "Turn the dial left until it clicks at zero.")
    upload_in_chooser(
        page,
        page.locator("#steps-0-value-image-image-chooser button").filter(has_text="Choose"),
        picture,
        title="Teleporter dial at zero",
        description="The dial pointing at zero",
    )
    page.fill("input[name='steps-0-value-image-alt_text']", "The dial pointing at zero")
    write_rich_text(page, "steps-0-value-callout-text", "The click is quiet: listen closely.")

    # The second step has no tip or warning at all.
    add_block(page, "steps")
    write_rich_text(page, "steps-1-value-text", "Turn the dial right to your home pad's number.")
    page.fill("input[name='steps-1-value-title']", "Choose your home pad")
    footer_action(page, SUBMIT)
    not_refused(page)
    guide = GuidePage.objects.get(title="Calibrate the teleporter dial")
    assert guide.workflow_in_progress and not guide.live

    approve_and_find(page, guide.pk, "en", "teleporter dial", guide.title)
    guide = GuidePage.objects.get(pk=guide.pk)
    steps = list(guide.steps)
    assert len(steps) == 2
    assert steps[0].value["image"].title == "Teleporter dial at zero"
    assert steps[1].value["callout"] is None or not steps[1].value["callout"].get("text")

    page.goto(guide.url)
    expect(page.locator("main img[alt='The dial pointing at zero']")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Choose your home pad")


def test_an_editor_creates_a_captioned_video_and_its_hebrew_translation_reviewers_publish_both(
    page, live_site, tmp_path
):
    category = demo_page("restart-router").get_parent()

    log_in(page, "editor")
    page.goto(f"/admin/pages/add/guides/videopage/{category.pk}/")
    fill_new_title(page, "Teleporter pad cleaning video")
    page.fill("textarea[name=summary]", "Wipe the teleporter pad with a dry cloth.")
    upload_in_chooser(
        page,
        page.locator("#id_video-chooser button").filter(has_text="Choose"),
        MEDIA / "video" / "restart-router.mp4",
        title="Teleporter pad cleaning",
    )
    upload_in_chooser(
        page,
        page.locator("#id_captions-chooser button").filter(has_text="Choose"),
        MEDIA / "video" / "restart-router-en.vtt",
        title="Teleporter pad cleaning, English captions",
    )
    page.fill("input[name=duration_seconds]", "9")
    write_field_rich_text(page, "transcript", "Unplug the pad. Wipe it with a dry cloth.")
    for index, (start, title) in enumerate([("0:00", "Unplug the pad"), ("0:05", "Wipe it")]):
        add_block(page, "chapters")
        page.fill(f"input[name='chapters-{index}-value-start']", start)
        page.fill(f"input[name='chapters-{index}-value-title']", title)
    footer_action(page, SUBMIT)
    not_refused(page)
    video = VideoPage.objects.get(title="Teleporter pad cleaning video")
    assert video.workflow_in_progress

    approve_and_find(page, video.pk, "en", "teleporter pad cleaning", video.title)
    video = VideoPage.objects.get(pk=video.pk)
    assert [c[2] for c in video.chapter_list()] == ["Unplug the pad", "Wipe it"]

    # The editor translates it: Hebrew words, Hebrew captions; the reviewer approves.
    hebrew = demo_page("restart-router", "he")
    log_in(page, "editor")
    page.goto(f"/admin/translation/submit/page/{video.pk}/")
    page.locator(f"input[type=checkbox][value='{hebrew.locale_id}']").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit], main form input[type=submit]").last.click()
    not_refused(page)
    page.fill("input[name=title]", "סרטון ניקוי משטח השיגור")
    page.fill("textarea[name=summary]", "מנגבים את משטח השיגור במטלית יבשה.")
    change_document(
        page,
        "captions",
        MEDIA / "video" / "restart-router-he.vtt",
        title="Teleporter pad cleaning, Hebrew captions",
    )
    footer_action(page, SUBMIT)
    not_refused(page)
    translated = VideoPage.objects.get(
        translation_key=video.translation_key, locale_id=hebrew.locale_id
    )
    assert translated.workflow_in_progress

    approve_and_find(page, translated.pk, "he", "ניקוי משטח השיגור", "סרטון ניקוי משטח השיגור")
    translated = VideoPage.objects.get(pk=translated.pk)
    assert translated.live and translated.captions.file.name.endswith(".vtt")
    assert translated.captions_id != video.captions_id

    # The English video now offers captions in both languages.
    page.goto(video.url)
    tracks = page.locator("video track[kind=captions], video track[kind=subtitles]")
    expect(tracks).to_have_count(2)
    expect(page.locator("main")).to_contain_text("Wipe it")


def test_a_manager_in_the_hebrew_admin_turns_a_failed_search_into_a_synonym(page, live_site):
    hebrew_guide = demo_page("restart-router", "he")
    means = max(hebrew_guide.title.split(), key=len)
    for _ in range(2):
        page.goto("/he/search/?q=טלפורטציה")
        expect(page.locator("main")).to_be_visible()
    rollup.refresh(force=True)
    term = SearchTerm.objects.get(normalized=group_key("טלפורטציה"), locale="he")

    log_in(page, "searchmanager")
    page.goto("/admin/account/")
    page.select_option("select[name='locale-preferred_language']", "he")
    page.locator("form button[type=submit]").last.click()
    page.goto("/admin/reports/failed-searches/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    not_refused(page)
    # The report says how fresh its figures are.
    as_of = timezone.localtime(rollup.figures_as_of()).strftime("%H:%M")
    expect(page.locator("header, main").first).to_contain_text(as_of)

    page.get_by_role("link", name="טלפורטציה").first.click()
    expect(page).to_have_url(re.compile(rf"/failed-searches/{term.pk}/"))
    expect(page.locator("input[name=wording]")).to_have_attribute("dir", "rtl")
    page.fill("input[name=wording]", "טלפורטציה")
    page.fill("input[name=means]", means)
    with page.expect_navigation():
        page.locator("form[action$='/synonym/'] button[type=submit]").click()
    not_refused(page)
    assert SynonymGroup.objects.filter(terms__contains="טלפורטציה").exists()

    # The term's own page shows it handled, in Hebrew.
    term.refresh_from_db()
    assert term.status == SearchTerm.HANDLED
    with translation.override("he"):
        handled = str(term.get_status_display())
    expect(page.locator(".search-term__facts")).to_contain_text(handled)

    # Customers now find the guide, also with an attached prefix.
    page.goto("/he/search/?q=בטלפורטציה")
    expect(page.locator("main")).to_contain_text(hebrew_guide.title)


def test_an_owner_marks_a_page_reviewed_and_reports_list_what_needs_translating(page, live_site):
    guide = demo_page("restart-router").specific
    overdue = timezone.localdate(timezone.now() - timezone.timedelta(days=3))
    GuidePage.objects.filter(pk=guide.pk).update(review_by=overdue)
    answer = ReusableAnswer(title="Teleporter pad warranty", answer="<p>Two years.</p>")
    answer.locale_id = guide.locale_id
    answer.save()
    answer.save_revision().publish()
    vote = PageFeedback.objects.create(
        page_id=guide.pk, helpful=False, language="en", client="test", reason="unclear"
    )

    log_in(page, "editor")
    page.goto("/admin/editorial/due-for-review/")
    row = page.locator("tr", has_text=guide.title)
    with page.expect_navigation():
        row.get_by_role("button", name="Mark as reviewed").click()
    not_refused(page)
    expect(page.locator(".messages")).to_contain_text("marked as reviewed")
    review_by = help_pages_with_review().get(pk=guide.pk).review_date
    assert review_by == timezone.localdate() + REVIEW_INTERVAL
    # The editor's form shows the new date, so the next publish keeps it.
    page.goto(f"/admin/pages/{guide.pk}/edit/")
    expect(page.locator("input[name=review_by]")).to_have_value(re.compile(review_by.isoformat()))

    # Reusable answers without a translation are listed with the pages.
    page.goto("/admin/editorial/missing-translations/")
    not_refused(page)
    section = page.locator("#missing-answers").locator("..")
    expect(section).to_contain_text("Teleporter pad warranty")
    expect(section.get_by_role("link", name="Translate").first).to_be_visible()

    # A vote reads "Yes" or "No", not a programmer's False.
    log_in(page, "reviewer")
    page.goto(f"/admin/snippets/kb/pagefeedback/inspect/{vote.pk}/")
    not_refused(page)
    expect(page.locator("main")).not_to_contain_text("False")
    expect(page.locator("main")).to_contain_text("No")
