"""The sitemap lists exactly the help pages search would find."""

from datetime import timedelta
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from kb.models import CategoryPage
from search.documents import documents_for_page, indexable_pages

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_paths(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own response)
    return {urlsplit(loc.text).path for loc in root.findall("s:url/s:loc", NS)}


@pytest.mark.django_db
def test_the_sitemap_lists_exactly_what_search_finds(tree, client):
    shown = tree.article(title="Find your invoice")
    hebrew = tree.article(title="חשבונית", lang="he")
    hidden_category = CategoryPage(title="Old plans", slug="old-plans")
    tree.home["en"].add_child(instance=hidden_category)
    hidden_category.save_revision().publish()
    under_hidden = tree.article(title="Old plan prices", parent=hidden_category)
    hidden_category.refresh_from_db()
    hidden_category.unpublish()
    # Past its expiry, still live until the scheduled publishing job runs.
    expired = tree.article(title="Summer offer")
    type(expired).objects.filter(pk=expired.pk).update(
        expire_at=timezone.now() - timedelta(minutes=5)
    )
    restricted = tree.article(title="Staff only")
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    soon_expiring = tree.article(title="Winter offer")
    type(soon_expiring).objects.filter(pk=soon_expiring.pk).update(
        expire_at=timezone.now() + timedelta(days=5)
    )

    listed = sitemap_paths(client)
    help_pages_listed = {p for p in listed if p.count("/") > 3}
    found_by_search = {page.url for page in indexable_pages() if documents_for_page(page)}
    assert help_pages_listed == found_by_search
    assert {shown.url, hebrew.url, soon_expiring.url} <= listed
    for page in (under_hidden, expired, restricted):
        assert page.url not in listed
    assert "/en/old-plans/" not in listed
    assert {"/en/", "/he/", "/en/billing/", "/he/billing/"} <= listed
