"""What a customer typed, made safe to search and to key staff rules by (no models here, so
the models can use it)."""

import re
import unicodedata

from home.limits import MAX_QUERY_CHARS

from . import analysis

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
