"""The sitemap: every live public page in every language, each pointing at its translations.

Wagtail's own sitemap lists the site's root page and its descendants, which is only one
language here: each language has its own home page beside the root. It lists what search
would find, no more: not the pages under an unpublished category (they stay live when only
the category is unpublished), nor a page whose expiry has passed before the scheduled
publishing job got round to unpublishing it.
"""

from django.db.models import Q
from django.utils import timezone
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.models import Page

from home.addresses import page_address


class HelpCenterSitemap(Sitemap):
    def items(self):
        homes = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        pages = Page.objects.none()
        for home in homes:
            pages |= Page.objects.descendant_of(home, inclusive=True)
        pages = (
            pages.live()
            .public()
            .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now()))
        )
        # Only unpublished pages with children can hide anything.
        hiding = Page.objects.filter(depth__gt=1, live=False, numchild__gt=0)
        for path in hiding.values_list("path", flat=True):
            pages = pages.exclude(path__startswith=path)
        return pages.select_related("locale").order_by("path").defer_streamfields()

    def _urls(self, page, protocol, domain):
        items = list(self.paginator.page(page).object_list)
        locations = {item.pk: page_address(item, self.request) for item in items}
        # Each entry lists its translations, so search engines show the reader's language.
        translations = {}
        for item in items:
            translations.setdefault(item.translation_key, []).append(
                {"location": locations[item.pk], "lang_code": item.locale.language_code}
            )
        urls = []
        for item in items:
            alternates = translations[item.translation_key]
            urls.append(
                {
                    "item": item,
                    "location": locations[item.pk],
                    "lastmod": item.last_published_at or item.latest_revision_created_at,
                    "alternates": alternates if len(alternates) > 1 else [],
                }
            )
        lastmods = {url["lastmod"] for url in urls}
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls


@require_safe
def sitemap_xml(request):
    return sitemap(request, {"pages": HelpCenterSitemap})
