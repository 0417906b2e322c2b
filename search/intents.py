"""Queries that ask for a person rather than an answer ("talk to a human", "נציג", "email
support", "איך משיגים אתכם"): the results page and the API offer the way to the contact page
above the results.

Words match with their Hebrew prefixes or English endings ("הנציג", "לנציג" and
"representatives" count too). Three rules:
- a phrase that asks for a person by itself, as consecutive words of the query;
- a way of reaching (talk, call, email, "להתקשר", "לפנות") followed within three words by
  someone to reach (someone, support, you, "אתכם", "שירות"). The order matters: "call you"
  asks for a person, "do you call me when it ships" does not;
- a query of nothing but ways of reaching ("contact", "צור קשר").
"""

from functools import lru_cache

from . import analysis

# Enough alone.
CONTACT_PHRASES = {
    "en": [
        "human", "real person", "live person", "actual person", "agent", "live agent",
        "representative", "advisor", "adviser", "operator", "manager", "supervisor",
        "escalate", "customer service", "customer services", "customer support",
        "customer care", "support team", "helpdesk", "help desk", "helpline", "hotline",
        "call center", "call centre", "live chat", "contact us", "callback", "call back",
        "call me back", "ring me back", "someone call me", "somebody call me",
        "someone contact me", "get me a person", "need a person", "want a person",
        "help from a person", "help from someone", "your number", "your phone number", "your email",
        "complaint", "complain",
    ],
    "he": [
        "נציג", "נציגה", "נציגים", "נציגת", "אדם אמיתי", "בן אדם", "בנאדם", "מענה אנושי",
        "שירות לקוחות", "מוקד", "מוקדן", "מוקדנית", "צור קשר", "צרו קשר", "יצירת קשר",
        "ליצור קשר", "יוצרים קשר", "להתקשר", "צ'אט", "צאט", "תמיכה", "מחלקת שירות",
        "שירות טלפוני", "תלונה", "להתלונן", "להשאיר פנייה", "תחזרו אליי", "שיחזרו אליי",
        "שיחה חוזרת", "שיחה חזרה",
    ],
}  # fmt: skip
# A way of reaching ...
REACH = {
    "en": [
        "talk", "speak", "chat", "call", "phone", "telephone", "ring", "contact", "email",
        "e-mail", "message", "write to", "i reach", "to reach", "get hold", "get through",
        "whatsapp",
    ],
    "he": [
        "לדבר", "מדבר", "מדברים", "לשוחח", "התקשרו", "תתקשרו", "מתקשרים", "לפנות", "פונים",
        "פנייה", "להשיג", "משיגים", "תחזרו", "לחזור", "יוצרים", "ליצור", "לכתוב", "כותבים",
        "שיחה", "טלפון", "מייל", "אימייל", "וואטסאפ", "ווטסאפ",
    ],
}  # fmt: skip
# ... followed by someone to reach. "someone" and "מישהו" alone are not a request ("someone
# stole my card"): they count only after a way of reaching.
WHOM = {
    "en": [
        "someone", "somebody", "anyone", "anybody", "person", "people", "staff", "team",
        "support", "service", "you", "us", "company",
    ],
    "he": [
        "מישהו", "מישהי", "אדם", "אנשים", "אתכם", "איתכם", "אליכם", "שלכם", "לכם", "אליי",
        "אלי", "שירות", "תמיכה", "צוות", "מנהל", "אחראי", "חברה",
    ],
}  # fmt: skip
# ... or a way of reaching after these ("support email", "מספר של שירות הלקוחות").
SERVICE = {"en": ["support", "service", "helpline"], "he": ["שירות", "תמיכה", "מוקד"]}
CHANNEL = {
    "en": ["email", "e-mail", "phone", "telephone", "number", "chat", "line", "whatsapp"],
    "he": ["מייל", "אימייל", "טלפון", "מספר", "צ'אט", "וואטסאפ", "ווטסאפ"],
}
# Words that turn a request above into something else: "contact details", "update my phone
# number", "someone else collects my parcel", "talk to the router" are not asking for a person.
NOT_CONTACT = {
    "en": ["details", "address", "update", "change", "else", "another", "router"],
    "he": ["פרטי", "עדכון", "לעדכן", "כתובת", "שינוי", "לשנות", "אחר", "אחרת", "נתב"],
}
WITHIN = 3  # words between the two halves of a request


def _words(text) -> tuple[tuple[str, ...], ...]:
    """Each word of ``text`` as its forms (``analysis.Token.forms``)."""
    return tuple(t.forms for t in analysis.analyze_query(text))


def _same(word, other) -> bool:
    """One word is the other, or the other with a prefix ("לנציג", "נציג") or an ending."""
    return word[0] in other or other[0] in word


class _Phrases:
    """Phrases looked up by any form of their first word (searches run this on every query)."""

    def __init__(self, texts):
        self.phrases = [_words(t) for t in texts]
        self.by_form: dict[str, list] = {}
        for phrase in self.phrases:
            for form in phrase[0]:
                self.by_form.setdefault(form, []).append(phrase)

    def spans(self, words) -> list[tuple[int, int]]:
        """(start, end) of each place a phrase occurs in ``words``."""
        found = []
        for i, word in enumerate(words):
            seen = set()
            for form in word:
                for phrase in self.by_form.get(form, ()):
                    if id(phrase) in seen or i + len(phrase) > len(words):
                        continue
                    seen.add(id(phrase))
                    if all(_same(words[i + k], phrase[k]) for k in range(len(phrase))):
                        found.append((i, i + len(phrase)))
        return found


class _Rules:
    def __init__(self, languages):
        def phrases(table):
            return _Phrases([w for lang in languages for w in table[lang]])

        self.phrases, self.blockers = phrases(CONTACT_PHRASES), phrases(NOT_CONTACT)
        self.reach, self.whom = phrases(REACH), phrases(WHOM)
        self.service, self.channel = phrases(SERVICE), phrases(CHANNEL)


@lru_cache(maxsize=4)
def _rules(language: str | None) -> _Rules:
    return _Rules([language] if language in CONTACT_PHRASES else list(CONTACT_PHRASES))


def _followed(words, first: _Phrases, then: _Phrases) -> bool:
    """A phrase of ``first`` followed within ``WITHIN`` words by one of ``then``."""
    starts = {start for start, _ in then.spans(words)}
    return any(end + k in starts for _, end in first.spans(words) for k in range(WITHIN))


def wants_contact(text, language: str | None = None) -> bool:
    """Whether the query asks to reach a person (in ``language``, or any we know)."""
    tokens = analysis.analyze_query(text)
    if not tokens or len(tokens) > 8:
        return False
    words = tuple(t.forms for t in tokens)
    rules = _rules(language)
    if rules.blockers.spans(words):
        return False
    if rules.phrases.spans(words):
        return True
    if _followed(words, rules.reach, rules.whom) or _followed(words, rules.service, rules.channel):
        return True
    # "contact", "email?", "phone or chat"
    content = tuple(t.forms for t in tokens if not t.stopword)
    covered = {i for start, end in rules.reach.spans(content) for i in range(start, end)}
    return bool(content) and len(covered) == len(content)
