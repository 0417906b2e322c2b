"""Template tags shared by the public templates: announcements, language links, badges,
popular help, the contact link, structured data and the strings the page scripts need.

They only read. Lookups that every page needs (the home page of each language) are kept
per process (home/sites.py).
"""

import mimetypes
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.db.models import Q
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, gettext
from wagtail.models import Page, Site

from home import fragments, help_types, sites, structured_data
from home.contact_details import ContactDetails
from home.limits import MAX_QUERY_CHARS
from home.models import HelpPage, HomePage, ServiceAnnouncement

register = template.Library()


def _current_language():
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _home_pages(request):
    """{language code: live home page} for the request's site."""
    return sites.home_pages(request)


@register.simple_tag(takes_context=True)
def localized_home(context):
    """The home page in the active language (or the site's root page when it has none)."""
    request = context.get("request")
    homes = _home_pages(request)
    return homes.get(_current_language()) or next(iter(homes.values()), None)


@register.simple_tag
def content_generation():
    """The key part that changes whenever published content does (home.fragments)."""
    return fragments.generation()


@register.simple_tag
def fragment_cache_seconds():
    return settings.FRAGMENT_CACHE_SECONDS


@register.simple_tag(takes_context=True)
def active_announcements(context):
    """Service announcements that are active now, in the active language, most severe first."""
    return list(ServiceAnnouncement.active_for_language(_current_language()).select_related("link"))


@register.simple_tag
def contact_details():
    """The contact details (phone, hours, holidays, channels) in the active language."""
    return ContactDetails.for_language(_current_language())


def _translated_url(request, page, language_code):
    """Where the switcher sends someone who wants ``language_code`` from this request."""
    if page is not None:
        translation = (
            page.get_translations(inclusive=False)
            .live()
            .filter(locale__language_code=language_code)
            .first()
        )
        if translation is not None:
            return translation.get_url(request)
    elif request is not None:
        # Pages that are not Wagtail pages (e.g. search) exist in every language under the
        # same name; keep the query so a search carries over.
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        if match is not None and match.url_name != "wagtail_serve":
            url = translate_url(request.get_full_path(), language_code)
            if url != request.get_full_path():
                return url
    home = _home_pages(request).get(language_code)
    if home is not None:
        return home.get_url(request)
    return f"/{language_code}/"


@register.simple_tag(takes_context=True)
def language_links(context):
    """One entry per site language: code, name in that language, URL, and whether it is current."""
    request = context.get("request")
    page = context.get("page")
    if not isinstance(page, Page):
        page = None
    current = _current_language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        is_current = code == current
        if is_current and request is not None:
            url = request.get_full_path()
        else:
            url = _translated_url(request, page, code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "bidi": info["bidi"],
                "is_current": is_current,
                "url": url,
            }
        )
    return links


@register.simple_tag(takes_context=True)
def breadcrumb_pages(context, page):
    """The live ancestors of ``page`` from its language's home page down, not the page itself."""
    home = localized_home(context)
    if page is None or home is None:
        return []
    return list(page.get_ancestors().filter(depth__gte=home.depth).live())


@register.simple_tag
def with_item_counts(categories):
    """[(category, number of live public help items)] in one query, for the categories grid."""
    categories = list(categories)
    if not categories:
        return []
    parents = {c.path: c.pk for c in categories}
    children = Q()
    for category in categories:
        children |= Q(path__startswith=category.path, depth=category.depth + 1)
    counts = {}
    for path in Page.objects.live().public().filter(children).values_list("path", flat=True):
        parent = parents.get(path[: -Page.steplen])
        counts[parent] = counts.get(parent, 0) + 1
    return [(c, counts.get(c.pk, 0)) for c in categories]


@register.filter
def help_type_label(page):
    """The badge text for a help item: FAQ, Article, Guide or Video ("" for other pages)."""
    return help_types.LABELS.get(page.help_type, "") if isinstance(page, HelpPage) else ""


@register.filter
def type_label(code):
    """The label of a help type code ("faq" -> FAQ), as a search result's badge shows it."""
    return help_types.LABELS.get(code, "")


@register.filter
def help_type(page):
    """The help item's type code, for CSS classes: article, faq, guide, video."""
    return page.help_type if isinstance(page, HelpPage) else ""


@register.filter
def timecode(seconds):
    """65 -> '1:05', 3723 -> '1:02:03'."""
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def media_type(document):
    """The MIME type of an uploaded file, for <source type>; '' when unknown."""
    name = getattr(getattr(document, "file", None), "name", "") or ""
    guessed, _encoding = mimetypes.guess_type(name)
    return guessed or ""


@register.simple_tag
def max_query_chars():
    """The search box's maxlength (home.limits)."""
    return MAX_QUERY_CHARS


POPULAR_LIMIT = 5


@register.simple_tag(takes_context=True)
def popular_help(context, language):
    """The home page's popular help in ``language`` (at most five items)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None or not site.root_page_id:
        return []
    home = (
        HomePage.objects.live()
        .filter(translation_key=site.root_page.translation_key, locale__language_code=language)
        .first()
    )
    return home.popular_pages()[:POPULAR_LIMIT] if home else []


@register.simple_tag
def contact_url(query=""):
    """The contact form, carrying a search the customer already tried."""
    url = reverse("contact")
    return f"{url}?{urlencode({'q': query})}" if query else url


@register.simple_tag
def ui_strings():
    """Text the page scripts show or announce, in the page's language."""
    return {
        "suggestions": gettext("Suggestions"),
        "oneSuggestion": gettext("1 suggestion. Use the up and down arrow keys to choose."),
        "manySuggestions": gettext(
            "%(count)s suggestions. Use the up and down arrow keys to choose."
        ),
        "noSuggestions": gettext("No suggestions. Press Enter to search."),
        "types": {key: str(label) for key, label in help_types.LABELS.items()},
        "pageNote": gettext("Sorry this did not help."),
        "stepNote": gettext("Sorry that step %(step)s did not work."),
        "feedbackFailed": gettext("Sorry, we could not save that. Please try again."),
        "articlesHeading": gettext("These answers may help:"),
    }


@register.simple_tag(takes_context=True)
def json_ld(context, page):
    """schema.org JSON-LD for a help page, as a <script> element ("" for other pages)."""
    if not isinstance(page, HelpPage):
        return ""
    data = structured_data.compact(page.structured_data(context.get("request")))
    script = structured_data.to_script_json(data)
    return mark_safe(f'<script type="application/ld+json">{script}</script>')  # noqa: S308 (escaped above)
