"""A Hebrew page opened from the public Hebrew results page shows, in its editor, that it
was opened from search and by which searches (the "Searches that led here" panel). Hebrew
attaches prefixes to words, so visitors type one search in several wordings: the panel
counts them together, as the reports do, instead of each wording falling below the bar."""

import html as html_lib
import re

import pytest
from django.test import Client
from django.urls import reverse

from search import querylog

from .conftest import client_for


def first_result_link(response):
    match = re.search(r'<h2 class="result__title"><a href="([^"]+)"', response.content.decode())
    return html_lib.unescape(match.group(1))


@pytest.mark.django_db
def test_clicks_from_hebrew_results_reach_the_editor_panel(tree, editor, settings):
    settings.SEARCH_PANEL_MIN_VISITORS = 3
    page = tree.article(
        title="איפה החשבונית",
        summary="פותחים את החשבון שלי ואז חשבוניות.",
        lang="he",
        slug="איפה-החשבונית",
    )
    for wording in ("חשבונית", "החשבונית", "לחשבונית"):
        customer = Client()  # each a visitor of their own
        results = customer.get("/he/search/", {"q": wording})
        assert results.status_code == 200
        opened = customer.get(first_result_link(results))
        assert opened.status_code == 302
        assert customer.get(opened["Location"]).status_code == 200
    querylog.flush()

    html = client_for(editor).get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    text = html.content.decode()
    opened_count = re.search(r"Opened from search \(30 days\)\s*</dt>\s*<dd[^>]*>\s*(\d+)", text)
    assert opened_count and opened_count.group(1) == "3", text[text.find("Opened from") :][:300]
    # One search, shown once, by one of its wordings.
    shown = [w for w in ("חשבונית", "החשבונית", "לחשבונית") if f"“{w}”" in text]
    assert len(shown) == 1, text[text.find("Searches that led here") :][:300]
