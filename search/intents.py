"""Queries that ask for a person rather than an answer ("talk to a human", "נציג"): the
results page and the API offer the way to the contact page above the results.

Phrases are matched on base forms, so "הנציג", "לנציג" and "representatives" count too; a
phrase must occur as consecutive words of the query.
"""

from functools import lru_cache

from . import analysis

CONTACT_PHRASES = {
    "en": [
        "human", "real person", "agent", "live agent", "representative", "customer service",
        "customer support", "customer care", "support team", "helpdesk", "help desk",
        "call support", "contact support", "call you", "phone you", "contact you",
        "contact us", "call center", "call centre", "live chat", "chat with", "operator",
        "talk to someone", "speak to someone", "speak with someone", "talk with someone",
        "talk to a person", "speak to a person", "speak with a person", "complaint", "complain",
    ],
    "he": [
        "נציג", "נציגה", "נציגים", "נציגת", "אדם אמיתי", "מענה אנושי", "שירות לקוחות",
        "מוקד", "מוקדן", "מוקדנית", "צור קשר", "צרו קשר", "יצירת קשר", "ליצור קשר",
        "להתקשר", "צ'אט", "תמיכה", "מחלקת שירות", "שירות טלפוני", "לדבר עם מישהו",
        "לדבר עם בן אדם", "לשוחח עם מישהו", "תלונה", "להתלונן",
    ],
}  # fmt: skip
# "someone" and "מישהו" alone are not a request ("someone stole my card", "can someone else
# collect my parcel"): they count only after a verb of talking.
# Words that turn a phrase above into something else: "talk to the router", "contact
# details", "update my phone number" are not asking for a person.
NOT_CONTACT = {"en": ["detail", "address", "updat", "chang"], "he": ["פרטי", "עדכון", "כתובת"]}


def _bases(text) -> tuple[str, ...]:
    return tuple(analysis.base_form(t.surface) for t in analysis.analyze_query(text))


@lru_cache(maxsize=4)
def _phrases(language: str | None) -> tuple[tuple[tuple[str, ...], ...], frozenset]:
    languages = [language] if language in CONTACT_PHRASES else list(CONTACT_PHRASES)
    phrases = tuple(_bases(p) for lang in languages for p in CONTACT_PHRASES[lang])
    blockers = frozenset(b for lang in languages for w in NOT_CONTACT[lang] for b in _bases(w))
    return phrases, blockers


def wants_contact(text, language: str | None = None) -> bool:
    """Whether the query asks to reach a person (in ``language``, or any we know)."""
    words = _bases(text)
    if not words or len(words) > 8:
        return False
    phrases, blockers = _phrases(language)
    if blockers & set(words):
        return False
    for phrase in phrases:
        n = len(phrase)
        if any(words[i : i + n] == phrase for i in range(len(words) - n + 1)):
            return True
    return False
