"""What the results page shows besides the hits: filter links with counts, pages, labels."""

from django.conf import settings
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from home import fragments
from home.help_types import LABELS as TYPE_LABELS


def _url(request, **changes):
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        params.setlist(key, value)
    return f"?{params.urlencode()}"


def _toggle(values, value):
    return [v for v in values if v != value] if value in values else [*values, value]


def category_titles(slugs, language):
    """{slug: title} of the topics the filters name, in ``language`` where translated; kept
    with the page fragments (until content changes), as every results page asks."""
    key = f"search:category-titles:{language}:{fragments.generation()}:{','.join(sorted(slugs))}"
    titles = cache.get(key) if len(key) < 1000 else None
    if titles is None:
        titles = {}
        for slug, title, code in Page.objects.filter(slug__in=slugs).values_list(
            "slug", "title", "locale__language_code"
        ):
            if slug not in titles or code == language:
                titles[slug] = title
        if len(key) < 1000:
            cache.set(key, titles, settings.FRAGMENT_CACHE_SECONDS)
    return titles


def facet_groups(request, outcome, language):
    """Filter groups for the template: each option has a label, count, selected and a URL."""
    facets = outcome.results.facets
    selected = {"type": outcome.filters["types"], "category": outcome.filters["categories"]}
    titles = category_titles(list(facets.get("category", {})), language)
    groups = []
    for name, heading, labels in (
        ("type", _("Type"), TYPE_LABELS),
        ("category", _("Topic"), titles),
    ):
        options = [
            {
                "value": value,
                "label": labels.get(value, value),
                "count": count,
                "selected": value in selected[name],
                "url": _url(request, **{name: _toggle(selected[name], value)}),
            }
            for value, count in sorted(facets.get(name, {}).items(), key=lambda item: -item[1])
        ]
        if options:
            groups.append({"name": name, "heading": heading, "options": options})
    current = outcome.locale or "all"
    languages = facets.get("locale", {})
    lang_options = [
        {
            "value": code,
            "label": label,
            "count": languages.get(code, 0),
            "selected": current == code,
            "url": _url(request, lang=[code]),
        }
        for code, label in settings.LANGUAGES
    ]
    lang_options.append(
        {
            "value": "all",
            "label": _("All languages"),
            "count": sum(languages.values()),
            "selected": current == "all",
            "url": _url(request, lang=["all"]),
        }
    )
    groups.append({"name": "lang", "heading": _("Language"), "options": lang_options})
    return groups


def pagination(request, outcome):
    if outcome.page_count <= 1:
        return None
    params = request.GET.copy()

    def link(number):
        params["page"] = str(number)
        return f"?{params.urlencode()}"

    window = range(max(1, outcome.page - 2), min(outcome.page_count, outcome.page + 2) + 1)
    return {
        "previous": link(outcome.page - 1) if outcome.page > 1 else None,
        "next": link(outcome.page + 1) if outcome.page < outcome.page_count else None,
        "pages": [{"number": n, "url": link(n), "current": n == outcome.page} for n in window],
    }


def correction_links(request, outcome):
    if not outcome.correction:
        return None
    return {
        "text": outcome.correction.text,
        "kind": outcome.correction.kind,
        "url": _url(request, q=[outcome.correction.text]),
        "original_url": _url(request, q=[outcome.query], spelling=["exact"]),
    }


def selected_filter_count(outcome, language):
    """How many filters narrow these results (shown on the folded filter list on phones)."""
    count = len(outcome.filters["types"]) + len(outcome.filters["categories"])
    return count + ((outcome.locale or "all") != language)


def contact_url(outcome):
    """The contact page, when the query asks for a person; in the query's language."""
    if outcome.action != "contact":
        return ""
    language = outcome.locale or translation.get_language() or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            return reverse(settings.SEARCH_CONTACT_URL_NAME)
    except NoReverseMatch:
        return ""
