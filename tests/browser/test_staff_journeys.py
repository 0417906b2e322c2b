"""Staff journeys through the real Wagtail admin, with its own buttons: what an editor,
a reviewer and a search manager do, in English and in a Hebrew admin.

A refusal by the form ("could not be saved"), a server error or a missing button fails the
journey, as it would stop the person doing it.
"""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Page

from demo.loader import translation_key
from demo.users import ensure_role_users
from guides.models import GuidePage
from home.models import ReusableAnswer
from kb.models import ArticlePage
from search.models import PromotedResult, SearchTerm, SynonymGroup
from search.querylog import group_key
from search.reports import rollup

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PASSWORD = "helpcenter-demo"  # noqa: S105 - the documented demo login
REFUSED = re.compile(r"could not be (saved|created)|validation errors|Server Error", re.I)


@pytest.fixture
def staff():
    ensure_role_users()


def log_in(page, username):
    page.set_default_timeout(30_000)
    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.locator("main, #main")).to_be_visible()
    assert "/admin/login/" not in page.url


def fill_new_title(page, title):
    """Type a new page's title as an editor does, once the editor's script follows the field:
    typed before it has started (a busy machine), the page keeps an empty slug and is
    refused on its Promote tab."""
    page.wait_for_function(
        """() => {
            const field = document.querySelector("input[name=title]");
            const app = window.wagtail && window.wagtail.app;
            return field && app && app.getControllerForElementAndIdentifier(field, "w-sync");
        }"""
    )
    page.fill("input[name=title]", title)
    page.locator("input[name=title]").blur()
    expect(page.locator("input[name=slug]")).not_to_have_value("")


def not_refused(page):
    body = page.locator("body").inner_text()
    assert not REFUSED.search(body), body[:2000]


def footer_action(page, selector):
    """Press a button of the editor's footer: the main one, or one from its menu."""
    button = page.locator(selector).first
    if not button.is_visible():
        page.locator(".w-dropdown-button button[aria-expanded]").last.click()
    # Wait for the answer to the form: the test's own database reads share the live server's
    # connection, so they must not run while the server is still saving.
    with page.expect_navigation():
        button.click()
    page.wait_for_load_state()


SUBMIT = "button[name=action-submit]"
APPROVE = "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"


def demo_page(key, lang="en"):
    return Page.objects.get(translation_key=translation_key(key), locale__language_code=lang)


def test_a_demo_guide_goes_through_review_unchanged(page, live_site, staff):
    guide = demo_page("restart-router").specific
    revisions_before = guide.revisions.count()

    log_in(page, "editor")
    page.goto(f"/admin/pages/{guide.pk}/edit/")
    footer_action(page, SUBMIT)
    not_refused(page)
    expect(page.locator(".messages")).to_contain_text("submitted")

    guide.refresh_from_db()
    assert guide.workflow_in_progress
    # One revision for the submission, no stray draft beside it.
    added = [r.content for r in guide.revisions.order_by("pk")[revisions_before:]]
    assert len(added) == 1, [
        {k: v for k, v in r.items() if added[0].get(k) != v} for r in added[1:]
    ]

    log_in(page, "reviewer")
    page.goto(f"/admin/pages/{guide.pk}/edit/")
    footer_action(page, APPROVE)
    not_refused(page)
    guide = GuidePage.objects.get(pk=guide.pk)
    assert guide.live and not guide.has_unpublished_changes
    assert not guide.workflow_in_progress

    page.goto("/en/search/?q=restart+router")
    expect(page.locator("main")).to_contain_text(guide.title)


