"""The staff-managed query rules: synonyms and promoted results for a query."""

from django.utils import timezone
from wagtail.models import Locale

from . import analysis
from .models import PromotedResult, SynonymGroup, split_terms
from .query_text import query_key


def synonyms_for(locale_code):
    """Normalised term -> normalised alternatives, read fresh so edits apply at once."""
    mapping = {}
    groups = (
        SynonymGroup.objects.filter(locale__language_code=locale_code)
        if locale_code
        else SynonymGroup.objects.all()
    )
    for terms in groups.values_list("terms", flat=True):
        keys = [k for k in (analysis.normalize(t) for t in split_terms(terms)) if k]
        for key in keys:
            mapping.setdefault(key, [])
            mapping[key].extend(
                other for other in keys if other != key and other not in mapping[key]
            )
    return mapping


def promoted_for(text, locale_code, now=None):
    key = query_key(text)
    if not key:
        return []
    promotions = PromotedResult.objects.active(now or timezone.now()).filter(query_key=key)
    if locale_code:
        promotions = promotions.filter(locale__language_code=locale_code)
    return [
        str(page_id)
        for page_id in promotions.order_by("sort_order", "pk").values_list("page_id", flat=True)
    ]


def language_codes():
    return set(Locale.objects.values_list("language_code", flat=True))
