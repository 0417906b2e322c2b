"""The home page's lists are cached (home/fragments.py) until content changes: a page an
editor publishes through Wagtail's revisions shows its new title on the next request."""

import pytest
from django.core.cache import cache
from wagtail.models import Page


@pytest.fixture
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_publishing_a_revision_refreshes_the_cached_home_page_lists(tree, client, fresh_cache):
    tree.article(title="Find your invoice")
    category = tree.category["en"]
    home = tree.home["en"].url
    assert "Billing" in client.get(home).content.decode()

    # Changed behind Wagtail's back (no publish): the cached lists still show the old title,
    # so the cache is what answers.
    Page.objects.filter(pk=category.pk).update(title="Payments and billing")
    html = client.get(home).content.decode()
    assert '<a href="/en/billing/">Billing</a>' in html and "Payments and billing" not in html

    category = Page.objects.get(pk=category.pk).specific
    category.title = "Payments"
    category.save_revision().publish()

    html = client.get(home).content.decode()
    assert '<a href="/en/billing/">Payments</a>' in html
    assert ">Billing</a>" not in html
