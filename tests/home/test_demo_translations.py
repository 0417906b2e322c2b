"""The demo says the same facts in English and Hebrew. In every page and its translation: the
same numbers (prices, days, hours, steps, phone numbers), links, e-mail and web addresses and
pictures; the same menu paths and highlighted names; the same number of steps, questions,
chapters, numbered and bulleted points and table rows; the same guide durations and video
chapter times; and each video's captions cue at the same moments in both languages."""

import copy
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DEMO = FIXTURES / "demo"
CAPTIONS = FIXTURES / "media" / "video"
# Fields that name files, links or keys rather than say something to the customer.
NOT_PROSE = {
    "key",
    "file",
    "video",
    "video_alternative",
    "poster",
    "captions",
    "link",
    "icon",
    "type",
    "window",
}
# Fields that hold the same value in both languages.
SAME_VALUE = ("file", "video", "video_alternative", "poster", "start", "minutes", "duration")
LISTS = ("steps", "faqs", "chapters")
DIGITS = re.compile(r"\d+(?:[.,:]\d+)*")
TAG = re.compile(r"<[^>]+>")
HREF = re.compile(r'href="/(?:en|he)(/[^"]*)"')
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
WEB = re.compile(r"(?<![@\w.-])[\w-]+(?:\.[\w-]+)*\.example\b")
# The arrow between the steps of a menu path ("Account → Security"); Hebrew reads it leftwards.
MENU_ARROW = {"en": "→", "he": "←"}
# Numbers written as words, where the two languages most often differ.
WORDS = {
    "en": {
        "two(?!-(?:step|factor))": "2",  # "two-step verification" is a name, not a count
        "three": "3",
        "four": "4",
        "five": "5",
        "six": "6",
        "seven": "7",
        "eight": "8",
        "nine": "9",
        "ten": "10",
        "twelve": "12",
    },
    "he": {
        "שתיים": "2",
        # "שני הקצוות" is "both ends", "השני" "the second" or "the other": neither a count.
        "(?<!ה)שני(?!\\s+ה)": "2",
        "(?<!ה)שתי(?!\\s+ה)": "2",
        "שלושה": "3",
        "ארבעה": "4",
        "חמישה": "5",
        "שישה": "6",
        "שבעה": "7",
        "תשעה": "9",
        "עשרה": "10",
        "שניים": "2",
        "שלוש": "3",
        "ארבע": "4",
        "חמש": "5",
        "שש": "6",
        "שבע": "7",
        "שמונה": "8",
        "תשע": "9",
        "עשר": "10",
        "שתים עשרה": "12",
        "שנתיים": "2",
        "יומיים": "2",
        "שבועיים": "2",
        "חודשיים": "2",
        "שעתיים": "2",
    },
}
# Hebrew attaches "and, the, in, to, from, that" to the word that follows; "שני מסכים" is
# "two screens".
HEBREW_PREFIX = "[והבלמש]{0,2}"


def demo_items(language):
    data = yaml.safe_load((DEMO / f"{language}.yaml").read_text(encoding="utf-8"))
    items = {f"announcement:{a['key']}": a for a in data.get("announcements", [])}
    for category in data["categories"]:
        items[f"category:{category['key']}"] = {k: v for k, v in category.items() if k != "items"}
        items.update((item["key"], item) for item in category.get("items", []))
    return items


def values(value, field=None):
    """Every (field, scalar) in an item, lists and nested blocks included."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from values(inner, key)
    elif isinstance(value, list):
        for inner in value:
            yield from values(inner, field)
    else:
        yield field, value


def prose(item):
    return [v for f, v in values(item) if isinstance(v, str) and f not in NOT_PROSE]


def numbers(texts, language):
    found = Counter()
    for text in texts:
        text = TAG.sub(" ", text)
        found.update(DIGITS.findall(text))
        for word, number in WORDS[language].items():
            if language == "he":
                pattern = rf"(?<![\u0590-\u05ff]){HEBREW_PREFIX}{word}(?![\u0590-\u05ff])"
            else:
                pattern = rf"\b{word}\b"
            found[number] += len(re.findall(pattern, text, flags=re.IGNORECASE))
    return +found  # drop zero counts


def points(html, tag):
    """How many points each numbered (ol) or bulleted (ul) list holds."""
    return [inner.count("<li>") for inner in re.findall(rf"<{tag}>(.*?)</{tag}>", html, re.S)]


def outline(item):
    """The page's build: its blocks in order, each table's size, each step's picture and note."""
    blocks = []
    for block in item.get("body") or []:
        ((kind, value),) = block.items()
        if kind == "table":
            kind = f"table {len(value['rows'])}x{len(value['header'])}"
        elif kind == "callout":
            kind = f"callout {value.get('kind', 'tip')}"
        blocks.append(kind)
    steps = [
        (bool(step.get("image")), (step.get("callout") or {}).get("kind"))
        for step in item.get("steps", [])
    ]
    return {"blocks": blocks, "steps": steps}


