"""An answer kept once: shown on every page that uses it, searchable there, and every such
page's search entry follows when the answer is edited and published."""

import json
import uuid

import pytest
from django.urls import reverse
from wagtail.models import Locale

from guides.models import GuidePage
from home.models import ReusableAnswer
from home.publishing import PublishingBlocked
from kb.models import ArticlePage, FaqPage
from search import service
from tests.conftest import publish

from .conftest import client_for

# "Open 24/7." as the rich text editor sends it.
DRAFTAIL_24_7 = {
    "blocks": [
        {
            "key": "a",
            "type": "unstyled",
            "depth": 0,
            "text": "Open 24/7.",
            "inlineStyleRanges": [],
            "entityRanges": [],
        }
    ],
    "entityMap": {},
}


def uid():
    return str(uuid.uuid4())


def found(text, lang="en"):
    return sorted(h.document.title for h in service.search(text, locale=lang).results.hits)


def published_answer(text, title="Service centre hours", locale=None):
    answer = ReusableAnswer(
        title=title, answer=f"<p>{text}</p>", locale=locale or Locale.get_default()
    )
    answer.save()
    answer.save_revision().publish()
    return answer


@pytest.fixture
def pages_using_it(tree):
    answer = published_answer("Open Sunday to Thursday, 08:00-20:00 (Friday until 13:00).")
    category = tree.category["en"]
    article = publish(
        category,
        ArticlePage(
            title="Visit a service centre",
            summary="Bring an ID.",
            body=[{"type": "reusable_answer", "value": answer.pk, "id": uid()}],
        ),
    )
    faq = publish(
        category,
        FaqPage(
            title="Service centre questions",
            summary="About our centres.",
            faqs=[
                {
                    "type": "faq",
                    "value": {
                        "question": "When are you open?",
                        "answer": "",
                        "reusable_answer": answer.pk,
                    },
                    "id": uid(),
                }
            ],
        ),
    )
    guide = publish(
        category,
        GuidePage(
            title="Swap your router",
            summary="Bring the old one.",
            steps=[
                {
                    "type": "step",
                    "value": {
                        "title": "Go to a centre",
                        "text": "<p>Take the router.</p>",
                        "reusable_answer": answer.pk,
                    },
                    "id": uid(),
                }
            ],
        ),
    )
    return answer, [article, faq, guide]


@pytest.mark.django_db
def test_the_answer_shows_on_every_page_that_uses_it(client, pages_using_it):
    _answer, pages = pages_using_it
    for page in pages:
        html = client.get(page.url).content.decode()
        assert "Friday until 13:00" in html, page.title


@pytest.mark.django_db
def test_the_answer_is_searchable_on_each_page(pages_using_it):
    assert found("friday") == ["Swap your router", "Visit a service centre", "When are you open?"]


@pytest.mark.django_db
def test_publishing_an_edit_reindexes_every_page_that_uses_it(pages_using_it, client):
    answer, pages = pages_using_it
    answer.answer = "<p>Open every day, Saturday evenings included.</p>"
    answer.save_revision()
    # A draft of the answer changes nothing customers see or find.
    assert found("saturday evenings") == []
    assert "Friday until 13:00" in client.get(pages[0].url).content.decode()

    answer.get_latest_revision().publish()
    assert found("saturday evenings") == [
        "Swap your router",
        "Visit a service centre",
        "When are you open?",
    ]
    assert found("friday") == []
    assert "Saturday evenings included" in client.get(pages[1].url).content.decode()


@pytest.mark.django_db
def test_unpublishing_or_deleting_the_answer_takes_its_text_out_of_search(pages_using_it):
    answer, _pages = pages_using_it
    answer.unpublish()
    assert found("friday") == []
    answer.save_revision().publish()
    assert len(found("friday")) == 3
    answer.delete()
    assert found("friday") == []


@pytest.mark.django_db
def test_a_page_cannot_be_published_with_an_unpublished_answer(tree):
    answer = ReusableAnswer.objects.create(
        title="Draft answer", answer="<p>Not yet.</p>", live=False, locale=tree.locales["en"]
    )
    page = ArticlePage(
        title="Uses a draft",
        summary="Short.",
        body=[{"type": "reusable_answer", "value": answer.pk, "id": uid()}],
        live=False,
    )
    tree.category["en"].add_child(instance=page)
    with pytest.raises(PublishingBlocked, match="not published yet"):
        page.save_revision().publish()


@pytest.mark.django_db
def test_editor_changes_to_an_answer_wait_for_a_reviewer(pages_using_it, editor, reviewer):
    answer, _pages = pages_using_it
    edit = reverse("wagtailsnippets_home_reusableanswer:edit", args=[answer.pk])
    data = {
        "title": answer.title,
        "answer": json.dumps(DRAFTAIL_24_7),
    }
    response = client_for(editor).post(edit, {**data, "action-publish": "1"})
    answer.refresh_from_db()
    assert "Friday until 13:00" in answer.answer  # the editor could not publish it
    assert response.status_code in (200, 302)

    client_for(editor).post(edit, {**data, "action-submit": "1"})
    answer.refresh_from_db()
    assert answer.workflow_in_progress
    task_state = answer.current_workflow_task_state
    client_for(reviewer).post(
        reverse(
            "wagtailsnippets_home_reusableanswer:workflow_action",
            args=[answer.pk, "approve", task_state.pk],
        ),
        {"comment": ""},
    )
    answer.refresh_from_db()
    assert "Open 24/7." in answer.answer
    assert found("24/7") == ["Swap your router", "Visit a service centre", "When are you open?"]


@pytest.mark.django_db
def test_translating_a_page_uses_the_answer_in_the_new_language(pages_using_it, tree, editor):
    answer, (article, *_rest) = pages_using_it
    hebrew = answer.copy_for_translation(tree.locales["he"])
    hebrew.answer = "<p>פתוח א׳-ה׳ 08:00-20:00.</p>"
    hebrew.save()
    response = client_for(editor).post(
        reverse("simple_translation:submit_page_translation", args=[article.pk]),
        {"locales": [tree.locales["he"].pk]},
    )
    assert response.status_code == 302
    translated = ArticlePage.objects.get(
        translation_key=article.translation_key, locale=tree.locales["he"]
    )
    assert not translated.live
    assert translated.get_latest_revision_as_object().body[0].value.pk == hebrew.pk
