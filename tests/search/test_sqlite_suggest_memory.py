"""Suggestions ranked from the title index held in memory: FTS5's bm25 to the last bit, the
same lists as SQLite gives, never a copy older than the index, and not used where the
memory would read the titles' words otherwise."""

import random
import threading

import pytest
from django.db import connection, connections

from search import analysis
from search.engines.sqlite import SqliteEngine, reader, titles
from search.engines.sqlite.schema import create_schema

from .test_sqlite_engine import doc, index

WORDS = ["google", "account", "password", "reset", "mail", "drive", "gmail", "goods", "go"]
HEBREW = ["חשבון", "סיסמה", "הסיסמה", "איפוס", "לאפס", "ביטוח", "מודם", "המודם", "נתב"]
PREFIXES = [
    "google acc", "how do i reset my google pass", "google", "reset pass", "goo", "gm",
    "mail drive go", "the password ", "גוגל", "איפוס הסיס", "המוד", "ביטוח לאפ", "סיסמה חשבון ",
]  # fmt: skip


def titles_of(rng, words, n):
    return " ".join(rng.choice(words) for _ in range(n))


@pytest.fixture
def engine(db):
    with connection.cursor() as cursor:
        create_schema(cursor)
    engine = SqliteEngine("test", {"DATABASE": "default", "RAISE_ERRORS": True})
    rng = random.Random(7)
    docs = [doc(n, titles_of(rng, WORDS, 1 + n % 6), "body") for n in range(1, 120)]
    docs += [doc(200 + n, "Google account", "body") for n in range(12)]  # full ties
    docs += [doc(300 + n, titles_of(rng, HEBREW, 1 + n % 5), "גוף", locale="he") for n in range(80)]
    index(engine, *docs)
    return engine


def memory_of(engine):
    with connection.cursor() as cursor:
        return titles.read(cursor, engine.version())


def fts5_scores(match):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, bm25(search_title_fts, 2.0, 1.0) FROM search_title_fts "
            "WHERE search_title_fts MATCH %s",
            [match.expression()],
        )
        return dict(cursor.fetchall())


def test_the_scores_are_fts5s_to_the_last_bit(engine):
    memory = memory_of(engine)
    assert memory is not None
    tried = 0
    for prefix in PREFIXES:
        for match in reader.suggest_matches(analysis.clean(prefix)):
            expected = fts5_scores(match)
            for n in (1, 3, 8, 32, 1000):
                scores, every_match = memory.best(match.groups, match.every, n)
                assert all(scores[rowid] == expected[rowid] for rowid in scores), prefix
                ranked = sorted(expected.values())
                last = ranked[n - 1] if len(ranked) > n else None
                # The n best, and every title tying the last of them.
                assert set(scores) == {r for r, s in expected.items() if last is None or s <= last}
                assert every_match == (len(scores) == len(expected))
                tried += 1
    assert tried >= 100


@pytest.mark.parametrize("locale", ["en", "he", None])
@pytest.mark.parametrize("limit", [3, 8])
def test_the_lists_are_those_sqlite_gives(engine, monkeypatch, locale, limit):
    for prefix in PREFIXES:
        in_memory = [(s.key, s.title) for s in engine.suggest(prefix, locale, limit)]
        assert engine._titles.index.version == engine.version()  # a small index: read at once
        with monkeypatch.context() as patch:
            patch.setattr(engine._titles, "current", lambda cursor, version: None)
            by_sqlite = [(s.key, s.title) for s in engine.suggest(prefix, locale, limit)]
        assert in_memory == by_sqlite, prefix


def test_a_small_index_is_read_again_after_a_change(engine):
    assert [s.title for s in engine.suggest("passw", "en")]
    index(engine, doc(900, "Broadband router lights", "body"))
    assert [s.title for s in engine.suggest("router lig", "en")] == ["Broadband router lights"]
    assert engine._titles.index.version == engine.version()


def test_a_large_index_is_ranked_by_sqlite_until_its_copy_is_current(engine, monkeypatch):
    monkeypatch.setattr(titles, "BUILD_HERE_ROWS", 0)
    builds = []
    monkeypatch.setattr(engine._titles, "_build", lambda: builds.append(1))
    assert engine.prepare_suggestions()
    kept = engine._titles.index
    index(engine, doc(900, "Broadband router lights", "body"))
    # Found at once, ranked by SQLite; the copy is read again off the request path, once.
    assert [s.title for s in engine.suggest("router lig", "en")] == ["Broadband router lights"]
    assert [s.title for s in engine.suggest("router lights", "en")] == ["Broadband router lights"]
    assert engine._titles.index is kept and kept.version != engine.version()
    assert len(builds) == 1


def test_titles_the_memory_would_read_otherwise_leave_it_unused(engine, monkeypatch):
    with connection.cursor() as cursor:
        # FTS5 cuts "snake_case" in two; the memory's reading (words between spaces) would not.
        cursor.execute(
            "INSERT INTO search_title_fts (rowid, title, title_f) VALUES (5000, %s, %s)",
            ["snake_case", "snake_case"],
        )
    assert memory_of(engine) is None
    assert not engine.prepare_suggestions()
    reads = []
    monkeypatch.setattr(titles, "read", lambda *args: reads.append(1))
    assert [s.title for s in engine.suggest("passw", "en")]  # ranked by SQLite
    assert [s.title for s in engine.suggest("passwo", "en")]
    assert reads == []  # not read again until the index changes


@pytest.mark.django_db(transaction=True)
def test_a_large_index_is_read_on_a_side_thread(monkeypatch):
    monkeypatch.setattr(titles, "BUILD_HERE_ROWS", 0)
    with connection.cursor() as cursor:
        create_schema(cursor)
    engine = SqliteEngine("test", {"DATABASE": "default", "RAISE_ERRORS": True})
    index(engine, *[doc(n, f"Google account {n}", "body") for n in range(1, 30)])
    built = threading.Event()
    build = engine._titles._build
    monkeypatch.setattr(engine._titles, "_build", lambda: (build(), built.set()))
    first = [s.title for s in engine.suggest("google acc", "en")]  # ranked by SQLite
    assert built.wait(30)
    assert engine._titles.index.version == engine.version()
    assert [s.title for s in engine.suggest("google acc", "en")] == first
    connections.close_all()
