"""The staff-managed query rules: synonyms and promoted results for a query."""

from django.utils import timezone
from wagtail.models import Locale

from . import analysis
from .models import PromotedResult, SynonymGroup, split_terms
from .query_text import clean_query
from .word_family import SynonymTable, content_words, same_phrase


def synonyms_for(locale_code):
    """Normalised term -> normalised alternatives, read fresh so edits apply at once; looked
    up by word family (see ``word_family.SynonymTable``)."""
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
    return SynonymTable(mapping)


def promoted_for(text, locale_code, now=None):
    """Pages promoted for ``text`` or any wording of the same words (see ``word_family``)."""
    words = content_words(clean_query(text))
    if not words:
        return []
    promotions = PromotedResult.objects.active(now or timezone.now())
    if locale_code:
        promotions = promotions.filter(locale__language_code=locale_code)
    rows = promotions.order_by("sort_order", "pk").values_list("query", "page_id")
    matching = (page_id for query, page_id in rows if same_phrase(words, content_words(query)))
    return [str(page_id) for page_id in dict.fromkeys(matching)]


def language_codes():
    return set(Locale.objects.values_list("language_code", flat=True))
