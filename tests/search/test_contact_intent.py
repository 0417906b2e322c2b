"""Asking for a person, in the many ways customers put it, and ordinary questions that only
share a word with such a request ("someone stole my card", "update my phone number")."""

import pytest

from search.intents import wants_contact

ASKING = {
    "en": [
        "talk to a human", "i need to speak with an agent", "phone number for support",
        "is there a live chat", "can i talk to somebody", "get me a person",
        "how do i contact you", "customer service number", "i want to make a complaint",
        "email support", "contact", "talk to support", "call me back", "speak to an advisor",
        "chat to someone", "connect me to an agent", "how can i reach you",
        "whats your support email", "message support", "can someone call me",
        "telephone support", "i need help from a person", "speak to a manager",
        "what is your phone number", "phone or chat",
    ],
    "he": [
        "לדבר עם נציג אנושי", "מספר טלפון של שירות הלקוחות", "צ'אט עם נציג",
        "איך יוצרים איתכם קשר", "אני רוצה לדבר עם מישהו", "בן אדם בבקשה", "תחזרו אליי",
        "מספר הטלפון שלכם", "לפנות לשירות", "איך משיגים אתכם", "מענה אנושי",
        "טלפון של המוקד", "איך מתקשרים אליכם", "לכתוב לכם מייל", "לקבל שיחה חוזרת",
        "לדבר עם מנהל", "וואטסאפ של החברה", "צור קשר",
    ],
}  # fmt: skip
NOT_ASKING = {
    "en": [
        "reset password", "update my phone number", "contact details", "someone stole my card",
        "can someone else collect my parcel", "do you call me when it ships",
        "my phone is broken", "will you email me the receipt", "talk to the router",
        "when will my parcel reach you", "how do i contact my bank abroad",
        "call charges abroad", "can i pay by phone", "change my email", "you",
    ],
    "he": [
        "מישהו השתמש בכרטיס שלי", "מישהו אחר יכול לאסוף את החבילה", "עדכון מספר טלפון",
        "הטלפון שלי לא עובד", "לשלוח חשבונית במייל", "אתם שולחים מייל?", 'שיחות לחו"ל',
        "לשלם בטלפון", "ביטוח לטלפון",
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    "lang, query", [(lang, q) for lang, queries in ASKING.items() for q in queries]
)
def test_a_request_for_a_person_is_recognised(lang, query):
    assert wants_contact(query, lang)


@pytest.mark.parametrize(
    "lang, query", [(lang, q) for lang, queries in NOT_ASKING.items() for q in queries]
)
def test_a_question_sharing_a_word_with_such_a_request_is_not(lang, query):
    assert not wants_contact(query, lang)


def test_without_a_language_both_languages_are_understood():
    assert wants_contact("call support") and wants_contact("נציג")
    assert not wants_contact("reset password")
