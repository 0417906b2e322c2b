"""What the page editor tells an editor before customers notice: links that lead nowhere
(those an import could not place, links to deleted or unpublished pages), and published pages
that an unpublished category hides from customers (not served, not found, not in the
sitemap)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from kb.models import ArticlePage
from search import service
from tests.conftest import uid

from .conftest import client_for

DEAD_LINKS = """---
title: Refund rules
language: en
category: billing
summary: How refunds work.
---
See [the old policy](/help/old-refund-policy) and [our plans](/en/no-such-page/).
"""


def editor_warnings(client, page):
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]), follow=True)
    assert response.status_code == 200
    return [str(m) for m in response.context["messages"]]


@pytest.mark.django_db
def test_links_an_import_could_not_place_are_shown_in_the_page_editor(tree, tmp_path, editor):
    (tmp_path / "refunds.md").write_text(DEAD_LINKS, encoding="utf-8")
    call_command("import_markdown", str(tmp_path), "--user", "erin", stdout=io.StringIO())
    page = ArticlePage.objects.get(title="Refund rules")
    (warning,) = editor_warnings(client_for(editor), page)
    assert "“/help/old-refund-policy”" in warning and "“/en/no-such-page/”" in warning

    # Once the page has been published the note has served its purpose.
    page.get_latest_revision().publish()
    assert editor_warnings(client_for(editor), page) == []


@pytest.mark.django_db
def test_links_to_deleted_pages_unpublished_pages_or_missing_anchors_are_shown(tree, editor):
    gone = tree.article(title="Old prices")
    draft = tree.article(title="Autumn offer")
    draft.unpublish()
    paragraph = (
        f'<h2>Our prices</h2><p><a linktype="page" id="{gone.pk}">prices</a> and '
        f'<a linktype="page" id="{draft.pk}">the offer</a>, <a href="#our-prices">above</a>, '
        '<a href="#old-prices">below</a></p>'
    )
    page = tree.article(
        title="Plans", body=[{"type": "paragraph", "value": paragraph, "id": uid()}]
    )
    gone.delete()
    warnings = " ".join(editor_warnings(client_for(editor), page))
    assert "leads to a page that has been deleted" in warnings
    assert "“Autumn offer”, which is not published" in warnings
    assert "leads to “#old-prices”, which is not a heading" in warnings
    assert "#our-prices" not in warnings


@pytest.mark.django_db
def test_unpublishing_a_category_warns_and_hides_its_live_pages_everywhere(
    tree, client, admin_client, editor
):
    page = tree.article(title="Fax support", summary="We no longer support fax.")
    assert client.get(page.url).status_code == 200
    category = tree.category["en"]

    # Wagtail offers to unpublish the pages too; left published, they are hidden with it.
    response = admin_client.post(
        reverse("wagtailadmin_pages:unpublish", args=[category.pk]), follow=True
    )
    text = " ".join(str(m) for m in response.context["messages"])
    assert "so the published page in it is hidden" in text
    page.refresh_from_db()
    assert page.live

    assert client.get(page.url).status_code == 404
    assert [h.document.title for h in service.search("fax", locale="en").results.hits] == []
    assert "fax-support" not in client.get("/sitemap.xml").content.decode()
    (warning,) = editor_warnings(client_for(editor), page)
    assert "This page is published, but “Billing” is not" in warning
    assert "2 published pages" not in " ".join(editor_warnings(client_for(editor), category))
    assert "published page in it is hidden" in " ".join(
        editor_warnings(client_for(editor), category)
    )

    category.get_latest_revision().publish()
    assert client.get(page.url).status_code == 200
    assert [h.document.title for h in service.search("fax", locale="en").results.hits] == [
        "Fax support"
    ]
