"""The blend of words and meaning is set per language (search.conf.FUSION): Hebrew leans on
the words more than English, as the dev splits showed."""

from search.conf import DEFAULT_FUSION, FUSION, fusion_for
from search.semantic.fusion import Dense, fuse

# "exact" matches the words best; "close" is much closer in meaning but barely matches.
LEXICAL = [("exact", 10.0), ("close", 2.0)]
DENSE = Dense({"exact": 0.80, "close": 0.90}, {})


def order(locale):
    return [key for key, _ in fuse(LEXICAL, DENSE, locale=locale)]


def test_hebrew_trusts_the_words_more_than_english():
    assert fusion_for("he").lexical_weight > fusion_for("en").lexical_weight
    assert order("he") == ["exact", "close"]
    assert order("en") == ["close", "exact"]


def test_a_search_over_every_language_takes_the_default():
    assert fusion_for(None) is DEFAULT_FUSION and fusion_for("fr") is DEFAULT_FUSION
    assert set(FUSION) == {"en", "he"}


def test_a_document_found_by_meaning_alone_must_clear_the_language_floor():
    dense = Dense({"exact": 0.80, "close": 0.90, "loose": fusion_for("he").dense_floor - 0.01}, {})
    assert "loose" not in [key for key, _ in fuse(LEXICAL, dense, locale="he")]
