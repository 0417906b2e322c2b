"""What each role may do, as the admin enforces it."""

import pytest
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Workflow, WorkflowPage
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy

from home.models import ReusableAnswer, ServiceAnnouncement
from kb.models import CategoryPage

from .conftest import client_for


def can(user, model, action):
    return user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")


@pytest.mark.django_db
def test_editors_write_and_submit_but_do_not_publish(tree, editor):
    category = tree.category["en"]
    page = tree.article()
    perms = page.permissions_for_user(editor)
    assert category.permissions_for_user(editor).can_add_subpage()
    assert perms.can_edit() and perms.can_submit_for_moderation()
    assert not perms.can_publish() and not perms.can_unpublish()
    assert not category.permissions_for_user(editor).can_publish_subpage()

    assert can(editor, ReusableAnswer, "add") and can(editor, ReusableAnswer, "change")
    assert not can(editor, ReusableAnswer, "publish")
    # Editors, who hear of an outage first, post service announcements.
    assert can(editor, ServiceAnnouncement, "add") and can(editor, ServiceAnnouncement, "change")
    assert editor.has_perm("simple_translation.submit_translation")
    for model in (get_image_model(), get_document_model()):
        policy = CollectionOwnershipPermissionPolicy(model, auth_model=model)
        assert policy.user_has_permission(editor, "add") and policy.user_has_permission(
            editor, "choose"
        )

    client = client_for(editor)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    assert client.get(reverse("wagtailsnippets_home_serviceannouncement:add")).status_code == 200


@pytest.mark.django_db
def test_reviewers_approve_and_publish(tree, reviewer):
    page = tree.article()
    perms = page.permissions_for_user(reviewer)
    assert perms.can_publish() and perms.can_unpublish() and perms.can_lock()
    assert can(reviewer, ReusableAnswer, "publish")
    assert can(reviewer, ServiceAnnouncement, "add") and can(
        reviewer, ServiceAnnouncement, "change"
    )
    assert (
        client_for(reviewer)
        .get(reverse("wagtailsnippets_home_serviceannouncement:add"))
        .status_code
        == 200
    )


@pytest.mark.django_db
def test_search_managers_cannot_publish_or_touch_reusable_answers(tree, search_manager):
    page = tree.article()
    assert not page.permissions_for_user(search_manager).can_publish()
    assert not can(search_manager, ReusableAnswer, "change")
    assert client_for(search_manager).get(reverse("wagtailadmin_home")).status_code == 200


@pytest.mark.django_db
def test_every_page_and_reusable_answer_goes_through_the_review_workflow(tree):
    review = Workflow.objects.get(name="Review")
    assert [t.name for t in review.tasks] == ["Reviewer approval"]
    assert [g.name for g in review.tasks[0].specific.groups.all()] == ["Reviewers"]
    assert WorkflowPage.objects.get(page=Page.get_first_root_node()).workflow == review
    for page in (tree.home["en"], tree.home["he"], tree.category["he"], tree.article()):
        assert page.get_workflow() == review
    assert ReusableAnswer().get_workflow() == review
    assert CategoryPage.objects.get(pk=tree.category["en"].pk).get_workflow() == review


@pytest.mark.django_db
def test_each_demo_user_is_in_its_role_group():
    from django.contrib.auth import get_user_model

    from demo.users import ensure_role_users

    ensure_role_users()
    users = get_user_model().objects.filter(username__in=["editor", "reviewer", "searchmanager"])
    assert {u.username: [g.name for g in u.groups.all()] for u in users} == {
        "editor": ["Editors"],
        "reviewer": ["Reviewers"],
        "searchmanager": ["Search managers"],
    }
