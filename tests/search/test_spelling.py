"""Typo correction from the index's own words, and text typed on the wrong keyboard layout."""

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from search import spelling
from search.documents import SearchDocument
from search.engines.sqlite import SqliteEngine
from search.engines.sqlite.schema import create_schema

VOCAB = {
    "password": 40,
    "passport": 3,
    "reset": 25,
    "router": 30,
    "invoice": 12,
    "account": 50,
    "delete": 8,
    "אינטרנט": 20,
    "חשבונית": 9,
    "תשלום": 15,
    "שלום": 4,
    "hello": 2,
}


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("pasword", "password"),  # a letter missing
        ("passwrod", "password"),  # two letters swapped
        ("routerr", "router"),  # one too many
        ("invioce", "invoice"),
        ("acount reset", "account reset"),
        ("pssword rset", "password reset"),
        ("pssword rst", "password rst"),  # a word this short is never guessed at
    ],
)
def test_misspelt_words_are_respelt_from_the_index(typed, meant):
    assert spelling.correct(typed, VOCAB, "en") == meant


def test_the_rest_of_the_query_keeps_its_words_but_not_its_punctuation():
    assert (
        spelling.correct("How do I RESET my pasword?", VOCAB, "en") == "How do I RESET my password"
    )


def test_known_words_and_their_forms_are_not_corrected():
    assert spelling.correct("password reset", VOCAB, "en") is None
    assert spelling.correct("deleting accounts", VOCAB, "en") is None  # stems are known
    assert spelling.correct("והאינטרנט", VOCAB, "he") is None  # so are prefixed words
    assert spelling.correct("2024 wifi6", VOCAB, "en") is None  # numbers are left alone


def test_the_more_common_word_wins_a_tie():
    # "cath" is one edit from both; the word more pages use is the likelier meaning.
    assert spelling.correct("cath", {"cash": 30, "cats": 2}, "en") == "cash"
    assert spelling.correct("cath", {"cash": 2, "cats": 30}, "en") == "cats"


def test_a_word_with_another_first_letter_is_another_word_however_common():
    assert spelling.correct("sevice", {"service": 2, "device": 30}, "en") == "service"
    assert spelling.correct("mark", {"dark": 30}, "en") is None


def test_a_closer_word_beats_a_more_common_one():
    assert spelling.correct("passwrd", {"password": 1, "passport": 90}, "en") == "password"


def test_hebrew_typos_keep_their_prefixes():
    assert spelling.correct("והאינטרנת", VOCAB, "he") == "והאינטרנט"
    assert spelling.correct("חשבונת", VOCAB, "he") == "חשבונית"


def test_far_off_words_are_not_guessed():
    assert spelling.correct("zebra", VOCAB, "en") is None
    assert spelling.correct("completely unrelated", VOCAB, "en") is None


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("jacubh,", "חשבונית"), (",akuo", "תשלום"), ("יקךךם", "hello")],
)
def test_text_that_cannot_be_meant_as_typed_is_converted_to_the_other_layout(typed, meant):
    assert spelling.convert_layout(typed) == meant


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("jacubh,", "חשבונית"), (",akuo", "תשלום"), ("akuo", "שלום"), ("יקךךם", "hello")],
)
def test_the_index_vocabulary_confirms_a_layout_conversion(typed, meant):
    assert spelling.convert_layout(typed, VOCAB) == meant
    assert spelling.correct(typed, VOCAB, None) == meant


def test_real_words_are_not_converted_to_the_other_layout():
    assert spelling.convert_layout("reset password") is None
    assert spelling.convert_layout("reset password", VOCAB) is None
    assert spelling.convert_layout("שלום") is None
    assert spelling.convert_layout("mixed שלום") is None


@pytest.mark.parametrize("text", ["", "   ", "\x00", "a\ud800", '"', "x" * 10_000, "🙂🙂🙂"])
def test_any_text_is_handled(text):
    assert spelling.correct(text, VOCAB, "en") is None
    spelling.convert_layout(text)
    spelling.convert_layout(text, VOCAB)


@given(st.text(max_size=200))
def test_correct_never_raises(text):
    spelling.correct(text, VOCAB, "en")
    spelling.correct(text, {}, "en")
    spelling.convert_layout(text, VOCAB)


@pytest.mark.django_db
def test_corrections_follow_the_index_as_it_changes():
    with connection.cursor() as cursor:
        create_schema(cursor)
    engine = SqliteEngine("test", {"DATABASE": "default"})

    def page(page_id, title):
        return SearchDocument(
            key=str(page_id), page_id=page_id, url="/", title=title, type="faq", locale="en"
        )

    engine.rebuild([page(1, "Router lights")])
    assert spelling.correct("ruoter", engine.vocabulary("en"), "en") == "router"
    assert spelling.correct("voicemial", engine.vocabulary("en"), "en") is None
    engine.index_page(2, [page(2, "Voicemail setup")])
    assert spelling.correct("voicemial", engine.vocabulary("en"), "en") == "voicemail"


def test_edit_distance_counts_a_swap_of_neighbours_as_one_edit_and_stops_at_the_limit():
    assert spelling.edit_distance("pasword", "password", 2) == 1
    assert spelling.edit_distance("psasword", "password", 2) == 1  # swapped neighbours
    assert spelling.edit_distance("סיסמא", "סיסמה", 1) == 1
    assert spelling.edit_distance("ca", "abc", 3) == 3  # no edit of a swapped pair
    assert spelling.edit_distance("router", "modem", 2) == 3  # beyond the limit: limit + 1
