"""Keeps the index in step with the page tree.

Handlers run inside the transaction that changes the content, so the embedded engine can
never lag behind or lose a publish.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction, ReferenceIndex
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from home.searchable import SHOWN_ON_PAGES

from .indexing import reindex_page, reindex_subtree, remove_page
from .models import IndexOutboxEntry
from .outbox import drain_after_commit


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


def _referring_page_ids(instance):
    page_type = ContentType.objects.get_for_model(Page)
    ids = ReferenceIndex.get_references_to(instance).filter(base_content_type=page_type)
    return {int(pk) for pk in ids.values_list("object_id", flat=True)}


def _reindex_live_pages(page_ids):
    for page in Page.objects.filter(pk__in=page_ids, live=True).specific():
        reindex_page(page)


def on_referenced_object_saved(sender, instance, raw=False, **kwargs):
    """Something pages show (``home.searchable.SHOWN_ON_PAGES``, e.g. a reusable answer)
    changed: every live page that shows it, as Wagtail's reference index knows, gets new
    documents."""
    if not raw:
        _reindex_live_pages(_referring_page_ids(instance))


def on_referenced_object_deleting(sender, instance, **kwargs):
    # The references are dropped with the object, so note the pages while they are known.
    instance._search_referring_page_ids = _referring_page_ids(instance)


def on_referenced_object_deleted(sender, instance, **kwargs):
    _reindex_live_pages(getattr(instance, "_search_referring_page_ids", ()))


def connect():
    # Index work recorded for a remote engine is applied once its transaction commits.
    post_save.connect(
        drain_after_commit, sender=IndexOutboxEntry, dispatch_uid="search-outbox-recorded"
    )
    page_published.connect(on_publish_or_unpublish, dispatch_uid="search-page-published")
    page_unpublished.connect(on_publish_or_unpublish, dispatch_uid="search-page-unpublished")
    page_slug_changed.connect(on_move, dispatch_uid="search-page-slug-changed")
    post_page_move.connect(on_move, dispatch_uid="search-page-moved")
    post_delete.connect(on_page_deleted, sender=Page, dispatch_uid="search-page-deleted")
    post_save.connect(
        on_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-saved"
    )
    post_delete.connect(
        on_restriction_changed,
        sender=PageViewRestriction,
        dispatch_uid="search-restriction-deleted",
    )
    for label in SHOWN_ON_PAGES:
        model = apps.get_model(label)
        uid = f"search-referrers-{model._meta.label_lower}"
        for signal, handler, suffix in (
            (post_save, on_referenced_object_saved, "saved"),
            (pre_delete, on_referenced_object_deleting, "deleting"),
            (post_delete, on_referenced_object_deleted, "deleted"),
        ):
            signal.connect(handler, sender=model, dispatch_uid=f"{uid}-{suffix}")
