"""The index follows publishing: what the public can see is found, nothing else ever is."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from search import service

from .conftest import titles


def found(text, lang="en"):
    return titles(service.search(text, locale=lang))


@pytest.mark.django_db
def test_published_page_is_found_at_once(tree):
    tree.article(title="Replace a broken router", summary="We send a new router for free.")
    assert found("broken router") == ["Replace a broken router"]


@pytest.mark.django_db
def test_draft_changes_stay_out_of_the_index_until_published(tree):
    page = tree.article(title="Router warranty", summary="Two years.")
    page.title = "Router warranty SECRETDRAFT"
    page.save_revision()  # saved as a draft, not published
    assert found("SECRETDRAFT") == []
    page.get_latest_revision().publish(log_action=False)
    assert found("SECRETDRAFT") == ["Router warranty SECRETDRAFT"]


@pytest.mark.django_db
def test_unpublished_page_is_gone(tree):
    page = tree.article(title="Fax support", summary="We no longer support fax.")
    page.unpublish()
    assert found("fax") == []


@pytest.mark.django_db
def test_unpublishing_a_category_hides_its_items(tree):
    tree.article(title="Fax support", summary="We no longer support fax.")
    tree.category["en"].unpublish()
    assert found("fax") == []


@pytest.mark.django_db
def test_deleted_page_is_gone(tree):
    page = tree.article(title="Fax support", summary="We no longer support fax.")
    page.delete()
    assert found("fax") == []


@pytest.mark.django_db
def test_page_behind_a_login_or_password_is_never_shown(tree):
    page = tree.article(title="Staff only: refunds override", summary="Internal process.")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert found("refunds override") == []
    PageViewRestriction.objects.filter(page=page).delete()
    assert found("refunds override") == ["Staff only: refunds override"]

    PageViewRestriction.objects.create(
        page=tree.category["en"], restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert found("refunds override") == []
    call_command("search_reindex", no_progress=True, verbosity=0)
    assert found("refunds override") == []


@pytest.mark.django_db
def test_moved_page_is_found_at_its_new_address(tree):
    page = tree.article(title="Meter reading", summary="Send the meter reading in the app.")
    other = tree.home["en"].add_child(
        instance=type(tree.category["en"])(
            title="Utilities", slug="utilities", locale=tree.locales["en"]
        )
    )
    other.save_revision().publish(log_action=False)
    page.move(other, pos="last-child")
    (hit,) = service.search("meter reading", locale="en").results.hits
    assert hit.document.url == "/en/utilities/meter-reading/"
    assert hit.document.category == "utilities"


@pytest.mark.django_db
def test_expired_page_leaves_search_at_its_expiry_time(tree):
    page = tree.article(title="Summer promotion", summary="Half price in July.")
    page.expire_at = timezone.now() + timedelta(minutes=5)
    page.save_revision().publish(log_action=False)
    assert found("summer promotion") == ["Summer promotion"]
    later = timezone.now() + timedelta(minutes=10)
    assert titles(service.search("summer promotion", locale="en", engine=None)) == [
        "Summer promotion"
    ]
    from search.engines import get_engine
    from search.engines.base import EngineQuery

    assert (
        get_engine().search(EngineQuery(text="summer promotion", locale="en", now=later)).total == 0
    )
    # The scheduled-publishing command unpublishes it and the index follows.
    page.expire_at = timezone.now() - timedelta(seconds=1)
    page.save(update_fields=["expire_at"])
    call_command("publish_scheduled", verbosity=0)
    assert found("summer promotion") == []


@pytest.mark.django_db
def test_rebuild_indexes_every_public_help_item_once(tree):
    tree.article(title="One", summary="first article")
    tree.faq([("Q one?", "A one."), ("Q two?", "A two.")])
    call_command("search_reindex", no_progress=True, verbosity=0)
    from search.engines import get_engine

    assert get_engine().count() == 3
