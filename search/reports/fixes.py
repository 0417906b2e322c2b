"""One-step fixes for a failed search, and re-running its logged wordings afterwards.

Each fix takes effect in search at once: synonyms and promotions are read fresh on every
search. A started draft is never published; an editor finishes it.
"""

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from .. import redaction, service
from ..documents import is_help_page_class
from ..models import PromotedResult, SearchQueryLog, SearchTerm, SynonymGroup, split_terms
from ..query_text import query_key

MAX_WORDINGS = 20
KEYWORDS_CHARS = 255


def set_status(term, status, user, note=""):
    term.status = status
    term.status_changed_at = timezone.now()
    term.status_changed_by = user if user and user.is_authenticated else None
    term.reopened = False
    if note:
        term.fix_note = note[:300]
    term.save(
        update_fields=["status", "status_changed_at", "status_changed_by", "reopened", "fix_note"]
    )
    return term


def wordings(term, limit=MAX_WORDINGS):
    """The distinct wordings logged for ``term`` (most frequent first) with their counts
    and failures, falling back to the roll-up's samples once the log has been purged."""
    rows = list(
        SearchQueryLog.objects.filter(locale=term.locale, normalized=term.normalized)
        .values("query")
        .annotate(searches=Count("id"), failed=Count("id", filter=Q(result_count=0)))
        .order_by("-searches", "query")[:limit]
    )
    known = {row["query"] for row in rows}
    rows += [{"query": s, "searches": None, "failed": None} for s in term.samples if s not in known]
    return rows[:limit]


def searchable(wording):
    """A logged wording without its redaction placeholders, ready to search again."""
    return " ".join(redaction.without_placeholders(wording).split())


def rerun(term):
    """Search again for each logged wording of ``term``: which now find results?"""
    results = []
    for row in wordings(term):
        text = searchable(row["query"])
        outcome = service.search(text, locale=term.locale) if text else None
        hits = outcome.results.hits if outcome else []
        results.append(
            {
                "query": row["query"],
                "total": outcome.total if outcome else 0,
                "correction": outcome.correction.text if outcome and outcome.correction else "",
                "first_title": hits[0].document.title if hits else "",
                "first_url": hits[0].document.url if hits else "",
            }
        )
    return results


def _locale(term):
    return Locale.objects.get(language_code=term.locale)


@transaction.atomic
def add_synonym(term, wording, means, user, group=None):
    """Make ``wording`` mean the same as ``means`` in the term's language."""
    if group is None:
        group = SynonymGroup(locale=_locale(term), terms=f"{wording}, {means}")
    else:
        existing = split_terms(group.terms)
        group.terms = ", ".join(existing + [t for t in (wording, means) if t not in existing])
    group.full_clean()
    group.save()
    set_status(term, SearchTerm.HANDLED, user, _("Synonyms: %(terms)s") % {"terms": group.terms})
    return group


@transaction.atomic
def promote_page(term, page, user):
    """Show ``page`` first for every logged wording of the term (each analysed wording
    needs its own promotion: "לטופס" and "טופס" are different queries to search)."""
    locale = _locale(term)
    created = []
    seen = set()
    for row in wordings(term):
        text = searchable(row["query"])[:200]
        key = query_key(text)
        if not key or key in seen:
            continue
        seen.add(key)
        if not PromotedResult.objects.filter(locale=locale, query_key=key, page=page).exists():
            promotion = PromotedResult(locale=locale, query=text, page=page)
            promotion.full_clean()
            promotion.save()
            created.append(promotion)
    set_status(term, SearchTerm.HANDLED, user, _("Promoted: %(title)s") % {"title": page.title})
    return created


def draft_model():
    """The page type drafts are started as, from settings.SEARCH_DRAFT_PAGE_MODEL."""
    model = apps.get_model(settings.SEARCH_DRAFT_PAGE_MODEL)
    if not is_help_page_class(model):
        raise ImproperlyConfigured("SEARCH_DRAFT_PAGE_MODEL must name a help page model.")
    return model


def draft_parents(term, user):
    """Pages in the term's language where ``user`` may start a draft of the draft model."""
    parents = Page.objects.type(*draft_model().allowed_parent_page_models()).filter(
        locale__language_code=term.locale
    )
    allowed = PagePermissionPolicy().instances_user_has_permission_for(user, "add")
    return parents.filter(pk__in=allowed.values("pk")).order_by("path")


def _unique_slug(parent, title):
    base = slugify(title, allow_unicode=True)[:70] or "draft"
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _keywords(samples):
    """As many whole wordings as fit the keywords field: they are the words customers use."""
    out = ""
    for sample in samples:
        candidate = f"{out}, {sample}" if out else sample
        if len(candidate) > KEYWORDS_CHARS:
            break
        out = candidate
    return out


@transaction.atomic
def start_draft(term, parent, title, user):
    """A draft help page under ``parent``, titled ``title``, whose search keywords are the
    wordings customers used. It is never published here."""
    model = draft_model()
    samples = [s for s in (searchable(row["query"]) for row in wordings(term)) if s]
    # The short answer stays empty for the editor to write, where the page type allows a
    # draft without one; otherwise it holds the wordings until then.
    needs_summary = not model._meta.get_field("summary").blank
    page = model(
        title=title,
        slug=_unique_slug(parent, title),
        keywords=_keywords(samples),
        summary=(_("Customers searched for: %(wordings)s") % {"wordings": "; ".join(samples)})[:600]
        if needs_summary
        else "",
        locale=parent.locale,
        live=False,
        owner=user,
    )
    parent.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    set_status(term, SearchTerm.HANDLED, user, _("Draft: %(title)s") % {"title": title})
    return page
