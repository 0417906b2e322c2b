"""The demo help center: complete in both languages, every page renders, loading is idempotent."""

from collections import Counter

import pytest
from django.core.management import call_command
from wagtail.models import Page

from home.models import HelpPage, HomePage, ServiceAnnouncement
from kb.models import CategoryPage
from tests.conftest import html_direction


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def help_items(lang):
    return [
        p
        for p in Page.objects.live().filter(locale__language_code=lang).specific()
        if isinstance(p, HelpPage)
    ]


@pytest.mark.parametrize("lang", ["en", "he"])
def test_demo_has_enough_help_of_every_kind(demo, lang):
    items = help_items(lang)
    kinds = Counter(p.help_type for p in items)
    assert len(items) >= 40
    assert (
        kinds["guide"] >= 5 and kinds["video"] >= 3 and kinds["faq"] >= 1 and kinds["article"] >= 1
    )
    assert all(len(p.faqs) >= 5 for p in items if p.help_type == "faq")
    assert CategoryPage.objects.filter(locale__language_code=lang).count() >= 6
    assert ServiceAnnouncement.active_for_language(lang).count() == 1


def test_english_and_hebrew_items_are_translations_of_each_other(demo):
    for page in help_items("en"):
        assert page.get_translations().filter(locale__language_code="he").exists(), page.title


def test_loading_the_demo_twice_duplicates_nothing_and_prints_the_logins(demo, capsys):
    before = (Page.objects.count(), ServiceAnnouncement.objects.count())
    call_command("load_demo")
    assert (Page.objects.count(), ServiceAnnouncement.objects.count()) == before
    printed = capsys.readouterr().out
    for login in ("admin", "editor", "reviewer", "searchmanager"):
        assert f"login: {login} / helpcenter-demo" in printed


def test_one_command_leaves_the_demo_searchable(demo, client):
    response = client.get("/api/search/", {"q": "router", "lang": "en"})
    assert response.json()["total"] > 0


def test_every_demo_page_renders_in_its_language_and_direction(demo, client):
    pages = Page.objects.live().filter(depth__gte=2).specific()
    assert HomePage.objects.count() == 2
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        lang = page.locale.language_code
        assert html_direction(html) == (lang, "rtl" if lang == "he" else "ltr"), page.url
        assert html.count("<h1") == 1, page.url


def test_home_pages_are_served_under_language_prefixes(demo, client):
    assert "/en/" == HomePage.objects.get(locale__language_code="en").url
    assert "/he/" == HomePage.objects.get(locale__language_code="he").url
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="he").status_code == 302
