"""The files that tell browsers and search engines about the whole help center, whatever
page apps it has: robots.txt and the OpenSearch description (the sitemap is home.sitemap)."""

from django.conf import settings
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET
from wagtail.models import Site

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def opensearch_context(request, lang):
    site = Site.find_for_request(request)
    home = None
    if site is not None and site.root_page_id:
        home = (
            site.root_page.get_translations(inclusive=True)
            .filter(locale__language_code=lang)
            .first()
        )
    with translation.override(lang):
        search_url = reverse("search")
    return {
        "lang": lang,
        "name": home.title if home else settings.WAGTAIL_SITE_NAME,
        "search_url": request.build_absolute_uri(search_url),
        "self_url": request.build_absolute_uri(f"{reverse('opensearch')}?lang={lang}"),
        "icon_url": request.build_absolute_uri(static("img/favicon.svg")),
    }


@require_GET
def opensearch(request):
    """An OpenSearch description, so browsers can offer to search the help center directly."""
    lang = request.GET.get("lang") or settings.LANGUAGE_CODE
    if lang not in LANGUAGE_CODES:
        return HttpResponse(
            "Unknown language.\n", status=400, content_type="text/plain; charset=utf-8"
        )
    return TemplateResponse(
        request,
        "home/opensearch.xml",
        opensearch_context(request, lang),
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )


@require_GET
def robots_txt(request):
    return TemplateResponse(
        request,
        "home/robots.txt",
        {
            "languages": sorted(LANGUAGE_CODES),
            "sitemap_url": request.build_absolute_uri("/sitemap.xml"),
        },
        content_type="text/plain; charset=utf-8",
    )
