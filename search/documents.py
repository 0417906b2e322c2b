"""What a help page becomes for search, defined once for every engine."""

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime

from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from home import help_types
from home.models import HelpPage


@dataclass
class SearchDocument:
    key: str  # "12" for a page, "12#q-1a2b3c4d" for one FAQ answer
    page_id: int
    url: str  # site-relative, with the answer's #anchor where there is one
    title: str
    type: str  # article, faq, guide, video
    locale: str
    summary: str = ""
    body: str = ""
    steps: str = ""
    transcript: str = ""
    keywords: str = ""
    category: str = ""  # the category page's slug
    category_title: str = ""
    published_at: datetime | None = None
    expire_at: datetime | None = None
    popularity: float = 0.0
    extra: dict = field(default_factory=dict)


_DATES = ("published_at", "expire_at")


def document_to_dict(doc: SearchDocument) -> dict:
    """A document as JSON-ready data (the outbox and rebuild spools keep it so)."""
    data = asdict(doc)
    for name in _DATES:
        data[name] = data[name].isoformat() if data[name] else None
    return data


def document_from_dict(data: dict) -> SearchDocument:
    names = {f.name for f in fields(SearchDocument)}
    values = {k: v for k, v in data.items() if k in names}
    for name in _DATES:
        values[name] = datetime.fromisoformat(values[name]) if values.get(name) else None
    return SearchDocument(**values)


def is_help_page_class(model):
    return issubclass(model, HelpPage)


def help_page_models():
    return list(help_types.page_models().values())


def is_public(page):
    """Live, not expired and not behind a login, password or group restriction."""
    if not page.live or page.expired:
        return False
    if page.expire_at and page.expire_at <= timezone.now():
        return False
    ancestors = page.get_ancestors(inclusive=True)
    if ancestors.filter(depth__gt=1, live=False).exists():
        return False  # an unpublished category hides its items
    return not PageViewRestriction.objects.filter(page__in=ancestors).exists()


def documents_for_page(page, categories=None):
    """The search documents for ``page``; empty when the public must not find it.

    ``categories`` (a dict, path -> category page) is given by a rebuild, whose pages are
    already known to be public: it skips the per-page checks and parent lookups, the bulk
    of a rebuild's time.
    """
    page = page.specific
    if not is_help_page_class(type(page)):
        return []
    if categories is None:
        if not is_public(page):
            return []
        category = page.get_parent().specific
    else:
        if page.expire_at and page.expire_at <= timezone.now():
            return []
        parent_path = page.path[: -page.steplen]
        if parent_path not in categories:
            categories[parent_path] = page.get_parent().specific
        category = categories[parent_path]
    # The published revision, never a draft held in memory by an editor's request.
    url = page.get_url() or page.url_path
    docs = []
    for part in page.search_parts():
        anchor = f"#{part.anchor}" if part.anchor else ""
        docs.append(
            SearchDocument(
                key=f"{page.pk}{anchor}",
                page_id=page.pk,
                url=f"{url}{anchor}",
                title=part.title,
                type=page.help_type,
                locale=page.locale.language_code,
                summary=part.summary,
                body=part.body,
                steps=part.steps,
                transcript=part.transcript,
                keywords=", ".join(part.keywords),
                category=category.slug,
                category_title=category.title,
                published_at=page.last_published_at or page.first_published_at,
                expire_at=page.expire_at,
            )
        )
    return docs


def _indexable():
    restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
    hidden = Page.objects.filter(depth__gt=1, live=False).values_list("path", flat=True)
    pages = Page.objects.live().filter(expired=False).type(*help_page_models())
    for path in [*restricted, *hidden]:
        pages = pages.exclude(path__startswith=path)
    return pages.order_by("path")


def indexable_pages():
    """Every page that may be in the index, for a rebuild."""
    # The locale is read for every document: fetched with the specific pages, not one by one.
    return _indexable().select_related("locale", for_specific_subqueries=True).specific()


def indexable_page_ids():
    """The ids of ``indexable_pages``, in the same order."""
    return _indexable().values_list("pk", flat=True)
