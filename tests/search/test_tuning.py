"""Synonyms and promoted results, managed by staff, apply at once without a rebuild."""

from datetime import timedelta

import pytest
from django.utils import timezone

from search import service
from search.models import PromotedResult, SynonymGroup

from .conftest import titles


@pytest.fixture
def content(tree):
    tree.article(title="Restart your router", summary="Unplug it for ten seconds.")
    tree.article(title="Pay an invoice by card", summary="Use a credit card in the app.")
    tree.article(title="Opening hours", summary="Sunday to Thursday, 8:00-20:00.")
    return tree


@pytest.mark.django_db
def test_synonym_finds_pages_that_use_the_other_word(content):
    # "gateway" is in no shipped variant group (modem is: see search/data)
    assert "Restart your router" not in titles(service.search("gateway", locale="en"))
    SynonymGroup.objects.create(locale=content.locales["en"], terms="gateway, router")
    assert titles(service.search("gateway", locale="en"))[0] == "Restart your router"


@pytest.mark.django_db
def test_synonyms_apply_per_language(content):
    SynonymGroup.objects.create(locale=content.locales["he"], terms="gateway, router")
    assert "Restart your router" not in titles(service.search("gateway", locale="en"))


@pytest.mark.django_db
def test_promoted_page_comes_first_for_its_query(content, tree):
    hours = tree.category["en"].get_children().get(slug="opening-hours")
    PromotedResult.objects.create(locale=content.locales["en"], query="Router?", page=hours)
    hits = service.search("router", locale="en").results.hits
    assert hits[0].document.title == "Opening hours" and hits[0].promoted
    assert "Restart your router" in [h.document.title for h in hits[1:]]
    # Other queries are untouched.
    assert titles(service.search("invoice card", locale="en"))[0] == "Pay an invoice by card"


@pytest.mark.django_db
def test_promotion_outside_its_date_window_is_not_applied(content, tree):
    hours = tree.category["en"].get_children().get(slug="opening-hours")
    now = timezone.now()
    PromotedResult.objects.create(
        locale=content.locales["en"], query="router", page=hours, starts_at=now + timedelta(days=1)
    )
    PromotedResult.objects.create(
        locale=content.locales["en"], query="router", page=hours, ends_at=now - timedelta(days=1)
    )
    hits = service.search("router", locale="en").results.hits
    assert not any(h.promoted for h in hits)
