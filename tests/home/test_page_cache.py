"""Whole public pages kept for cookieless readers (home/page_cache.py) and the site lookups
kept per thread (home/sites.py): what a reader gets must be what rendering would give."""

import re
import threading

import pytest
from django.test import Client, RequestFactory
from wagtail.models import Page, PageViewRestriction, Site

from home import sites
from home.models import HelpCenterSettings, PageViewDay
from home.visit import COOKIE as VISIT_COOKIE
from home.write_buffer import flush_all
from kb.feedback import PageFeedback


def fresh(path, **headers):
    """A first-time reader: no cookie at all."""
    return Client(HTTP_USER_AGENT="Mozilla/5.0 (Android 14)", **headers).get(path)


@pytest.mark.django_db
def test_a_kept_page_is_replaced_when_an_editor_publishes(tree):
    article = tree.article(title="Find your invoice")
    first = fresh(article.url)
    assert first.status_code == 200 and "Find your invoice" in first.content.decode()

    # Changed behind Wagtail's back: the kept page still answers...
    Page.objects.filter(pk=article.pk).update(title="Changed quietly")
    assert "Find your invoice" in fresh(article.url).content.decode()

    # ...until an editor publishes, which replaces it on the next request.
    page = Page.objects.get(pk=article.pk).specific
    page.title = "Where is my invoice"
    page.save_revision().publish()
    assert "Where is my invoice" in fresh(article.url).content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_kept_help_page_still_counts_the_read_and_the_visit_remembers_it(tree):
    article = tree.article(title="Find your invoice")
    answers = [fresh(article.url) for _ in range(3)]
    assert all(r.status_code == 200 for r in answers)
    # Every reader gets the visit cookie naming the page, rendered or kept.
    assert all(VISIT_COOKIE in r.cookies for r in answers)
    flush_all()
    assert PageViewDay.objects.get(page_id=article.pk).views == 3


@pytest.mark.django_db
def test_readers_with_cookies_or_feedback_get_their_own_page(tree, client):
    article = tree.article(title="Find your invoice")
    fresh(article.url)
    Page.objects.filter(pk=article.pk).update(title="Changed quietly")
    # A reader with a visit (their votes show on the page) or a session is rendered for.
    client.cookies[VISIT_COOKIE] = "anything"
    assert "Changed quietly" in client.get(article.url).content.decode()
    staff = Client()
    staff.cookies["sessionid"] = "x"
    assert "Changed quietly" in staff.get(article.url).content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_kept_page_gives_each_reader_their_own_token_and_their_vote_counts(tree):
    article = tree.article(title="Find your invoice")
    tokens = []
    for n in range(3):
        reader = Client(enforce_csrf_checks=True, HTTP_USER_AGENT="Mozilla/5.0")
        html = reader.get(article.url).content.decode()
        assert "Find your invoice" in html  # the kept page, after the first
        if n == 0:
            Page.objects.filter(pk=article.pk).update(title="Changed quietly")
        found = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        assert len(found) == 1 and "page-cache" not in html
        tokens.append(found.pop())
        # The no-JavaScript form, sent with the token this reader's page carried.
        form = {"page": article.pk, "helpful": "yes", "csrfmiddlewaretoken": tokens[-1]}
        vote = reader.post("/en/feedback/", form)
        assert vote.status_code == 302, vote.status_code
    assert len(set(tokens)) == 3
    flush_all()
    assert PageFeedback.objects.filter(page_id=article.pk).count() == 3


@pytest.mark.django_db
def test_a_page_behind_a_password_is_never_kept(tree):
    """Its password form carries a CSRF token, and what is behind it is not for everyone."""
    article = tree.article(title="Find your invoice")
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    for _ in range(2):
        answer = fresh(article.url)
        assert answer.status_code == 200
        html = answer.content.decode()
        assert 'name="csrfmiddlewaretoken"' in html and "Open My account" not in html
    PageViewRestriction.objects.all().delete()
    assert "Open My account" in fresh(article.url).content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_thread_keeps_its_own_site_and_home_pages(tree):
    """Wagtail page objects fill in their own attributes as they are used; two threads of a
    server process must never hold the same one."""
    seen = {}

    def look(name):
        request = RequestFactory().get("/en/")
        seen[name] = sites.home_pages(request)["en"]

    threads = [threading.Thread(target=look, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen[0].pk == seen[1].pk == tree.home["en"].pk
    assert seen[0] is not seen[1]
    look("again")
    first = seen["again"]
    look("again")
    assert seen["again"] is first  # kept within one thread


@pytest.mark.django_db
def test_a_page_showing_the_readers_token_outside_its_forms_is_never_kept(tree, monkeypatch):
    """A part rendered apart (its own call for a token) would carry the first reader's
    secret to every later reader: such a page is rendered for each reader instead."""
    from django.middleware.csrf import get_token

    from home import wagtail_hooks

    article = tree.article(title="Find your invoice")

    def also_elsewhere(request, page):
        page.summary = f"{page.summary} data-token={get_token(request)}"

    monkeypatch.setattr(wagtail_hooks.page_cache, "page_read", also_elsewhere)
    first = fresh(article.url).content.decode()
    Page.objects.filter(pk=article.pk).update(title="Changed quietly")
    assert "Changed quietly" in fresh(article.url).content.decode() and "data-token=" in first


@pytest.mark.django_db
def test_a_changed_support_phone_shows_in_the_kept_footer_at_once(client, tree):
    tree.article(title="Restart your router", summary="Unplug it.")
    assert "03-555-0199" not in client.get("/en/search/", {"q": "router"}).content.decode()
    help_settings = HelpCenterSettings.for_site(Site.objects.get(is_default_site=True))
    help_settings.support_phone = "03-555-0199"
    help_settings.save()
    assert "03-555-0199" in client.get("/en/search/", {"q": "router"}).content.decode()
