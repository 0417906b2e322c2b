"""The SQLite FTS5 engine, driven directly: what a customer would notice in the results."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.documents import SearchDocument
from search.engines.base import EngineQuery
from search.engines.sqlite import SqliteEngine
from search.engines.sqlite.schema import create_schema

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def engine(db):
    with connection.cursor() as cursor:
        create_schema(cursor)  # a no-op where the migration already made the tables
    # Errors raise here instead of turning into empty results, so "never fails" is real.
    return SqliteEngine("test", {"DATABASE": "default", "RAISE_ERRORS": True})


def doc(page_id, title, body="", locale="en", anchor="", **fields):
    key = f"{page_id}#{anchor}" if anchor else str(page_id)
    fields.setdefault("type", "article")
    fields.setdefault("category", "general")
    return SearchDocument(
        key=key, page_id=page_id, url=f"/p/{key}", title=title, body=body, locale=locale, **fields
    )


def index(engine, *docs):
    engine.rebuild(docs)


def search(engine, text, **options):
    options.setdefault("now", NOW)
    return engine.search(EngineQuery(text=text, **options))


def titles(results):
    return [h.document.title for h in results.hits]


# -- Hebrew and English analysis, end to end -----------------------------------------------


def test_hebrew_prefixes_on_either_side_still_match(engine):
    index(
        engine,
        doc(1, "בעיות אינטרנט", "כאשר אינטרנט איטי", locale="he"),
        doc(2, "תשלום חשבון", "לטופס התשלום", locale="he"),
    )
    assert titles(search(engine, "והאינטרנט", locale="he")) == ["בעיות אינטרנט"]
    assert titles(search(engine, "וכשהאינטרנט לא עובד", locale="he"))[0] == "בעיות אינטרנט"
    assert titles(search(engine, "טופס", locale="he")) == ["תשלום חשבון"]


def test_the_word_as_typed_outranks_a_prefix_stripped_reading(engine):
    # "ברכה" (a blessing) could be read as ב + "רכה" (soft): the exact word must lead.
    index(
        engine,
        doc(1, "מגבת רכה", "בד רכה ונעים", locale="he"),
        doc(2, "ברכה לחג", "שלחו ברכה", locale="he"),
    )
    assert titles(search(engine, "ברכה", locale="he"))[0] == "ברכה לחג"


def test_a_noun_typed_in_construct_state_finds_the_noun_alone(engine):
    # "פוליסת ביטוח": no page writes "פוליסת", one writes "הפוליסה" (ה ending, prefix ה).
    index(
        engine,
        doc(1, "מסמכי הפוליסה", "להוריד את הפוליסה מהאזור האישי", locale="he"),
        doc(2, "ביטוח נסיעות", "ביטוח לחו״ל", locale="he"),
    )
    assert titles(search(engine, "פוליסת", locale="he")) == ["מסמכי הפוליסה"]
    assert set(titles(search(engine, "פוליסת ביטוח", locale="he"))) == {
        "מסמכי הפוליסה",
        "ביטוח נסיעות",
    }


def test_a_construct_state_word_the_pages_use_is_searched_as_written(engine):
    # "כתובת" (an address) is a word of its own, not a construct of "כתובה".
    index(
        engine,
        doc(1, "עדכון כתובת", "כתובת למשלוח", locale="he"),
        doc(2, "כתובה", "נוסח הכתובה", locale="he"),
    )
    assert titles(search(engine, "כתובת", locale="he")) == ["עדכון כתובת"]


def test_function_words_joined_to_and_or_that_are_not_searched_for(engine):
    index(
        engine,
        doc(1, "מעקב אחרי משלוח", "ההזמנה בדרך", locale="he"),
        doc(2, "לא עוד פרסומות", "עוד ועוד הודעות, ולא רק במייל", locale="he"),
    )
    assert titles(search(engine, "ההזמנה ועוד לא", locale="he")) == ["מעקב אחרי משלוח"]


def test_acronyms_match_however_the_gershayim_was_typed(engine):
    index(engine, doc(1, "רבי שמעון", 'התחבא רשב"י במערה', locale="he"))
    for typed in ["רשב״י", 'רשב"י', "רשבי", "ורשב״י"]:
        assert titles(search(engine, typed, locale="he")) == ["רבי שמעון"], typed


def test_niqqud_in_query_or_page_does_not_matter(engine):
    index(engine, doc(1, "בְּרֵאשִׁית", "ספר", locale="he"))
    assert titles(search(engine, "בראשית")) == ["בְּרֵאשִׁית"]
    assert titles(search(engine, "בְּרֵאשִׁית")) == ["בְּרֵאשִׁית"]


def test_mixed_hebrew_and_english_query(engine):
    index(
        engine,
        doc(1, "איפוס password לראוטר", "הוראות", locale="he"),
        doc(2, "Reset your router", "Hold the button", locale="en"),
    )
    assert titles(search(engine, "איפוס password", locale="he")) == ["איפוס password לראוטר"]


def test_english_word_forms_match(engine):
    index(engine, doc(1, "Delete your account", "Removing it is permanent."))
    assert titles(search(engine, "deleting accounts")) == ["Delete your account"]
    assert titles(search(engine, "removed")) == ["Delete your account"]


def test_words_typed_apart_find_the_word_written_as_one(engine):
    index(engine, doc(1, "Message someone on GitHub"), doc(2, "Check your email"))
    assert titles(search(engine, "git hub message")) == ["Message someone on GitHub"]
    assert titles(search(engine, "e mail"))[0] == "Check your email"


# -- ranking ------------------------------------------------------------------------------


def test_a_title_match_outranks_a_body_match(engine):
    index(
        engine,
        doc(1, "Opening hours", "You can pay an invoice at the desk."),
        doc(2, "Pay an invoice", "By card or transfer."),
    )
    assert titles(search(engine, "invoice")) == ["Pay an invoice", "Opening hours"]


def test_words_close_together_outrank_the_same_words_apart(engine):
    filler = "Then wait a little. " * 30
    # Same length, same words, same counts: only their distance differs.
    index(
        engine,
        doc(1, "Help one", f"Reset the modem now. {filler} Your password is here."),
        doc(2, "Help two", f"The modem now is here. {filler} Reset your password."),
    )
    assert titles(search(engine, "reset password")) == ["Help two", "Help one"]


def test_every_word_is_optional_but_more_words_rank_higher(engine):
    index(
        engine,
        doc(1, "Card payments", "Pay by card."),
        doc(2, "Invoices", "Pay an invoice by card."),
    )
    assert titles(search(engine, "invoice card")) == ["Invoices", "Card payments"]


def test_stopwords_are_ignored_unless_they_are_the_whole_query(engine):
    index(engine, doc(1, "What is it", "About this."), doc(2, "Billing", "The bill and you."))
    assert titles(search(engine, "what is the bill")) == ["Billing"]
    assert titles(search(engine, "what is it"))[0] == "What is it"


# -- input that must never fail -----------------------------------------------------------

NASTY = [
    '"',
    '""',
    'רשב"י',
    "AND OR NOT",
    "NEAR(a b, 1)",
    "title: router",
    "{title}: x",
    "router*",
    "* ^ : - + ( ) [ ] { }",
    "^router",
    "a AND",
    "'; DROP TABLE search_doc; --",
    "\x00\x01router\x7f",
    "router\ud800",
    "x" * 10_000,
    "router " * 2_000,
    "",
    "   ",
    "🙂",
]


@pytest.mark.parametrize("text", NASTY)
def test_any_query_text_is_searched_as_words_never_an_error(engine, text):
    index(engine, doc(1, "Router and modem", "NEAR the title AND body"))
    results = search(engine, text)
    assert results.total == len(results.hits) <= 1
    assert isinstance(engine.suggest(text), list)


def test_query_syntax_characters_are_just_punctuation(engine):
    index(engine, doc(1, "Router and modem", "Lights"))
    assert titles(search(engine, "router*")) == ["Router and modem"]
    assert titles(search(engine, "title: (router) AND")) == ["Router and modem"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_arbitrary_text_never_raises(engine, text):
    search(engine, text, locale="en", types=("faq",), page=3)
    engine.suggest(text, "he")


# -- what a hit shows ---------------------------------------------------------------------


def test_snippet_and_title_are_escaped_before_marking(engine):
    index(engine, doc(1, "The <script> tag", "Never paste <script>alert(1)</script> here."))
    (hit,) = search(engine, "script").hits
    assert hit.title_html == "The &lt;<mark>script</mark>&gt; tag"
    assert "&lt;<mark>script</mark>&gt;alert(1)" in hit.snippet_html
    assert "<script>" not in hit.snippet_html + hit.title_html


def test_snippet_comes_from_the_matching_part_of_a_long_body(engine):
    body = "General words. " * 300 + "Unplug the router for ten seconds. " + "More words. " * 300
    index(engine, doc(1, "Help", body, summary="All about help."))
    (hit,) = search(engine, "unplug router").hits
    assert "<mark>Unplug</mark> the <mark>router</mark>" in hit.snippet_html
    assert len(hit.snippet_html) < 400


def test_hit_carries_the_document_for_display(engine):
    published = datetime(2025, 5, 1, tzinfo=UTC)
    index(
        engine,
        doc(7, "Pay", "Body", anchor="q-1", type="faq", category="billing",
            category_title="Billing", summary="Short", published_at=published),
    )  # fmt: skip
    (hit,) = search(engine, "pay").hits
    assert hit.document.key == "7#q-1" and hit.document.url == "/p/7#q-1"
    assert hit.document.category_title == "Billing" and hit.document.type == "faq"
    assert hit.document.published_at == published and hit.document.body == "Body"
    assert hit.score > 0 and not hit.promoted


# -- filters, facets, expiry, pagination --------------------------------------------------


@pytest.fixture
def catalogue(engine):
    index(
        engine,
        doc(1, "Router lights", type="faq", category="internet"),
        doc(2, "Router setup", type="guide", category="internet"),
        doc(3, "Router bill", type="faq", category="billing"),
        doc(4, "ראוטר router", type="faq", category="internet", locale="he"),
    )
    return engine


def test_filters_by_locale_type_and_category(catalogue):
    assert search(catalogue, "router", locale="en").total == 3
    assert search(catalogue, "router", locale="he").total == 1
    assert search(catalogue, "router", types=("faq",)).total == 3
    assert titles(
        search(catalogue, "router", locale="en", types=("faq",), categories=("internet",))
    ) == ["Router lights"]


def test_each_facet_is_counted_without_its_own_filter(catalogue):
    results = search(catalogue, "router", locale="en", types=("faq",))
    assert results.total == 2
    assert results.facets["type"] == {"faq": 2, "guide": 1}  # other types stay visible
    assert results.facets["category"] == {"internet": 1, "billing": 1}
    assert results.facets["locale"] == {"en": 2, "he": 1}


def test_expired_documents_are_never_returned(engine):
    index(
        engine,
        doc(1, "Old offer", expire_at=NOW - timedelta(minutes=1)),
        doc(2, "New offer", expire_at=NOW + timedelta(days=1)),
    )
    assert titles(search(engine, "offer")) == ["New offer"]
    assert search(engine, "offer").facets["type"] == {"article": 1}
    assert titles(search(engine, "offer", now=NOW + timedelta(days=2))) == []


def test_pages_split_the_results_and_past_the_end_is_empty(engine):
    index(engine, *[doc(i, f"Router tip {i}") for i in range(1, 26)])
    first, third, beyond = (search(engine, "router", page=p, per_page=10) for p in (1, 3, 9))
    assert len(first.hits) == 10 and len(third.hits) == 5
    assert first.total == third.total == beyond.total == 25
    assert beyond.hits == []
    seen = {h.document.key for p in (1, 2, 3) for h in search(engine, "router", page=p).hits}
    assert len(seen) == 25


# -- promotions and synonyms --------------------------------------------------------------


def test_promoted_documents_come_first_in_order_even_without_the_words(engine):
    index(
        engine,
        doc(1, "Restart your router"),
        doc(2, "Opening hours"),
        doc(3, "Contact us"),
        doc(4, "Hebrew page", locale="he"),
    )
    results = search(engine, "router", locale="en", promoted=["3", "4", "2", "404"])
    assert titles(results) == ["Contact us", "Opening hours", "Restart your router"]
    assert [h.promoted for h in results.hits] == [True, True, False]
    assert results.total == 3
    # The Hebrew page is filtered out, yet its language still shows how many it would add.
    assert results.facets["locale"] == {"en": 3, "he": 1}


def test_promoted_document_that_also_matches_is_listed_once(engine):
    index(engine, doc(1, "Restart your router"), doc(2, "Router lights"))
    results = search(engine, "router", promoted=["2"])
    assert titles(results) == ["Router lights", "Restart your router"] and results.total == 2
    second_page = search(engine, "router", promoted=["2"], page=2, per_page=1)
    assert titles(second_page) == ["Restart your router"]


def test_synonyms_apply_at_query_time(engine):
    index(engine, doc(1, "Restart your router"), doc(2, "Mobile data abroad"))
    assert search(engine, "modem").total == 0
    synonyms = {"modem": ["router"], "roaming": ["mobile data abroad"]}
    assert titles(search(engine, "modem", synonyms=synonyms)) == ["Restart your router"]
    assert titles(search(engine, "roaming", synonyms=synonyms)) == ["Mobile data abroad"]
    (hit,) = search(engine, "modem", synonyms=synonyms).hits
    assert hit.title_html == "Restart your <mark>router</mark>"


# -- type-ahead ---------------------------------------------------------------------------


def test_suggest_completes_the_last_word_of_titles(engine):
    index(
        engine,
        doc(1, "Reset your password"),
        doc(2, "Research papers"),
        doc(3, "Password rules"),
        doc(4, "Old reset", expire_at=NOW.replace(year=2000)),
    )
    assert [s.title for s in engine.suggest("reset your pa")] == ["Reset your password"]
    assert {s.title for s in engine.suggest("res")} == {"Reset your password", "Research papers"}
    assert engine.suggest("pass", limit=1)[0].url in ("/p/1", "/p/3")
    assert [s.title for s in engine.suggest("how do I reset ")] == ["Reset your password"]


def test_suggest_falls_back_to_any_finished_word_not_to_a_letter_begun(engine):
    index(engine, doc(1, "Restart your router"), doc(2, "Pay your bill"), doc(3, "Parcel lost"))
    # No title holds both: titles with the finished word, not every title with a "p" word.
    assert [s.title for s in engine.suggest("router p")] == ["Restart your router"]
    # Three letters begun are a word in the making: they count among the words again.
    assert {s.title for s in engine.suggest("router par")} == {"Restart your router", "Parcel lost"}


def test_suggest_handles_hebrew_prefixes_and_locale(engine):
    index(
        engine,
        doc(1, "בעיות אינטרנט בבית", locale="he"),
        doc(2, "Internet problems", locale="en"),
    )
    assert [s.title for s in engine.suggest("והאינט", "he")] == ["בעיות אינטרנט בבית"]
    assert engine.suggest("והאינט", "en") == []
    assert [s.key for s in engine.suggest("inter", "en")] == ["2"]


# -- writing ------------------------------------------------------------------------------


def test_index_page_replaces_that_pages_documents_only(engine):
    index(
        engine, doc(1, "Old title", anchor="a"), doc(1, "Other answer", anchor="b"), doc(2, "Keep")
    )
    engine.index_page(1, [doc(1, "New title")])
    assert engine.count() == 2
    assert titles(search(engine, "old")) == [] and titles(search(engine, "new")) == ["New title"]
    engine.index_page(1, [])
    assert engine.count() == 1
    engine.delete_pages([2])
    assert engine.count() == 0


def test_rebuild_reports_progress_and_replaces_everything(engine):
    index(engine, doc(1, "Stale"))
    seen = []
    assert engine.rebuild([doc(2, "Fresh"), doc(3, "Also fresh")], progress=seen.append) == 2
    assert seen == [1, 2] and engine.count() == 2
    assert search(engine, "stale").total == 0


def test_vocabulary_follows_the_index_per_locale(engine):
    index(engine, doc(1, "Router lights"), doc(2, "Router setup"), doc(3, "ראוטר", locale="he"))
    vocab = engine.vocabulary("en")
    assert vocab["router"] == 2 and "ראוטר" not in vocab
    assert engine.vocabulary("en") is vocab  # cached while the index is unchanged
    engine.index_page(2, [doc(2, "Modem setup")])
    fresh = engine.vocabulary("en")
    assert fresh is not vocab
    assert fresh["router"] == 1 and fresh["modem"] == 1 and fresh["setup"] == 1
    engine.delete_pages([1, 2])
    assert "router" not in engine.vocabulary("en")
    assert engine.vocabulary(None)["ראוטר"] == 1


def test_another_process_learns_new_words_within_the_check_interval(engine, monkeypatch):
    """A second server process (here a second engine on the same index) trusts its copy of
    the vocabulary for VOCABULARY_CHECK_SECONDS, then reads the words another one wrote;
    its searches find the new page at once either way."""
    from search.engines import sqlite as sqlite_engine

    monkeypatch.setattr(sqlite_engine, "VOCABULARY_CHECK_SECONDS", 0.2)
    other = SqliteEngine("test", {"DATABASE": "default", "RAISE_ERRORS": True})
    index(engine, doc(1, "Router lights"))
    assert "zigbee" not in other.vocabulary("en")
    engine.index_page(2, [doc(2, "Zigbee pairing")])
    assert "zigbee" in engine.vocabulary("en")  # the writer's own process: at once
    assert titles(search(other, "zigbee")) == ["Zigbee pairing"]
    assert "zigbee" not in other.vocabulary("en")  # still its copy, for a moment
    time.sleep(0.25)
    assert "zigbee" in other.vocabulary("en")


def test_writes_roll_back_with_the_content_transaction(engine):
    from django.db import transaction

    index(engine, doc(1, "Kept"))
    with pytest.raises(RuntimeError), transaction.atomic():
        engine.index_page(1, [doc(1, "Replaced")])
        raise RuntimeError
    assert titles(search(engine, "kept")) == ["Kept"]


def _segment_rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}_data")  # noqa: S608
        return cursor.fetchone()[0]


def test_pages_published_again_and_again_leave_the_index_in_one_piece(engine):
    # Each write adds a segment that every later query reads: left alone, a few dozen
    # publishes made the demo's searches several times slower in SQLite.
    words = " ".join(f"word{i} term{i * 7 % 13}" for i in range(60))
    pages = [doc(i, f"Router guide {i}", f"Restart the router {i}. {words}") for i in range(40)]
    index(engine, *pages)
    merged = {t: _segment_rows(t) for t in ("search_fts", "search_title_fts")}
    for n in range(60):
        page = n % 8
        engine.index_page(page, [doc(page, f"Router guide {page}", f"Edition {n}. {words}")])
    for table, rows in merged.items():
        assert _segment_rows(table) <= rows * 1.05 + 1, table
    # The merged index answers with the pages as last written.
    found = search(engine, "edition 59").hits[0]
    assert found.document.title == "Router guide 3"
    assert "<mark>59</mark>" in found.snippet_html
    assert len(search(engine, "router", per_page=50).hits) == 40


def test_pages_published_two_thousand_times_stay_searchable(engine):
    # SQLite 3.40 puts each merge a level higher; past 2,000 levels a table cannot be opened.
    words = " ".join(f"word{i} term{i * 7 % 13}" for i in range(60))
    index(engine, *[doc(i, f"Router guide {i}", f"Restart the router. {words}") for i in range(10)])
    for n in range(2100):
        engine.index_page(n % 4, [doc(n % 4, f"Router guide {n % 4}", f"Edition {n}. {words}")])
    assert titles(search(engine, "edition 2099"))[0] == "Router guide 3"
    assert len(engine.suggest("router gu", limit=20)) == 10


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_index_with_an_older_layout_is_laid_anew_by_a_rebuild(monkeypatch):
    from django.db import connection

    from search.engines.sqlite import schema

    engine = SqliteEngine("default", {"DATABASE": "default"})
    assert engine.schema_is_current()
    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    assert not engine.schema_is_current()
    engine.rebuild([])
    assert engine.schema_is_current()
    with connection.cursor() as cursor:
        assert schema.schema_version(cursor) == schema.SCHEMA_VERSION