def test_hebrew_admin_right_to_left_and_a_translation_says_why_it_cannot_publish(
    page, live_site, staff
):
    answer = ReusableAnswer(title="Teleporter hours", answer="<p>Open all night.</p>")
    answer.locale_id = Page.objects.get(pk=demo_page("restart-router").pk).locale_id
    answer.save()
    answer.save_revision().publish()
    article = (
        demo_page("restart-router")
        .get_parent()
        .add_child(
            instance=ArticlePage(
                title="Teleporter opening hours",
                slug="teleporter-hours",
                summary="When the teleporter is open.",
                body=[{"type": "reusable_answer", "value": answer.pk}],
                locale_id=answer.locale_id,
            )
        )
    )
    article.save_revision().publish()

    # The editor chooses Hebrew as the admin's language, on their account page.
    log_in(page, "editor")
    page.goto("/admin/account/")
    page.select_option("select[name='locale-preferred_language']", "he")
    page.locator("form button[type=submit]").last.click()
    page.goto("/admin/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "he")

    # A Hebrew guide: every text field, stream blocks too, is right to left.
    hebrew_guide = demo_page("restart-router", "he")
    page.goto(f"/admin/pages/{hebrew_guide.pk}/edit/")
    not_refused(page)
    for selector in ("input[name=title]", "textarea[name=summary]", "input[name$='-value-title']"):
        expect(page.locator(selector).first).to_have_attribute("dir", "rtl")

    # Translate the English page; its answer has no Hebrew version: the editor is told.
    page.goto(f"/admin/translation/submit/page/{article.pk}/")
    page.locator(f"input[type=checkbox][value='{hebrew_guide.locale_id}']").check()
    page.locator("main form button[type=submit], main form input[type=submit]").last.click()
    page.wait_for_load_state()
    expect(page.locator(".messages")).to_contain_text("Teleporter hours")
    footer_action(page, SUBMIT)
    expect(page.locator("body")).to_contain_text("Teleporter hours")
    translated = ArticlePage.objects.get(
        translation_key=article.translation_key, locale_id=hebrew_guide.locale_id
    )
    assert not translated.live and not translated.workflow_in_progress


def test_a_manager_reads_every_report_and_fixes_a_failed_search(page, live_site, staff):
    # Customers search for a word no page uses; the figures are brought up to date.
    for query in ("hyperdrive", "hyperdrive"):
        page.goto(f"/en/search/?q={query}")
        expect(page.locator("main")).to_be_visible()
    rollup.refresh(force=True)
    term = SearchTerm.objects.get(normalized=group_key("hyperdrive"), locale="en")

    log_in(page, "searchmanager")
    reports = [
        "/admin/reports/failed-searches/",
        "/admin/reports/searches-without-click/",
        "/admin/reports/top-searches/",
        "/admin/reports/search-trends/",
        "/admin/reports/helpfulness/",
        "/admin/snippets/kb/pagefeedback/",
    ]
    for url in reports:
        response = page.goto(url)
        assert response.status == 200, url
        not_refused(page)
        if "trends" not in url and "snippets" not in url:
            export = page.request.get(f"{url}?export=csv")
            assert export.status == 200, url
            assert "csv" in export.headers["content-type"]
            assert export.body().startswith("\ufeff".encode()), url  # Excel reads it as UTF-8

    # From the failed searches report to the term, then the three fixes.
    page.goto("/admin/reports/failed-searches/")
    page.get_by_role("link", name="hyperdrive").first.click()
    expect(page).to_have_url(re.compile(rf"/failed-searches/{term.pk}/"))
    page.fill("input[name=wording]", "hyperdrive")
    page.fill("input[name=means]", "router")
    page.get_by_role("button", name="Save synonyms").click()
    not_refused(page)
    assert SynonymGroup.objects.filter(terms__icontains="hyperdrive").exists()

    guide = demo_page("restart-router")
    page.get_by_role("button", name=re.compile("Choose a page", re.I)).first.click()
    modal = page.locator(".modal-dialog")
    modal.locator("input[name=q]").fill("Restart your router")
    choice = modal.locator("a[data-chooser-modal-choice], a.choose-page").filter(
        has_text=re.compile(r"^\s*Restart your router\s*$")
    )
    expect(choice.first).to_be_visible()
    choice.first.click()
    expect(modal).to_be_hidden()
    page.get_by_role("button", name="Promote page").click()
    not_refused(page)
    expect(page.locator(".messages")).to_contain_text("shown first")
    assert PromotedResult.objects.filter(page=guide).exists()

    page.fill("input[name=title]", "Hyperdrive help")
    page.get_by_role("button", name="Start draft").click()
    not_refused(page)
    assert ArticlePage.objects.filter(title="Hyperdrive help", live=False).exists()

    # The search now succeeds for the word family, the promoted guide first.
    page.goto("/en/search/?q=hyperdrives")
    expect(page.locator("main ol a, main .result a").first).to_contain_text(guide.title)


def test_an_editor_writes_an_article_and_an_announcement_a_reviewer_publishes(
    page, live_site, staff
):
    category = demo_page("restart-router").get_parent()

    log_in(page, "editor")
    page.goto(f"/admin/pages/add/kb/articlepage/{category.pk}/")
    fill_new_title(page, "Pair the teleporter remote")
    page.fill("textarea[name=summary]", "Hold the pairing button for five seconds.")
    footer_action(page, SUBMIT)
    not_refused(page)
    article = ArticlePage.objects.get(title="Pair the teleporter remote")
    assert article.workflow_in_progress and not article.live

    # Announcements go live on their start time, without review; the list says so.
    page.goto("/admin/snippets/home/serviceannouncement/add/?locale=en")
    page.fill("textarea[name=message]", "Teleporter pairing is slow tonight")
    page.select_option("select[name=severity]", "warning")
    page.locator("main form button[type=submit], footer button[type=submit]").first.click()
    not_refused(page)
    page.goto("/admin/snippets/home/serviceannouncement/")
    row = page.locator("tr", has_text="Teleporter pairing is slow tonight")
    expect(row).to_contain_text("Warning")

    log_in(page, "reviewer")
    page.goto(f"/admin/pages/{article.pk}/edit/")
    footer_action(page, APPROVE)
    not_refused(page)
    article.refresh_from_db()
    assert article.live

    page.goto("/en/search/?q=teleporter+remote")
    expect(page.locator("main")).to_contain_text("Pair the teleporter remote")
    page.goto("/en/")
    expect(page.locator("body")).to_contain_text("Teleporter pairing is slow tonight")
