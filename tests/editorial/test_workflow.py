"""An editor's change reaches customers only after a reviewer approves it."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from kb.models import ArticlePage
from search import service

from .conftest import article_form, client_for


def found(text, lang="en"):
    return [h.document.title for h in service.search(text, locale=lang).results.hits]


def create_url(parent):
    return reverse("wagtailadmin_pages:add", args=["kb", "articlepage", parent.pk])


@pytest.mark.django_db
def test_editor_drafts_and_submits_but_cannot_publish(tree, editor):
    client = client_for(editor)
    category = tree.category["en"]

    response = client.post(
        create_url(category),
        article_form("Pay by bank transfer", "Use the IBAN on your bill.", action="action-publish"),
    )
    page = ArticlePage.objects.get(title="Pay by bank transfer")
    assert response.status_code == 302
    assert not page.live  # "Publish" from an editor only saves a draft
    assert found("bank transfer") == []

    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    client.post(
        edit,
        article_form("Pay by bank transfer", "Use the IBAN on your bill.", action="action-submit"),
    )
    page.refresh_from_db()
    assert page.workflow_in_progress
    assert page.current_workflow_task.name == "Reviewer approval"
    assert not page.live
    assert found("bank transfer") == []
    assert not page.permissions_for_user(editor).can_publish()
    # The editor who created it owns it, and it has a review date.
    assert page.content_owner == editor
    assert str(page.review_by) == "2031-01-01"


@pytest.mark.django_db
def test_reviewer_approval_makes_the_page_live_and_searchable(tree, editor, reviewer):
    client_for(editor).post(
        create_url(tree.category["en"]),
        article_form("Pay by bank transfer", "Use the IBAN on your bill."),
    )
    page = ArticlePage.objects.get(title="Pay by bank transfer")
    task_state = page.current_workflow_task_state

    # Only reviewers may act on the task.
    denied = client_for(editor).post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]),
        {"comment": ""},
    )
    assert denied.status_code in (302, 403)
    page.refresh_from_db()
    assert not page.live

    response = client_for(reviewer).post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]),
        {"comment": "Looks right"},
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    assert found("bank transfer") == ["Pay by bank transfer"]


@pytest.mark.django_db
def test_edit_of_a_live_page_stays_out_of_search_until_approved(tree, editor, reviewer):
    page = tree.article(title="Opening hours", summary="We answer from 8 to 20.")
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    client_for(editor).post(
        edit, article_form("Opening hours", "We answer around the clock.", slug=page.slug)
    )
    assert found("around the clock") == []
    assert found("opening hours") == ["Opening hours"]

    page = Page.objects.get(pk=page.pk).specific
    task_state = page.current_workflow_task_state
    client_for(reviewer).post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]),
        {"comment": ""},
    )
    assert found("around the clock") == ["Opening hours"]


@pytest.mark.django_db
def test_reviewer_can_reject_and_the_editor_sees_it(tree, editor, reviewer):
    client_for(editor).post(
        create_url(tree.category["en"]), article_form("Fax support", "We no longer support fax.")
    )
    page = ArticlePage.objects.get(title="Fax support")
    task_state = page.current_workflow_task_state
    client_for(reviewer).post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state.pk]),
        {"comment": "Please add the e-mail alternative"},
    )
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_state.status == "needs_changes"
    dashboard = client_for(editor).get(reverse("wagtailadmin_home"))
    assert "Fax support" in dashboard.content.decode()
