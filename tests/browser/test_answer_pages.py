"""Answer-first pages in a real browser: FAQ answers that open where they are linked, and
videos with captions on in the page's language and chapters that move the video."""

import pytest
from playwright.sync_api import expect

from .conftest import LANGUAGES, demo_url

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_link_to_an_faq_answer_opens_that_answer(page, lang):
    url = demo_url("billing-faq", lang)
    page.goto(url)
    answers = page.locator("details.faq")
    second = answers.nth(1)
    anchor = second.get_attribute("id")
    assert not second.evaluate("d => d.open")

    page.goto(f"{url}#{anchor}")
    expect(second).to_have_js_property("open", True)
    assert not answers.nth(0).evaluate("d => d.open")

    # Opened in place with the keyboard too.
    answers.nth(0).locator("summary").focus()
    page.keyboard.press("Enter")
    expect(answers.nth(0)).to_have_js_property("open", True)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_video_shows_captions_in_the_page_language_and_chapters_jump(page, lang):
    page.goto(demo_url("restart-router-video", lang))
    video = page.locator("video#help-video")
    video.evaluate(
        "v => new Promise(r => v.readyState >= 1 ? r() : v.addEventListener('loadedmetadata', r))"
    )
    track = video.evaluate(
        "v => { const t = v.textTracks[0]; return {lang: t.language, mode: t.mode, kind: t.kind}; }"
    )
    assert track == {"lang": lang, "mode": "showing", "kind": "captions"}

    chapter = page.locator(".chapters a[data-seconds]").nth(1)
    seconds = float(chapter.get_attribute("data-seconds"))
    chapter.focus()
    page.keyboard.press("Enter")
    # The video jumps to the chapter and plays from there; the chapter is marked as playing.
    expect(chapter).to_have_attribute("aria-current", "time")
    position = video.evaluate("v => { v.pause(); return v.currentTime; }")
    assert seconds <= position < seconds + 3
    assert page.url.endswith(f"#t={int(seconds)}")
    expect(page.locator(".transcript")).to_be_visible()
