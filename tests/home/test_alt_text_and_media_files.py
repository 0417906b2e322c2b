"""Alt text that is only a file name, a captions file that is not WebVTT and a video that
is not a video all keep a page from going live."""

import uuid

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from guides.models import VideoPage
from home.publishing import PublishingBlocked, looks_like_file_name
from kb.models import ArticlePage
from tests.conftest import document, image


@pytest.mark.parametrize(
    "alt", ["ext-step2", "IMG_0042", "router.png", "router_lights", "DSC1234", "צילום-מסך-3"]
)
def test_file_names_are_not_alt_text(alt):
    assert looks_like_file_name(alt)


@pytest.mark.parametrize(
    "alt", ["The router's four status lights", "Router", "נורות הנתב", "Wi-Fi settings screen"]
)
def test_descriptions_are_alt_text(alt):
    assert not looks_like_file_name(alt)


@pytest.mark.django_db
def test_alt_text_filled_in_from_the_file_name_blocks_publishing(tree):
    img = image("router-lights.png")
    figure = {"image": {"image": img.pk, "alt_text": "router-lights", "decorative": False}}
    page = ArticlePage(
        title="Router lights",
        summary="What each light means.",
        body=[{"type": "figure", "value": figure, "id": str(uuid.uuid4())}],
    )
    page.live = False
    tree.category["en"].add_child(instance=page)
    with pytest.raises(PublishingBlocked, match="looks like a file name"):
        page.save_revision().publish()


def _text_document(name, text):
    doc = get_document_model()(title=name)
    doc.file.save(name, ContentFile(text.encode()), save=False)
    doc.save()
    return doc


@pytest.mark.django_db
def test_captions_must_be_webvtt_and_the_video_a_video(tree):
    page = VideoPage(
        title="Video: restart",
        summary="Watch how.",
        video=_text_document("notes.txt", "not a video"),
        captions=_text_document("captions.vtt", "1\n00:00:01,000 --> 00:00:02,000\nHi\n"),
        transcript="<p>Unplug it.</p>",
    )
    page.live = False
    tree.category["en"].add_child(instance=page)
    messages = [p.message for p in page.publishing_problems()]
    assert any("not a video" in m for m in messages)
    assert any("not a WebVTT" in m for m in messages)

    page.video = document("restart-router.webm")
    page.captions = document("restart-router-en.vtt")
    assert page.publishing_problems() == []
