"""The customer on a phone (390x844), in English and Hebrew: the answer comes first."""

import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from home.models import ServiceAnnouncement

from .conftest import LANGUAGES, answering

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
QUERIES = {"en": "router", "he": "נתב"}


def phone_context(browser, live_site, timezone_id="Asia/Jerusalem"):
    context = browser.new_context(
        base_url=live_site.url,
        viewport=PHONE,
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        reduced_motion="reduce",
        timezone_id=timezone_id,
    )
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def phone(browser, live_site):
    context = phone_context(browser, live_site)
    yield context.new_page()
    context.close()
    answering.wait_until_idle()


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


# The reader's time zone, not the site's (Asia/Jerusalem): London is two hours behind.
READER_ZONES = {"en": "Europe/London", "he": "Asia/Jerusalem"}


def reader_time(moment, lang):
    return moment.astimezone(ZoneInfo(READER_ZONES[lang]))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_announcement_shows_its_dates_stays_compact_and_can_be_hidden(browser, live_site, lang):
    announcement = ServiceAnnouncement.objects.get(locale__language_code=lang)
    starts, ends = (
        reader_time(announcement.starts_at, lang),
        reader_time(announcement.ends_at, lang),
    )
    context = phone_context(browser, live_site, READER_ZONES[lang])
    page = context.new_page()
    page.goto(f"/{lang}/")
    banner = page.locator(".announcement")
    expect(banner).to_be_visible()

    when = banner.locator(".announcement__when")
    expect(when).to_contain_text(f"{starts:%H:%M}")
    expect(when).to_contain_text(f"{ends:%H:%M}")
    expect(when).to_contain_text(str(starts.day))
    if lang == "en":
        same_day = starts.date() == ends.date()
        end = f"–{ends:%H:%M}" if same_day else f" – {ends:%a} {ends.day} {ends:%b}, {ends:%H:%M}"
        expect(when).to_have_text(f"{starts:%a} {starts.day} {starts:%b}, {starts:%H:%M}{end}")
    expect(banner.locator(".announcement__link")).to_be_visible()
    assert banner.bounding_box()["height"] <= 150, banner.bounding_box()

    hide = banner.get_by_role("button")
    hide.click()
    expect(banner).to_be_hidden()
    expect(page.locator("#main")).to_be_focused()

    # Remembered in this browser, on every page, without asking the server.
    page.goto(f"/{lang}/search/?q={QUERIES[lang]}")
    expect(page.locator(".results .result").first).to_be_visible()
    expect(page.locator(".announcements")).to_be_hidden()
    other = "he" if lang == "en" else "en"
    page.goto(f"/{other}/")
    expect(page.locator(".announcement")).to_be_visible()
    context.close()


def test_without_javascript_the_announcement_simply_stays(page_without_js):
    page_without_js.goto("/en/")
    expect(page_without_js.locator(".announcement__when")).to_contain_text(":00")
    expect(page_without_js.locator(".announcement__dismiss")).to_be_hidden()


PLAYS = """async (url) => {
    const video = document.createElement("video");
    video.muted = true;
    video.src = url;
    await new Promise((resolve, reject) => {
        video.addEventListener("loadeddata", resolve, { once: true });
        const failed = () => reject(new Error("cannot play " + url));
        video.addEventListener("error", failed, { once: true });
    });
    return { duration: video.duration, width: video.videoWidth, height: video.videoHeight };
}"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_demo_video_plays_as_mp4_and_webm_with_captions_in_both_languages(phone, lang):
    from .conftest import demo_url

    phone.goto(demo_url("restart-router-video", lang))
    sources = phone.locator("video source")
    types = sources.evaluate_all("sources => sources.map(s => s.type)")
    assert types == ["video/mp4", "video/webm"]
    for url in sources.evaluate_all("sources => sources.map(s => s.src)"):
        played = phone.evaluate(PLAYS, url)
        assert round(played["duration"]) == 9 and played["width"] == 640, (url, played)
    tracks = phone.locator("video track")
    assert sorted(tracks.evaluate_all("ts => ts.map(t => t.srclang)")) == ["en", "he"]
    expect(phone.locator(f"video track[srclang={lang}]")).to_have_attribute("default", "")
