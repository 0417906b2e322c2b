"""Turning what a customer typed into a safe query, plus the staff-managed query rules."""

import re
import unicodedata

from django.utils import timezone
from wagtail.models import Locale

from home.limits import MAX_QUERY_CHARS

from . import analysis
from .models import PromotedResult, SynonymGroup, split_terms

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_query(text):
    """Printable, single-spaced text of bounded length; anything else is dropped, not an error."""
    if not isinstance(text, str):
        return ""
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())[:MAX_QUERY_CHARS].strip()


def query_key(text):
    """The analysed form of a query, so "Router lights?" and "router light" share one key."""
    tokens = analysis.analyze_query(clean_query(text))
    words = [t for t in tokens if not t.stopword] or tokens
    return " ".join(t.forms[0] for t in words)


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
