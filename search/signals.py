"""Keeps the index in step with the page tree.

Handlers run inside the transaction that changes the content, so the embedded engine can
never lag behind or lose a publish.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .indexing import reindex_subtree, remove_page


def on_publish_or_unpublish(sender, instance, **kwargs):
    # A category's title and slug are part of its items' documents, so refresh the subtree.
    reindex_subtree(instance)


def on_move(sender, instance, **kwargs):
    reindex_subtree(instance)


def on_page_deleted(sender, instance, **kwargs):
    remove_page(instance.pk)


def on_restriction_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        reindex_subtree(page)


def connect():
    page_published.connect(on_publish_or_unpublish, dispatch_uid="search-page-published")
    page_unpublished.connect(on_publish_or_unpublish, dispatch_uid="search-page-unpublished")
    page_slug_changed.connect(on_move, dispatch_uid="search-page-slug-changed")
    post_page_move.connect(on_move, dispatch_uid="search-page-moved")
    post_delete.connect(on_page_deleted, sender=Page, dispatch_uid="search-page-deleted")
    post_save.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-saved")
    post_delete.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-deleted")
