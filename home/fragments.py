"""Parts of public pages that every request would recompute (popular help, topics with their
counts, announcements), cached until the content changes.

Fragments are keyed by a content generation kept in the cache and replaced whenever a page is
published, unpublished, moved or deleted, or an announcement changes. With a cache that all
web processes share (Redis), every server sees the new generation at once; with the
per-process default, other processes keep a fragment at most FRAGMENT_CACHE_SECONDS.
"""

import uuid

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "home:content-generation"


def generation():
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = uuid.uuid4().hex
        cache.add(GENERATION_KEY, value, None)
        value = cache.get(GENERATION_KEY, value)
    return value


def content_changed(**kwargs):
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def settings_changed(created=False, **kwargs):
    """The site's settings row, made empty by the first request, changes nothing shown."""
    if not created:
        content_changed()


def connect():
    from wagtail.models import Site

    from .contact_details import ContactDetails
    from .models import HelpCenterSettings, ReusableAnswer, ServiceAnnouncement

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(content_changed, dispatch_uid=f"fragments-{signal}")
    post_delete.connect(content_changed, sender=Page, dispatch_uid="fragments-page-deleted")
    # What pages show besides their own content (whole pages are kept too: home/page_cache.py).
    for model in (ServiceAnnouncement, ReusableAnswer, Site, ContactDetails, HelpCenterSettings):
        on_save = settings_changed if model is HelpCenterSettings else None
        uid = f"fragments-{model.__name__}"
        post_save.connect(on_save or content_changed, sender=model, dispatch_uid=f"{uid}-saved")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"{uid}-deleted")