def facts(item, language):
    """What a page states that must not change in translation."""
    texts = prose(item)
    html = " ".join(texts)
    links = [HREF.findall(text) for text in texts]
    if item.get("link"):
        links.append([item["link"]])
    return {
        "numbers": numbers(texts, language),
        "lists": {name: len(item[name]) for name in LISTS if name in item},
        "links": Counter(link for found in links for link in found),
        "addresses": Counter(EMAIL.findall(html) + WEB.findall(TAG.sub(" ", html))),
        "same values": Counter((f, str(v)) for f, v in values(item) if f in SAME_VALUE),
        "menu steps": html.count(MENU_ARROW[language]),
        "highlighted names": html.count("<b>"),
        "headings": html.count("<h2>"),
        "numbered points": points(html, "ol"),
        "bulleted points": points(html, "ul"),
        "outline": outline(item),
    }


def mismatch(english, hebrew):
    en, he = facts(english, "en"), facts(hebrew, "he")
    problems = []
    for name, value in en.items():
        if he[name] == value:
            continue
        if isinstance(value, Counter):
            problems.append(
                f"{name}: only in English {dict(value - he[name])}, "
                f"only in Hebrew {dict(he[name] - value)}"
            )
        else:
            problems.append(f"{name}: English {value}, Hebrew {he[name]}")
    return "; ".join(problems)


ENGLISH, HEBREW = demo_items("en"), demo_items("he")


def test_every_demo_page_has_its_translation():
    assert set(ENGLISH) == set(HEBREW)


@pytest.mark.parametrize("key", sorted(ENGLISH))
def test_a_page_and_its_translation_state_the_same_facts(key):
    problems = mismatch(ENGLISH[key], HEBREW[key])
    assert not problems, f"{key}: {problems}"


def cues(filename):
    return re.findall(r"^(\S+ --> \S+)", (CAPTIONS / filename).read_text("utf-8"), re.M)


@pytest.mark.parametrize("key", sorted(k for k, item in ENGLISH.items() if "captions" in item))
def test_a_video_s_captions_cue_at_the_same_moments_in_both_languages(key):
    english, hebrew = cues(ENGLISH[key]["captions"]), cues(HEBREW[key]["captions"])
    assert english and english == hebrew
    assert len(english) == len(ENGLISH[key]["chapters"]) == len(HEBREW[key]["chapters"])


def changed(key, edit):
    page = copy.deepcopy(HEBREW[key])
    edit(page)
    return mismatch(ENGLISH[key], page)


def replace_in_first_step(old, new):
    def edit(page):
        page["steps"][0]["text"] = page["steps"][0]["text"].replace(old, new)

    return edit


@pytest.mark.parametrize(
    "key, edit, noticed",
    [
        ("internet-faq", lambda p: p["faqs"][6].update(a="<p>עולה 149 ₪.</p>"), "numbers"),
        ("restart-router", lambda p: p["steps"].pop(), "lists"),
        ("restart-router", lambda p: p.update(minutes=p["minutes"] + 1), "same values"),
        ("slow-wifi", lambda p: p["body"].pop(), "outline"),
        ("find-invoice", replace_in_first_step("meridian.example", "meridian.co.il"), "addresses"),
        ("internet-down-at-night", lambda p: p["body"].pop(0), "links"),
        ("internet-down-at-night", lambda p: p["body"].pop(), "menu steps"),
        ("router-lights", lambda p: p["body"][2]["table"]["rows"].pop(), "outline"),
        ("track-delivery-video", lambda p: p["chapters"][2].update(start="0:07"), "same values"),
    ],
)
def test_the_check_notices_a_fact_changed_in_one_language(key, edit, noticed):
    assert not mismatch(ENGLISH[key], HEBREW[key])
    assert f"{noticed}:" in changed(key, edit)
