"""Suggestions rank a few candidate titles by the title index alone (in SQLite or from
memory), then read their documents: the list must be the one ranking every match gives, in
each language, with expired pages left out, ties kept in order, and every match ranked when
the candidates cannot tell."""

from datetime import UTC, datetime

import pytest
from django.db import connection

from search.engines.sqlite import SqliteEngine, reader
from search.engines.sqlite.schema import create_schema

from .test_sqlite_engine import doc, index

PREFIXES = ["google acc", "how do i reset my google pass", "google", "reset pass", "goo", "גוגל"]


@pytest.fixture(params=["sqlite", "memory"])
def engine(request, db, monkeypatch):
    with connection.cursor() as cursor:
        create_schema(cursor)
    engine = SqliteEngine("test", {"DATABASE": "default", "RAISE_ERRORS": True})
    expired = datetime(2000, 1, 1, tzinfo=UTC)
    docs = [
        doc(n, f"Google {word} help {'x' * (n % 3)}", "body")
        for n, word in enumerate(["account", "password", "drive", "docs", "mail"] * 4, start=1)
    ]
    docs += [doc(30 + n, "Google account", "body") for n in range(6)]  # full ties
    docs += [doc(40 + n, f"Reset your password {n}", "body") for n in range(5)]
    docs += [doc(50 + n, f"חשבון Google {n}", "גוף", locale="he") for n in range(12)]
    docs += [doc(70 + n, "Google account expired", "body", expire_at=expired) for n in range(4)]
    index(engine, *docs)
    if request.param == "sqlite":  # the candidates ranked by SQLite, not from memory
        monkeypatch.setattr(engine._titles, "current", lambda cursor, version: None)
    return engine


def every_match_ranked(engine, prefix, locale, limit, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(reader, "suggest_rows", lambda *args: reader._ranked_suggest_rows(*args[:5]))
        return [(s.key, s.title) for s in engine.suggest(prefix, locale, limit)]


@pytest.mark.parametrize("candidates", [1, 2, 4])
@pytest.mark.parametrize("locale", ["en", "he", None])
@pytest.mark.parametrize("limit", [3, 8])
def test_the_list_is_what_ranking_every_match_gives(engine, monkeypatch, candidates, locale, limit):
    monkeypatch.setattr(reader, "SUGGEST_CANDIDATES", candidates)
    for prefix in PREFIXES:
        shown = [(s.key, s.title) for s in engine.suggest(prefix, locale, limit)]
        assert shown == every_match_ranked(engine, prefix, locale, limit, monkeypatch), prefix
        assert not any("expired" in title for _key, title in shown)


def test_the_candidates_alone_answer_when_they_can_and_every_match_is_ranked_when_not(
    engine, monkeypatch
):
    ranked_all = []
    every_match = reader._ranked_suggest_rows
    monkeypatch.setattr(
        reader,
        "_ranked_suggest_rows",
        lambda *args: ranked_all.append(args[1]) or every_match(*args),
    )
    monkeypatch.setattr(reader, "SUGGEST_CANDIDATES", 2)
    # English titles come first: six candidates in the language are enough for three.
    assert len(engine.suggest("google pass", "en", 3)) == 3
    assert ranked_all == []
    # The Hebrew titles rank below the English ones: the candidates hold none of them.
    hebrew = engine.suggest("google pass", "he", 3)
    assert len(hebrew) == 3 and all(s.title.startswith("חשבון") for s in hebrew)
    # SQLite then ranks every match; the memory reads more candidates instead.
    assert len(ranked_all) == (0 if engine._titles.index is not None else 1)
