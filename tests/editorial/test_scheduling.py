"""Scheduled publishing and expiry, set by editors in the page editor: items appear in search
when they go live and leave it when they expire."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from kb.models import ArticlePage
from search import service
from search.engines import get_engine
from search.engines.base import EngineQuery

from .conftest import article_form, client_for


def found(text):
    return [h.document.title for h in service.search(text, locale="en").results.hits]


def form_time(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def approve(page, reviewer):
    task_state = page.current_workflow_task_state
    client_for(reviewer).post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]),
        {"comment": ""},
    )


@pytest.mark.django_db
def test_expiry_set_by_the_editor_takes_the_page_out_of_search(tree, editor, reviewer):
    expires = timezone.now() + timedelta(hours=2)
    data = article_form("Summer promotion", "Half price in July.", expire_at=form_time(expires))
    client_for(editor).post(
        reverse("wagtailadmin_pages:add", args=["kb", "articlepage", tree.category["en"].pk]), data
    )
    page = ArticlePage.objects.get(title="Summer promotion")
    approve(page, reviewer)
    page.refresh_from_db()
    assert page.live and page.expire_at is not None
    assert found("summer promotion") == ["Summer promotion"]

    # From the expiry time on, search no longer offers it, even before the scheduler runs.
    after_expiry = page.expire_at + timedelta(minutes=1)
    assert (
        get_engine()
        .search(EngineQuery(text="summer promotion", locale="en", now=after_expiry))
        .total
        == 0
    )

    # When the time has come, the scheduled-publishing command unpublishes it for good.
    ArticlePage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(seconds=1))
    call_command("publish_scheduled", verbosity=0)
    page.refresh_from_db()
    assert not page.live and page.expired
    assert found("summer promotion") == []
    assert tree.article(
        title="Winter promotion", summary="Half price in January."
    )  # others unaffected
    assert found("winter promotion") == ["Winter promotion"]


@pytest.mark.django_db
def test_scheduled_page_enters_search_only_at_its_go_live_time(tree, editor, reviewer):
    goes_live = timezone.now() + timedelta(days=1)
    data = article_form(
        "New tariff", "Cheaper calls from next month.", go_live_at=form_time(goes_live)
    )
    client_for(editor).post(
        reverse("wagtailadmin_pages:add", args=["kb", "articlepage", tree.category["en"].pk]), data
    )
    page = ArticlePage.objects.get(title="New tariff")
    approve(page, reviewer)
    page.refresh_from_db()
    assert not page.live  # approved, waiting for its time
    assert found("new tariff") == []

    # A day passes: the approved revision's time has come.
    past = timezone.now() - timedelta(seconds=1)
    for revision in Revision.objects.filter(object_id=str(page.pk)).exclude(
        approved_go_live_at=None
    ):
        revision.approved_go_live_at = past
        revision.content["go_live_at"] = past.isoformat()
        revision.save()
    call_command("publish_scheduled", verbosity=0)
    page.refresh_from_db()
    assert page.live
    assert found("new tariff") == ["New tariff"]
