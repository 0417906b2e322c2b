"""Which help pages are due for their owner's review.

``review_by`` and ``content_owner`` live on each help page type's own table; they are
brought onto one Page queryset so the report can filter, sort and page through it in SQL.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, Revision

from home import help_types
from home.models import HelpPage, default_review_by

# "Due soon" means within this many days; later dates are not in the report yet.
DUE_SOON = timedelta(days=14)


def _from_help_tables(field):
    return Coalesce(
        *(
            Subquery(m.objects.filter(pk=OuterRef("pk")).values(field)[:1])
            for m in help_types.page_models().values()
        )
    )


def help_pages_with_review():
    """Every help page, annotated with ``review_date`` and ``owner_id_ref``."""
    return Page.objects.type(HelpPage).annotate(
        review_date=_from_help_tables("review_by"),
        owner_id_ref=_from_help_tables("content_owner"),
    )


def due_for_review(today=None, within=DUE_SOON):
    today = today or timezone.localdate()
    return (
        help_pages_with_review()
        .filter(review_date__lte=today + within)
        .order_by("review_date", "title")
    )


def due_for_owner(user, today=None, limit=None):
    pages = due_for_review(today).filter(owner_id_ref=user.pk).select_related("locale")
    return pages[:limit] if limit else pages


def is_overdue(page, today=None):
    return page.review_date < (today or timezone.localdate())


@transaction.atomic
def mark_reviewed(page, user):
    """The owner checked ``page``: its next review is a full interval away.

    Only the date changes, on the page and in its live and latest revisions (so neither the
    next publish nor the editor's form brings the old date back); nothing is published and
    no draft is made.
    """
    page = page.specific
    review_by = default_review_by()
    type(page).objects.filter(pk=page.pk).update(review_by=review_by)
    for revision in Revision.objects.filter(
        pk__in={page.latest_revision_id, page.live_revision_id} - {None}
    ):
        revision.content["review_by"] = review_by.isoformat()
        revision.save(update_fields=["content"])
    log(
        instance=page,
        action="editorial.mark_reviewed",
        user=user,
        data={"review_by": str(review_by)},
    )
    page.review_by = review_by
    return review_by
