"""Text analysis: what a customer types and what a page says meet in the same form."""

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search import analysis
from search.analysis import Highlighter, normalize, tokenize


def surfaces(text):
    return [t.surface for t in tokenize(text)]


def forms(word):
    (token,) = tokenize(word)
    return token.forms


def test_case_and_compatibility_forms_fold():
    assert surfaces("ＷｉＦｉ ﬁle Straße") == ["wifi", "file", "strasse"]


def test_niqqud_and_cantillation_are_removed_but_letters_stay():
    assert surfaces("בְּרֵאשִׁית בָּרָא") == ["בראשית", "ברא"]
    assert surfaces("שָׁלוֹם֑") == ["שלום"]


def test_maqaf_and_sof_pasuq_separate_words():
    assert surfaces("ואם־לא׃ כן") == ["ואם", "לא", "כן"]


@pytest.mark.parametrize("typed", ['רשב"י', "רשב״י", "רשב''י", "רַשְׁבִּ״י"])
def test_gershayim_fold_so_acronyms_match_however_typed(typed):
    assert surfaces(typed) == ["רשבי"]


def test_geresh_folds_inside_and_after_hebrew_words():
    assert surfaces("צ'יפס וצ׳יפס ר' שמעון") == ["ציפס", "וציפס", "ר", "שמעון"]


def test_quotes_around_words_are_not_part_of_them():
    assert surfaces('"להחריב עולמי" said "hello"') == ["להחריב", "עולמי", "said", "hello"]


@pytest.mark.parametrize(
    ("word", "stripped"),
    [
        ("והאינטרנט", "אינטרנט"),
        ("וכשהאינטרנט", "אינטרנט"),
        ("לטופס", "טופס"),
        ("מהבנק", "בנק"),
        ("שבחשבון", "חשבון"),
    ],
)
def test_hebrew_prefixes_stacked_or_single_are_stripped(word, stripped):
    assert forms(word)[0] == word  # the word as written comes first
    assert stripped in forms(word)


def test_a_stripped_word_keeps_at_least_two_letters():
    assert forms("לב") == ("לב",)
    assert all(len(f) >= 2 for f in forms("ולה"))


def test_words_without_a_prefix_letter_are_left_whole():
    assert forms("אינטרנט") == ("אינטרנט",)


def test_english_words_share_a_stem():
    assert forms("Deleting") == forms("deleted") == forms("delete")
    assert forms("accounts") == forms("account")


def test_mixed_hebrew_and_english_text_keeps_both():
    tokens = tokenize("איפוס password בראוטר")
    assert [t.surface for t in tokens] == ["איפוס", "password", "בראוטר"]
    assert "ראוטר" in tokens[2].forms


def test_offsets_point_at_the_original_words():
    text = 'Hello, בְּרֵאשִׁית and רשב"י!'
    assert [text[t.start : t.end] for t in tokenize(text)] == [
        "Hello",
        "בְּרֵאשִׁית",
        "and",
        'רשב"י',
    ]


def test_stopwords_are_marked_not_dropped():
    tokens = tokenize("how to reset מה זה")
    assert [t.stopword for t in tokens] == [True, True, False, True, True]


def test_normalize_is_idempotent():
    text = "Router LIGHTS?  רשב״י  ﬁle"
    assert normalize(text) == "router lights רשבי file"
    assert normalize(normalize(text)) == normalize(text)


@pytest.mark.parametrize(
    "text",
    ["", None, 42, "\x00\x01\x02", "a\ud800b", "\udfff", "x" * 10_000, "\u200f\u202e", "🙂" * 50],
)
def test_any_input_is_analysed_without_error(text):
    tokens = tokenize(text)
    assert all(t.surface for t in tokens)
    assert "\x00" not in normalize(text)


@given(st.text())
def test_tokenize_never_raises_and_offsets_are_valid(text):
    for token in tokenize(text):
        assert 0 <= token.start < token.end <= len(analysis.clean(text))
        assert " " not in token.surface and token.forms


@given(
    st.text()
    | st.sampled_from(
        ["וְהַבַּיִת ①a רשב\"י צ'יפס don't", "a" * 2500 + " x", "a\u2028b\u3000ג\xa0ד\x85e\x1fו׳"]
    )
)
def test_indexed_text_holds_the_same_words_and_forms_as_the_tokens(text):
    tokens = tokenize(text)
    assert analysis.index_text(text) == (
        " ".join(t.surface for t in tokens),
        " ".join(f for t in tokens for f in t.forms),
    )


def test_the_memory_of_analysed_words_is_bounded(monkeypatch):
    monkeypatch.setattr(analysis, "MAX_ANALYSED_PIECES", 5)
    text = " ".join(f"router{i} והבית" for i in range(20))
    first = analysis.index_text(text)
    assert len(analysis._ANALYSED_PIECES) <= 5 + len(text.split())
    assert analysis.index_text("another text") and len(analysis._ANALYSED_PIECES) <= 5 + 2
    assert analysis.index_text(text) == first


