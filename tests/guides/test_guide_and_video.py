import pytest
from django.core.exceptions import ValidationError

from guides.blocks import TimecodeBlock, timecode_seconds
from tests.conftest import html_direction


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "he"])
def test_guide_numbers_its_steps(tree, client, lang):
    page = tree.guide(
        [("Open the app", "Tap Payments."), ("Choose direct debit", "Tap Add.")], lang=lang
    )
    html = client.get(page.url).content.decode()
    assert html.count("<h1") == 1
    assert "<ol" in html
    assert html.index("Open the app") < html.index("Choose direct debit")
    assert html_direction(html) == (lang, "rtl" if lang == "he" else "ltr")


@pytest.mark.django_db
def test_guide_search_part_holds_every_step(tree):
    page = tree.guide([("Open the app", "Tap Payments."), ("Choose direct debit", "Tap Add.")])
    (part,) = page.search_parts()
    assert "Tap Payments." in part.steps and "Choose direct debit" in part.steps


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "he"])
def test_video_plays_with_captions_on_in_the_page_language(tree, client, lang):
    page = tree.video(lang=lang)
    html = client.get(page.url).content.decode()
    assert "<video" in html and page.video.url in html
    assert "<track" in html and page.captions.url in html
    assert f'srclang="{lang}"' in html and "default" in html
    assert "Unplug the router and wait." in html  # the transcript
    assert "#t=3" in html  # the chapter jumps to 0:03


@pytest.mark.django_db
def test_video_files_and_captions_are_served(tree, client):
    page = tree.video()
    video = client.get(page.video.url)
    captions = client.get(page.captions.url)
    assert video.status_code == 200 and captions.status_code == 200
    assert captions["Content-Type"].startswith("text/vtt")
    assert b"".join(captions.streaming_content).startswith(b"WEBVTT")


def test_chapter_times_are_read_as_minutes_and_seconds():
    assert timecode_seconds("0:45") == 45
    assert timecode_seconds("1:05") == 65
    assert timecode_seconds("1:02:03") == 3723
    with pytest.raises(ValidationError):
        TimecodeBlock().clean("ninety")


@pytest.mark.django_db
def test_videos_can_be_sought_so_chapters_jump(tree, client):
    page = tree.video()
    size = page.video.file.size
    part = client.get(page.video.url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{size}"
    assert len(part.content) == 100
    assert client.get(page.video.url, HTTP_RANGE=f"bytes={size + 10}-").status_code == 416
    assert client.get("/media/../config/settings/base.py").status_code == 404
