"""The customer on a phone (390x844), in English and Hebrew: the answer comes first."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import LANGUAGES

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
QUERIES = {"en": "router", "he": "נתב"}


@pytest.fixture
def phone(browser, live_site):
    context = browser.new_context(
        base_url=live_site.url,
        viewport=PHONE,
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        reduced_motion="reduce",
        timezone_id="Asia/Jerusalem",
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def above_the_fold(locator):
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_first_result_is_above_the_fold_and_filters_fold_away(phone, lang):
    phone.goto(f"/{lang}/search/?q={QUERIES[lang]}")
    first = phone.locator(".results .result").first
    expect(first).to_be_visible()
    title = first.locator(".result__title")
    assert above_the_fold(title), title.bounding_box()

    # The filters wait behind one line that says how many there are; opening it shows counts.
    toggle = phone.locator(".search-filters > summary")
    expect(toggle).to_be_visible()
    filter_links = phone.locator(".search-filters__list a")
    expect(filter_links.first).to_be_hidden()
    toggle.click()
    expect(filter_links.first).to_be_visible()
    expect(filter_links.first.locator(".count")).to_have_text(re.compile(r"\(\d+\)"))