def highlighter(query):
    tokens = tokenize(query)
    return Highlighter({t.surface for t in tokens}, {f for t in tokens for f in t.forms})


def test_highlight_escapes_html_before_marking():
    html = highlighter("script").mark('<script>alert("x")</script>')
    assert "<script>" not in html
    assert html == "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt;"


def test_highlight_marks_the_original_hebrew_word_with_its_prefix():
    html = highlighter("אינטרנט").mark("בעיה והאינטרנט לא עובד")
    assert html == "בעיה <mark>והאינטרנט</mark> לא עובד"


def test_highlight_marks_other_forms_of_an_english_word():
    assert highlighter("deleting").mark("Deleted files") == "<mark>Deleted</mark> files"


@pytest.mark.parametrize(
    ("query", "text", "marked"),
    [
        ("use", "Using the app", "<mark>Using</mark> the app"),
        ("die", "The battery is dying", "The battery is <mark>dying</mark>"),
        ("router", "ｒｏｕｔｅｒ lights", "<mark>ｒｏｕｔｅｒ</mark> lights"),
        ("invoice", "Your bill", "Your bill"),
    ],
)
def test_highlight_marks_words_whose_form_differs_from_their_letters(query, text, marked):
    assert highlighter(query).mark(text) == marked


def marked_by_tokens(marker, text, start, end):
    """What marking means: every token of ``text[start:end]`` the query matches, marked."""
    text, out, pos = analysis.clean(text), [], start
    for token in tokenize(text[start:end]):
        s, e = token.start + start, token.end + start
        if s >= pos and marker.matches(token):
            out += [html.escape(text[pos:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
            pos = e
    return "".join(out) + html.escape(text[pos:end])


WORDS = ["router", "Routers", "reset", "אינטרנט", "והאינטרנט", 'רשב"י', "בְּרֵאשִׁית", "ＷｉＦｉ",
         "wifi", "Straße", "don't", "<b>", "①a", "צ'יפס", "a\u00adb", "-", " ", "\n",
         "use", "using", "die", "dying", "happy", "happiness"]  # fmt: skip


@given(
    query=st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
    words=st.lists(st.sampled_from(WORDS) | st.text(max_size=6), max_size=12),
    cut=st.tuples(st.integers(0, 30), st.integers(0, 30)),
)
def test_marking_marks_exactly_the_matched_tokens(query, words, cut):
    marker = highlighter(" ".join(query))
    text = " ".join(words)
    start, end = min(cut[0], len(text)), min(max(cut), len(text))
    assert marker.mark(text, start, end) == marked_by_tokens(marker, text, start, end)
    assert marker.mark(text) == marked_by_tokens(marker, text, 0, len(text))


def test_snippet_shows_the_part_of_a_long_text_that_matches():
    body = "Filler words here. " * 200 + "To reset your password open settings. " + "More. " * 200
    snippet = highlighter("reset password").snippet(["", body])
    assert "<mark>reset</mark> your <mark>password</mark>" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert len(snippet) < 400


def test_snippet_finds_pointed_and_acronym_words():
    assert "<mark>" in highlighter("רשבי").snippet(['ספר על רשב"י ובנו'])
    assert "<mark>בְּרֵאשִׁית</mark>" in highlighter("בראשית").snippet(["ספר בְּרֵאשִׁית"])


def test_snippet_window_counts_words_written_with_an_apostrophe():
    # "We'll" analyses to "well": the window holding it and "refund" beats one with "refund"
    # alone, and its words are marked where they were found.
    body = "A refund. " + "Filler words here. " * 40 + "We'll refund the charge."
    snippet = highlighter("we'll refund").snippet([body])
    assert "<mark>We&#x27;ll</mark> <mark>refund</mark> the charge." in snippet


def test_snippet_does_not_mark_the_end_of_a_word_cut_by_its_window():
    # No space near where the window begins: it cuts "crowdin", whose "in" is no match.
    body = "Z" * 80 + "crowdin lets teams qqqqq translate in a social way"
    snippet = highlighter("in way").snippet([body])
    assert snippet.startswith("… in lets teams")
    assert "translate <mark>in</mark> a social <mark>way</mark>" in snippet


def test_snippet_without_matches_is_the_beginning_of_the_text():
    assert (
        highlighter("zebra").snippet(["Short <b>summary</b>."])
        == "Short &lt;b&gt;summary&lt;/b&gt;."
    )


def test_words_longer_than_the_servers_token_limit_are_cut_as_the_server_cuts_them():
    # Elasticsearch's whitespace tokenizer (max_token_length 1024) splits such a word into
    # pieces; the shared analysis makes the same pieces, so both engines index them alike.
    surface, _ = analysis.index_text("a" * 2500 + " router")
    assert [len(w) for w in surface.split()] == [1024, 1024, 452, 6]
    # A letter outside the BMP counts two UTF-16 units, as in Java.
    cjk = "\U00020000" * 600
    pieces = analysis.index_text(cjk)[0].split()
    assert [len(p) for p in pieces] == [512, 88]
