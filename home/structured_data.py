"""The pieces of schema.org JSON-LD every help page type builds its own from (its
``structured_data()`` method): the properties all share, rich text as plain text, dates,
durations and absolute addresses, and JSON safe inside a <script> element.
"""

import json

from django.utils.html import strip_tags
from django.utils.text import normalize_newlines
from wagtail.rich_text import expand_db_html

from home.addresses import page_address

SCHEMA = "https://schema.org"


def text(html):
    """Rich text as plain text for search engines (links expanded, tags removed)."""
    plain = strip_tags(expand_db_html(str(html or "")))
    return " ".join(normalize_newlines(plain).split())


def iso_duration(seconds):
    return f"PT{int(seconds)}S"


def date(value):
    return value.isoformat() if value else None


def absolute(request, url):
    return request.build_absolute_uri(url) if url else None


def common(page, request, schema_type):
    return {
        "@context": SCHEMA,
        "@type": schema_type,
        "name": page.title,
        "description": page.summary,
        "inLanguage": page.locale.language_code,
        "url": page_address(page, request),
        "datePublished": date(page.first_published_at),
        "dateModified": date(page.last_published_at),
    }


def compact(data):
    """The object without its empty properties."""
    return {key: value for key, value in data.items() if value not in (None, "")}


def to_script_json(data):
    """JSON safe inside <script>: nothing in it can close the element."""
    out = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return out.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
