"""axe-core finds no WCAG violations on the customer's main pages, in English and Hebrew;
a full-page screenshot of each is written to test-artifacts/screenshots/."""

from urllib.parse import quote

import pytest

from .conftest import LANGUAGES, check_accessibility, demo_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

QUERIES = {"en": "router", "he": "נתב"}
NOTHING = "qqxxzzvv"


def pages(lang):
    return {
        "home": f"/{lang}/",
        "results": f"/{lang}/search/?q={quote(QUERIES[lang])}",
        "zero-results": f"/{lang}/search/?q={NOTHING}",
        "article": demo_url("internet-down-at-night", lang),
        "faq": demo_url("billing-faq", lang),
        "guide": demo_url("restart-router", lang),
        "video": demo_url("restart-router-video", lang),
        "contact": f"/{lang}/contact/",
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_main_pages_have_no_accessibility_violations(page, lang):
    for name, url in pages(lang).items():
        response = page.goto(url)
        assert response.status == 200, url
        assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "he" else "ltr")
        check_accessibility(page, name)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_open_suggestions_and_feedback_states_have_no_violations(page, lang):
    page.goto(f"/{lang}/")
    page.locator("#home-search-q").fill(QUERIES[lang])
    page.locator("[role=listbox] [role=option]").first.wait_for()
    page.keyboard.press("ArrowDown")
    check_accessibility(page, "suggestions")

    page.goto(demo_url("restart-router", lang))
    page.locator("[data-feedback-ask] button[value=no]").click()
    page.locator("[data-feedback-reason]").wait_for()
    check_accessibility(page, "feedback-reason")

    page.goto(f"/{lang}/contact/")
    page.locator("form.contact-form button[type=submit]").click()
    page.locator(".form-problem").wait_for()
    check_accessibility(page, "contact-errors")
