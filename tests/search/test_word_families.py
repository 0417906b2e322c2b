"""A synonym or promotion made for one wording covers the word's family: English stems and
Hebrew words with their prefixes; the reports group such wordings as one search."""

import pytest
from wagtail.models import Locale

from search import analysis, service
from search.models import PromotedResult, SynonymGroup
from search.querylog import group_key
from search.word_family import SynonymTable, same_word


def word(text):
    return analysis.tokenize(text)[0]


@pytest.mark.parametrize(
    "a, b",
    [
        ("teleporter", "teleportation"),
        ("teleporter", "teleporters"),
        ("הולוגרמה", "ההולוגרמה"),
        ("ההולוגרמה", "הולוגרמה"),
        ("מודם", "ולמודם"),
    ],
)
def test_one_family(a, b):
    assert same_word(word(a), word(b))


@pytest.mark.parametrize("a, b", [("מלון", "בלון"), ("router", "route"), ("דם", "מודם")])
def test_different_words(a, b):
    assert not same_word(word(a), word(b))


def test_synonym_table_finds_every_wording_of_a_term():
    table = SynonymTable({"teleporter": ["beam device"], "הולוגרמה": ["מקרן"]})
    assert table.get("teleportation") == ["beam device"]
    assert table.get("teleporters") == ["beam device"]
    assert table.get("ההולוגרמה") == ["מקרן"]
    assert table.get("מלון") is None


def titles(text, lang):
    return [h.document.title for h in service.search(text, locale=lang).results.hits]


@pytest.mark.django_db
def test_a_synonym_covers_the_word_family_in_both_languages(tree):
    tree.article(title="Using the beam device", summary="Stand on the pad and press Go.")
    tree.article(title="המקרן הביתי", summary="מחברים את המקרן לחשמל.", lang="he")
    en, he = Locale.objects.get(language_code="en"), Locale.objects.get(language_code="he")
    assert titles("teleportation", "en") == []
    SynonymGroup.objects.create(locale=en, terms="teleporter, beam device")
    SynonymGroup.objects.create(locale=he, terms="הולוגרמה, מקרן")
    for wording in ("teleporter", "teleporters", "teleportation"):
        assert titles(wording, "en") == ["Using the beam device"], wording
    for wording in ("הולוגרמה", "ההולוגרמה", "להולוגרמה"):
        assert titles(wording, "he") == ["המקרן הביתי"], wording


@pytest.mark.django_db
def test_a_promotion_covers_the_word_family(tree):
    tree.article(title="Teleport safety", summary="Read this before you travel.")
    target = tree.article(title="Book a teleporter", summary="Choose a time slot.")
    PromotedResult.objects.create(
        locale=Locale.objects.get(language_code="en"), query="teleporter", page=target
    )
    assert titles("teleportation", "en")[0] == "Book a teleporter"
    assert titles("teleporters", "en")[0] == "Book a teleporter"


def test_report_keys_group_a_word_family_as_search_does():
    assert group_key("המודם") == group_key("למודם") == group_key("והמודם")
    assert group_key("Teleporters") == group_key("teleportation") == group_key("teleporter")
