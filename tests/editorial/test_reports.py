"""Owners, review dates, missing translations and search health, as staff see them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from kb.models import ArticlePage

from .conftest import client_for


def set_review(page, owner, days):
    ArticlePage.objects.filter(pk=page.pk).update(
        content_owner=owner, review_by=timezone.localdate() + timedelta(days=days)
    )


@pytest.mark.django_db
def test_due_for_review_report_lists_overdue_and_due_soon_pages(tree, editor, reviewer):
    overdue = tree.article(title="Old fees", summary="Fees from last year.")
    soon = tree.article(title="Fees next week", summary="Due soon.")
    later = tree.article(title="Fresh page", summary="Reviewed yesterday.")
    set_review(overdue, editor, -3)
    set_review(soon, reviewer, 5)
    set_review(later, editor, 90)

    response = client_for(reviewer).get(reverse("editorial:due_for_review"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Old fees" in text and "Fees next week" in text and "Fresh page" not in text
    assert text.index("Old fees") < text.index("Fees next week")  # most urgent first
    assert "Overdue" in text and "Due soon" in text

    mine = (
        client_for(reviewer)
        .get(reverse("editorial:due_for_review"), {"owner": editor.pk})
        .content.decode()
    )
    assert "Old fees" in mine and "Fees next week" not in mine
    only_overdue = (
        client_for(reviewer)
        .get(reverse("editorial:due_for_review"), {"state": "overdue"})
        .content.decode()
    )
    assert "Old fees" in only_overdue and "Fees next week" not in only_overdue

    csv = client_for(reviewer).get(reverse("editorial:due_for_review"), {"export": "csv"})
    assert b"Old fees" in b"".join(csv.streaming_content if csv.streaming else [csv.content])


@pytest.mark.django_db
def test_dashboard_shows_the_editor_their_own_due_pages(tree, editor, reviewer):
    mine = tree.article(title="My overdue page", summary="x")
    theirs = tree.article(title="Their overdue page", summary="y")
    set_review(mine, editor, -1)
    set_review(theirs, reviewer, -1)
    dashboard = client_for(editor).get(reverse("wagtailadmin_home")).content.decode()
    assert "Your pages due for review" in dashboard
    assert "My overdue page" in dashboard and "Their overdue page" not in dashboard


@pytest.mark.django_db
def test_missing_translations_report_and_translate_button(tree, editor):
    only_english = tree.article(title="English only", summary="Not yet in Hebrew.")
    client = client_for(editor)
    text = client.get(reverse("editorial:missing_translations")).content.decode()
    assert "English only" in text and "Hebrew" in text
    assert reverse("simple_translation:submit_page_translation", args=[only_english.pk]) in text
    # The shared home and category pages exist in both languages, so they are not listed.
    assert "Billing" not in text

    # The page editor offers "Translate" to editors.
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[only_english.pk])).content.decode()
    assert reverse("simple_translation:submit_page_translation", args=[only_english.pk]) in edit

    client.post(
        reverse("simple_translation:submit_page_translation", args=[only_english.pk]),
        {"locales": [tree.locales["he"].pk]},
    )
    after = client.get(reverse("editorial:missing_translations")).content.decode()
    assert (
        reverse("simple_translation:submit_page_translation", args=[only_english.pk]) not in after
    )


@pytest.mark.django_db
def test_reports_are_for_staff_with_page_permissions(client, tree, django_user_model):
    assert client.get(reverse("editorial:due_for_review")).status_code == 302  # to the login page
    outsider = django_user_model.objects.create_user("outsider", "o@example.com", "pw-for-tests-1")
    assert client_for(outsider).get(reverse("editorial:missing_translations")).status_code in (
        302,
        403,
    )


@pytest.mark.django_db
def test_page_editor_shows_how_search_and_feedback_treat_the_page(tree, editor, settings):
    settings.SEARCH_PANEL_MIN_VISITORS = 1
    from kb.feedback import PageFeedback
    from search.models.insights import SearchClick, SearchQueryLog

    page = tree.article(title="Find your invoice", summary="Open My account.")
    now = timezone.now()
    for query, clicks in (("invoice", 3), ("bill copy", 1)):
        log = SearchQueryLog.objects.create(
            query=query,
            normalized=query,
            locale="en",
            result_count=1,
            session_key="s",
            click_count=clicks,
            created_at=now,
            updated_at=now,
        )
        for rank in range(clicks):
            SearchClick.objects.create(log=log, rank=rank + 1, url=page.url, created_at=now)
    for helpful in (True, True, False):
        PageFeedback.objects.create(page_id=page.pk, helpful=helpful, language="en", client="c")

    edit = (
        client_for(editor).get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    )
    assert "Search health" in edit
    assert "Opened from search (30 days)" in edit and ">4<" in edit.replace(" ", "").replace(
        "\n", ""
    )
    assert "“invoice”" in edit
    assert "2 of 3 (67%)" in edit


@pytest.mark.django_db
def test_mark_as_reviewed_moves_the_date_and_the_next_publish_keeps_it(tree, editor):
    from editorial.freshness import help_pages_with_review
    from home.models import REVIEW_INTERVAL

    page = tree.article(title="Checked fees", summary="Still right.")
    set_review(page, editor, -3)
    page.refresh_from_db()
    page.title = "Checked fees (draft)"
    page.save_revision(user=editor)  # a draft in progress keeps the new date too

    client = client_for(editor)
    assert client.get(reverse("editorial:mark_page_reviewed", args=[page.pk])).status_code == 405
    response = client.post(reverse("editorial:mark_page_reviewed", args=[page.pk]))
    assert response.status_code == 302
    expected = timezone.localdate() + REVIEW_INTERVAL
    assert help_pages_with_review().get(pk=page.pk).review_date == expected
    listed = client.get(reverse("editorial:due_for_review_results")).content.decode()
    assert "Checked fees" not in listed

    # Publishing the draft afterwards does not bring the old date back.
    page = ArticlePage.objects.get(pk=page.pk)
    page.get_latest_revision().publish()
    assert ArticlePage.objects.get(pk=page.pk).review_by == expected


@pytest.mark.django_db
def test_mark_as_reviewed_needs_edit_rights(tree, search_manager):
    page = tree.article(title="Not theirs", summary="x")
    response = client_for(search_manager).post(
        reverse("editorial:mark_page_reviewed", args=[page.pk])
    )
    assert response.status_code in (302, 403)
    assert ArticlePage.objects.get(pk=page.pk).review_by == page.review_by


@pytest.mark.django_db
def test_missing_translations_lists_reusable_answers_without_a_translation(tree, editor):
    from home.models import ReusableAnswer

    answer = ReusableAnswer(title="Opening hours", answer="<p>8 to 20.</p>")
    answer.locale = tree.locales["en"]
    answer.save()
    answer.save_revision().publish()
    draft = ReusableAnswer(title="Draft hours", answer="<p>Soon.</p>", live=False)
    draft.locale = tree.locales["en"]
    draft.save()

    text = client_for(editor).get(reverse("editorial:missing_translations")).content.decode()
    assert "Opening hours" in text and "Draft hours" not in text
    assert (
        reverse(
            "simple_translation:submit_snippet_translation",
            args=["home", "reusableanswer", answer.pk],
        )
        in text
    )
