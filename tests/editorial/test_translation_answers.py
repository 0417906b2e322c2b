"""A translated page cannot go live showing a reusable answer in the other language; the
editor is told why, and what to do, as soon as the translation is opened."""

import pytest
from django.urls import reverse

from home.publishing import PublishingBlocked
from kb.models import ArticlePage

from .conftest import client_for
from .test_reusable_answers import pages_using_it  # noqa: F401 - a fixture


def translate(client, article, tree):
    response = client.post(
        reverse("simple_translation:submit_page_translation", args=[article.pk]),
        {"locales": [tree.locales["he"].pk]},
    )
    assert response.status_code == 302
    return ArticlePage.objects.get(
        translation_key=article.translation_key, locale=tree.locales["he"]
    )


@pytest.mark.django_db
def test_an_english_answer_on_a_hebrew_page_is_named_and_stops_publishing(
    pages_using_it,  # noqa: F811
    tree,
    editor,
):
    answer, (article, *_rest) = pages_using_it
    client = client_for(editor)
    translated = translate(client, article, tree)

    edit = client.get(reverse("wagtailadmin_pages:edit", args=[translated.pk]), follow=True)
    warnings = [str(m) for m in edit.context["messages"]]
    assert any("Service centre hours" in w and "no Hebrew version" in w for w in warnings)

    latest = translated.get_latest_revision()
    with pytest.raises(PublishingBlocked, match="no Hebrew version"):
        latest.publish()

    hebrew = answer.copy_for_translation(tree.locales["he"])
    hebrew.answer = "<p>פתוח א׳-ה׳ 08:00-20:00.</p>"
    hebrew.save()
    hebrew.save_revision().publish()
    problems = translated.get_latest_revision_as_object().publishing_problems()
    assert any("choose its Hebrew version" in p.message for p in problems)
