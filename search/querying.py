"""The staff-managed query rules: synonyms and promoted results for a query."""

from django.utils import timezone

from . import variants
from .models import PromotedResult, SynonymGroup, split_terms
from .query_text import clean_query
from .word_family import SynonymTable, content_words, same_phrase


def synonyms_for(locale_code):
    """Normalised term -> normalised alternatives: the shipped variant list extended by the
    staff's synonym groups, read fresh so edits apply at once. Staff groups are also looked
    up by word family (see ``word_family.SynonymTable``); the shipped list already holds
    each Hebrew word with its prefixes."""
    staff = {}
    groups = (
        SynonymGroup.objects.filter(locale__language_code=locale_code)
        if locale_code
        else SynonymGroup.objects.all()
    )
    for terms in groups.values_list("terms", flat=True):
        variants.add_group(staff, split_terms(terms))
    return SynonymTable(staff, plain=variants.default_synonyms(locale_code))


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
