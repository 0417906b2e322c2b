"""What search engines are told about a help page: schema.org JSON-LD (FAQPage, HowTo,
VideoObject, Article).

Pages are read by their ``help_type`` and the methods each type offers, so this module needs
no page classes (guides' pages included).
"""

import json

from django.utils.html import strip_tags
from django.utils.text import normalize_newlines
from wagtail.rich_text import expand_db_html

from home.addresses import page_address

SCHEMA = "https://schema.org"


def _text(html):
    """Rich text as plain text for search engines (links expanded, tags removed)."""
    text = strip_tags(expand_db_html(str(html or "")))
    return " ".join(normalize_newlines(text).split())


def _iso_duration(seconds):
    return f"PT{int(seconds)}S"


def _date(value):
    return value.isoformat() if value else None


def _absolute(request, url):
    return request.build_absolute_uri(url) if url else None


def _common(page, request, schema_type):
    return {
        "@context": SCHEMA,
        "@type": schema_type,
        "name": page.title,
        "description": page.summary,
        "inLanguage": page.locale.language_code,
        "url": page_address(page, request),
        "datePublished": _date(page.first_published_at),
        "dateModified": _date(page.last_published_at),
    }


def _answer_text(item):
    # An FAQ answer may include a reusable answer; its value says how it reads as text.
    answer_text = getattr(item, "answer_text", None)
    return answer_text() if answer_text else _text(item["answer"])


def faq_page(page, request):
    return {
        **_common(page, request, "FAQPage"),
        "mainEntity": [
            {
                "@type": "Question",
                "name": item["question"],
                "url": f"{page_address(page, request)}#{anchor}" if anchor else None,
                "acceptedAnswer": {"@type": "Answer", "text": _answer_text(item)},
            }
            for anchor, item in page.questions()
        ],
    }


def how_to(page, request):
    url = page_address(page, request)
    steps = []
    for number, block in enumerate(page.steps, start=1):
        step = {
            "@type": "HowToStep",
            "position": number,
            "name": block.value["title"],
            "text": _text(block.value["text"]),
            "url": f"{url}#step-{number}",
        }
        image = block.value.get("image")
        if image:
            step["image"] = _absolute(request, image.get_rendition("width-800").url)
        steps.append(step)
    data = {**_common(page, request, "HowTo"), "step": steps}
    if getattr(page, "estimated_minutes", None):
        data["totalTime"] = f"PT{page.estimated_minutes}M"
    return data


def video_object(page, request):
    url = page_address(page, request)
    data = {
        **_common(page, request, "VideoObject"),
        "uploadDate": _date(page.first_published_at),
        "contentUrl": _absolute(request, page.video.url),
        "transcript": _text(page.transcript),
    }
    if page.duration_seconds:
        data["duration"] = _iso_duration(page.duration_seconds)
    if page.poster:
        data["thumbnailUrl"] = _absolute(request, page.poster.get_rendition("width-1280").url)
    chapters = page.chapter_list()
    if chapters:
        ends = [start for start, _code, _title in chapters[1:]] + [page.duration_seconds or None]
        data["hasPart"] = [
            {
                "@type": "Clip",
                "name": title,
                "startOffset": start,
                **({"endOffset": end} if end else {}),
                "url": f"{url}#t={start}",
            }
            for (start, _code, title), end in zip(chapters, ends, strict=True)
        ]
    return data


def article(page, request):
    return {**_common(page, request, "Article"), "headline": page.title[:110]}


BUILDERS = {"faq": faq_page, "guide": how_to, "video": video_object, "article": article}


def for_page(page, request):
    """The JSON-LD object for a help page, or None for other pages."""
    build = BUILDERS.get(getattr(page, "help_type", None))
    if build is None:
        return None
    return {key: value for key, value in build(page, request).items() if value not in (None, "")}


def to_script_json(data):
    """JSON safe inside <script>: nothing in it can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
