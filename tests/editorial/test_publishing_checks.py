"""Pages that would fail customers cannot be published, however publishing is attempted;
drafts can still be saved, and the editor is told what to fix."""

import uuid

import pytest
from django.urls import reverse

from guides.models import VideoPage
from home.publishing import PublishingBlocked
from kb.models import ArticlePage, FaqPage
from search import service
from tests.conftest import document, image

from .conftest import article_form, client_for


def figure(img, alt="", decorative=False):
    value = {"image": {"image": img.pk, "alt_text": alt, "decorative": decorative}, "caption": ""}
    return [{"type": "figure", "value": value, "id": str(uuid.uuid4())}]


def draft(parent, page):
    page.live = False
    parent.add_child(instance=page)
    return page.save_revision()


@pytest.mark.django_db
def test_empty_short_answer_blocks_publishing_but_not_the_draft(tree):
    revision = draft(tree.category["en"], ArticlePage(title="Router warranty", summary="   "))
    with pytest.raises(PublishingBlocked, match="short answer"):
        revision.publish()
    page = ArticlePage.objects.get(title="Router warranty")
    assert not page.live
    assert service.search("router warranty", locale="en").total == 0


@pytest.mark.django_db
def test_image_without_alt_text_blocks_publishing_unless_decorative(tree):
    img = image()
    page = ArticlePage(title="Router lights", summary="What each light means.", body=figure(img))
    revision = draft(tree.category["en"], page)
    with pytest.raises(PublishingBlocked, match="alt text"):
        revision.publish()

    page.body = figure(img, decorative=True)
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.live

    page.body = figure(img, alt="Four lights on the front of the router")
    page.save_revision().publish()
    assert service.search("router lights", locale="en").total == 1


@pytest.mark.django_db
def test_video_needs_captions_and_transcript_and_poster_alt_text(tree):
    video = document("restart-router.webm")
    page = VideoPage(
        title="Video: restart", summary="Watch how.", video=video, transcript="<p>Unplug it.</p>"
    )
    revision = draft(tree.category["en"], page)
    with pytest.raises(PublishingBlocked, match="captions"):
        revision.publish()

    page.captions = document("restart-router-en.vtt")
    page.transcript = "<p></p>"
    with pytest.raises(PublishingBlocked, match="transcript"):
        page.save_revision().publish()

    page.transcript = "<p>Unplug the router, wait ten seconds.</p>"
    poster = image()
    page.poster = poster
    with pytest.raises(PublishingBlocked, match="poster image"):
        page.save_revision().publish()

    poster.description = "The router's front panel"
    poster.save()
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.live


@pytest.mark.django_db
def test_faq_question_without_answer_cannot_be_published(tree):
    faqs = [
        {
            "type": "faq",
            "value": {"question": "Can I pay cash?", "answer": "<p></p>"},
            "id": str(uuid.uuid4()),
        }
    ]
    revision = draft(
        tree.category["en"], FaqPage(title="Payments", summary="Ways to pay.", faqs=faqs)
    )
    with pytest.raises(PublishingBlocked, match="Can I pay cash"):
        revision.publish()


@pytest.mark.django_db
def test_editor_sees_why_submitting_for_review_fails(tree, editor):
    url = reverse("wagtailadmin_pages:add", args=["kb", "articlepage", tree.category["en"].pk])
    response = client_for(editor).post(
        url, article_form("Router warranty", "", action="action-submit")
    )
    assert response.status_code == 200  # the form comes back with the reason
    assert "Write a short answer" in response.content.decode()
    assert not ArticlePage.objects.filter(title="Router warranty").exists()

    # Saving the same thing as a draft works: it can be finished later.
    response = client_for(editor).post(url, article_form("Router warranty", "", action=None))
    assert response.status_code == 302
    assert not ArticlePage.objects.get(title="Router warranty").live


@pytest.mark.django_db
def test_reviewer_publish_button_refuses_with_the_reason(tree, reviewer):
    page = tree.article(title="Router warranty", summary="Two years.")
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    img = image()
    data = article_form("Router warranty", "Two years.", slug=page.slug, action="action-publish")
    data.update(
        {"body-count": "1", "body-0-type": "figure", "body-0-order": "0", "body-0-deleted": ""}
    )
    data.update(
        {
            "body-0-value-image-image": str(img.pk),
            "body-0-value-image-alt_text": "",
            "body-0-value-caption": "",
        }
    )
    response = client_for(reviewer).post(edit, data)
    assert response.status_code == 200
    assert "alt text" in response.content.decode()
    page.refresh_from_db()
    assert page.get_latest_revision().as_object().body[0].block_type == "paragraph"


@pytest.mark.django_db
def test_drafts_saved_during_review_must_pass_the_checks(tree, editor):
    url = reverse("wagtailadmin_pages:add", args=["kb", "articlepage", tree.category["en"].pk])
    client_for(editor).post(url, article_form("Pay by card", "Any card works."))
    page = ArticlePage.objects.get(title="Pay by card")
    assert page.workflow_in_progress
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client_for(editor).post(
        edit, article_form("Pay by card", "", slug=page.slug, action=None)
    )
    assert response.status_code == 200
    assert "Write a short answer" in response.content.decode()
    assert page.get_latest_revision().as_object().summary == "Any card works."


@pytest.mark.django_db
def test_bulk_publish_refuses_pages_that_break_a_rule(tree, reviewer):
    good = tree.article(title="Good page", summary="Fine.")
    good.title = "Good page, edited"
    good.save_revision()
    broken = draft(tree.category["en"], ArticlePage(title="Broken page", summary="")).content_object
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    response = client_for(reviewer).post(f"{url}?id={good.pk}&id={broken.pk}", {}, follow=True)
    text = response.content.decode()
    assert "Nothing was published" in text and "Broken page" in text
    broken.refresh_from_db()
    good.refresh_from_db()
    assert not broken.live
    assert good.title == "Good page"
