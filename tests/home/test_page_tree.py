"""The page tree allows exactly: root -> home -> category -> help items."""

import pytest
from wagtail.models import Page

from guides.models import GuidePage, VideoPage
from home.models import HomePage
from kb.models import ArticlePage, CategoryPage, FaqPage

HELP_TYPES = {ArticlePage, FaqPage, GuidePage, VideoPage}


def test_home_pages_sit_at_the_root_and_hold_only_categories():
    assert set(HomePage.allowed_parent_page_models()) == {Page}
    assert set(HomePage.allowed_subpage_models()) == {CategoryPage}


def test_categories_hold_every_help_type_and_nothing_else():
    assert set(CategoryPage.allowed_parent_page_models()) == {HomePage}
    assert set(CategoryPage.allowed_subpage_models()) == HELP_TYPES


@pytest.mark.parametrize("model", sorted(HELP_TYPES, key=lambda m: m.__name__))
def test_help_items_live_only_in_categories_and_have_no_children(model):
    assert set(model.allowed_parent_page_models()) == {CategoryPage}
    assert model.allowed_subpage_models() == []


@pytest.mark.django_db
def test_an_article_cannot_be_created_directly_under_a_home_page(tree):
    assert not ArticlePage.can_create_at(tree.home["en"])
    assert ArticlePage.can_create_at(tree.category["en"])
    assert not CategoryPage.can_create_at(tree.category["en"])
