"""The customer's journeys in a real browser, with the keyboard only, in English and Hebrew:
search as you type, results and filters, feedback, and a person with the context kept."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from wagtail.models import Page

from kb.contact import ContactRequest
from kb.feedback import PageFeedback

from .conftest import LANGUAGES, demo_url, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

TEXT = {
    "en": {
        "prefix": "restart",
        "query": "router",
        "guide": "Guide",
        "subject": "router lights",
        "step_note": "Sorry that step 2 did not work.",
        "sent": "We received your message",
    },
    "he": {
        "prefix": "הפעלה",
        "query": "נתב",
        "guide": "מדריך",
        "subject": "נורות הנתב",
        "step_note": "מצטערים ששלב 2 לא עבד.",
        "sent": "קיבלנו את הפנייה שלך",
    },
}


def focused(locator):
    return locator.evaluate("element => element === document.activeElement")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keyboard_only_from_a_few_words_to_a_person(page, lang):
    text = TEXT[lang]

    # Home: type a few words, choose a suggestion with the arrow keys, Enter opens it.
    page.goto(f"/{lang}/")
    box = page.locator("#home-search-q")
    tab_to(page, box)
    page.keyboard.type(text["prefix"], delay=20)
    options = page.locator(f"#{box.get_attribute('aria-controls')} [role=option]")
    expect(options.first).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    count = options.count()
    announced = page.locator(".has-suggestions [role=status]")
    expect(announced).not_to_be_empty()
    if count > 1:
        expect(announced).to_contain_text(str(count))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(box).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    expect(options.first).to_have_attribute("aria-selected", "true")
    chosen = options.first.locator(".suggestion__title").inner_text()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(chosen)
    first_read = chosen

    # The header search: Enter without choosing a suggestion goes to the results page.
    header_box = page.locator("#site-search-q")
    tab_to(page, header_box)
    page.keyboard.type(text["query"], delay=20)
    expect(
        page.locator(f"#{header_box.get_attribute('aria-controls')} [role=option]").first
    ).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/{lang}/search/\?q="))
    status = page.locator(".result-count[role=status]")
    expect(status).to_contain_text(text["query"])

    # Filter by type with the keyboard; every result left is a guide.
    guide_filter = page.locator(".search-filters a", has_text=text["guide"])
    tab_to(page, guide_filter)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"type=guide"))
    badges = page.locator(".results .result__meta .badge:not(.badge--promoted)")
    expect(badges.first).to_be_visible()
    assert set(badges.all_inner_texts()) == {text["guide"]}

    # Open the first result.
    first_result = page.locator(".results .result__title a").first
    guide_title = first_result.inner_text()
    tab_to(page, first_result)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(guide_title)

    # "This step didn't work" on step 2, then why, all in place.
    step_button = page.locator("#step-2 .step__feedback button")
    tab_to(page, step_button)
    page.keyboard.press("Enter")
    heading = page.locator("[data-feedback-reason-heading]")
    expect(heading).to_be_focused()
    expect(heading).to_contain_text(text["step_note"])
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # from the first reason to the second: "unclear"
    expect(page.locator("#feedback-reason-unclear")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("The button is not there", delay=5)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("[data-feedback-thanks-text]")).to_be_focused()
    feedback = PageFeedback.objects.get(page_id=Page.objects.get(title=guide_title).pk)
    assert (feedback.helpful, feedback.step, feedback.reason) == (False, 2, "unclear")
    assert feedback.comment == "The button is not there"

    # A person, without typing it all again: the form knows what this visit did.
    contact_link = page.locator("[data-feedback-unhelpful] a")
    tab_to(page, contact_link)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/{lang}/contact/$"))
    tried = page.locator("#id_tried")
    tried_text = tried.input_value()
    assert text["query"] in tried_text
    assert first_read in tried_text
    assert guide_title in tried_text and "2" in tried_text

    subject = page.locator("#id_subject")
    tab_to(page, subject, backwards=True)
    page.keyboard.type(text["subject"], delay=20)
    expect(page.locator(".contact-suggestions a").first).to_be_visible()
    tab_to(page, page.locator("#id_message"))
    page.keyboard.type("It still blinks red.", delay=5)
    tab_to(page, page.locator("#id_email"))
    page.keyboard.type("dana@example.com", delay=5)
    tab_to(page, page.locator(".contact-form button[type=submit]"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(text["sent"])

    request = ContactRequest.objects.get()
    assert (request.subject, request.email, request.language) == (
        text["subject"],
        "dana@example.com",
        lang,
    )
    assert request.tried == tried_text.strip()
    assert page.locator("[data-contact-sent]").inner_text().count(request.reference) == 1
    assert len(mail.outbox) == 1 and request.reference in mail.outbox[0].subject


@pytest.mark.parametrize("lang", LANGUAGES)
def test_layout_follows_the_reading_direction(page, lang):
    page.goto(demo_url("restart-router", lang))
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "he" else "ltr")
    box = page.locator("#site-search-q")
    button = page.locator(".search-form--header button")
    step = page.locator("#step-1")
    box.fill(TEXT[lang]["query"])
    listbox = page.locator(f"#{box.get_attribute('aria-controls')}")
    expect(listbox).to_be_visible()

    box_edge, button_edge, list_edge = (
        box.bounding_box(),
        button.bounding_box(),
        listbox.bounding_box(),
    )
    form_edge = page.locator(".search-form--header").bounding_box()
    side = page.evaluate("getComputedStyle(document.querySelector('#step-1')).borderRightWidth")
    if lang == "he":
        assert button_edge["x"] < box_edge["x"]  # the button follows the box, to its left
        assert (
            abs((list_edge["x"] + list_edge["width"]) - (form_edge["x"] + form_edge["width"])) < 2
        )
        assert side == "4px"  # the step's line is on the right, where reading starts
    else:
        assert button_edge["x"] > box_edge["x"]
        assert abs(list_edge["x"] - form_edge["x"]) < 2
        assert step.evaluate("e => getComputedStyle(e).borderLeftWidth") == "4px"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_escape_closes_the_suggestions_then_clears_the_box(page, lang):
    page.goto(f"/{lang}/")
    box = page.locator("#home-search-q")
    box.focus()
    page.keyboard.type(TEXT[lang]["query"], delay=20)
    listbox = page.locator(f"#{box.get_attribute('aria-controls')}")
    expect(listbox).to_be_visible()
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    assert box.input_value() == TEXT[lang]["query"]
    page.keyboard.press("Escape")
    assert box.input_value() == ""


def test_search_feedback_and_contact_work_without_javascript(page_without_js):
    page = page_without_js
    page.goto("/en/")
    page.locator("#home-search-q").fill("router")
    page.keyboard.press("Enter")
    expect(page.locator(".result-count")).to_contain_text("router")
    expect(page.locator(".results .result").first).to_be_visible()

    # Nothing found: what to try, popular help, and a person who gets the query.
    page.locator("#search-page-q").fill("qqxxzzvv")
    page.keyboard.press("Enter")
    expect(page.locator(".no-results")).to_be_visible()
    expect(page.locator(".popular--no-results .help-item").first).to_be_visible()
    page.locator(".no-results__contact a").click()
    expect(page.locator("#id_subject")).to_have_value("qqxxzzvv")
    assert "“router”, “qqxxzzvv”" in page.locator("#id_tried").input_value()

    # Feedback: "No" comes back asking why; the reason comes back with thanks.
    page.goto(demo_url("internet-down-at-night", "en"))
    page.locator("[data-feedback-ask] button[value=no]").click()
    expect(page.locator("[data-feedback-reason]")).to_be_visible()
    page.locator("#feedback-reason-outdated").check()
    page.locator("#feedback-comment").fill("The maintenance times changed.")
    page.locator("[data-feedback-reason] button[type=submit]").click()
    expect(page.locator("[data-feedback-thanks]")).to_be_visible()
    feedback = PageFeedback.objects.get()
    assert (feedback.reason, feedback.comment) == ("outdated", "The maintenance times changed.")

    # The contact form sends without JavaScript too.
    page.goto("/en/contact/?q=router")
    page.locator("#id_message").fill("Nothing helped.")
    page.locator("#id_email").fill("sam@example.com")
    page.locator(".contact-form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("We received your message")
    assert "It is out of date" in ContactRequest.objects.get().tried
