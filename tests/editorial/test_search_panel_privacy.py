"""The editor's "Searches that led here" shows only wordings many visitors used, redacted:
never one customer's own search, and not a phrase a few scripted visitors planted."""

import pytest
from django.urls import reverse
from django.utils import timezone

from search.models.insights import SearchClick, SearchQueryLog

from .conftest import client_for


def searched(page, query, visitors, clicks_each=1):
    now = timezone.now()
    for visitor in range(visitors):
        log = SearchQueryLog.objects.create(
            query=query,
            normalized=query,
            locale="en",
            result_count=1,
            session_key=f"{query}-{visitor}",
            click_count=clicks_each,
            created_at=now,
            updated_at=now,
        )
        for rank in range(1, clicks_each + 1):  # a result counts once per search
            SearchClick.objects.create(log=log, rank=rank, url=page.url, created_at=now)


def panel(editor, page):
    return client_for(editor).get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content


@pytest.mark.django_db
def test_only_wordings_enough_visitors_used_are_shown_and_only_redacted(tree, editor, settings):
    settings.SEARCH_PANEL_MIN_VISITORS = 5
    page = tree.article(title="Find your invoice", summary="Open My account.")
    searched(page, "invoice copy", visitors=5)
    # One visitor clicking many times, or four visitors together, stay below the bar.
    searched(page, "dana levi invoice", visitors=1, clicks_each=30)
    searched(page, "buy cheap pills", visitors=4, clicks_each=5)
    # A wording logged before redaction covered it is shown redacted.
    searched(page, "invoice for dana@example.com", visitors=6)

    html = panel(editor, page).decode()
    assert "“invoice copy”" in html
    assert "“invoice for [email]”" in html
    assert "dana levi" not in html and "cheap pills" not in html
    assert "dana@example.com" not in html


@pytest.mark.django_db
def test_the_bar_is_a_setting(tree, editor, settings):
    page = tree.article(title="Find your invoice", summary="Open My account.")
    searched(page, "invoice copy", visitors=2)
    settings.SEARCH_PANEL_MIN_VISITORS = 3
    assert "invoice copy" not in panel(editor, page).decode()
    settings.SEARCH_PANEL_MIN_VISITORS = 2
    assert "“invoice copy”" in panel(editor, page).decode()
