"""On a large index the SQLite engine ranks only the documents holding a query's rarer words
(when it also has common ones): the first pages must be what ranking every match gives, and
a query whose rarer words are in too few documents must still fill its page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.engines.sqlite import SqliteEngine, reader
from search.engines.sqlite.schema import create_schema
from search.query_terms import AnalysedQuery

from .test_sqlite_engine import doc, index, search

NARROWED = "+search_fts.rowid IN"


@pytest.fixture
def engine(db):
    with connection.cursor() as cursor:
        create_schema(cursor)
    return SqliteEngine("test", {"DATABASE": "default", "RAISE_ERRORS": True})


@pytest.fixture
def large(monkeypatch):
    """Forty documents count as a large index; a word in half of them is common."""
    monkeypatch.setattr(reader, "NARROW_MIN_DOCUMENTS", 40)
    monkeypatch.setattr(reader, "NARROW_COMMON_SHARE", 0.5)


def printers(engine, duplex):
    """Forty printer pages; the first ``duplex`` of them are about duplex printing."""
    docs = []
    for n in range(1, 41):
        extra = " duplex two sided" if n <= duplex else ""
        body = "printer " * (1 + n % 4) + "paper tray ink" + extra
        docs.append(doc(n, f"Printer guide {n}", body))
    index(engine, *docs)


def ranked(engine, text, **options):
    with CaptureQueriesContext(connection) as queries:
        results = search(engine, text, **options)
    narrowed = any(NARROWED in q["sql"] for q in queries.captured_queries)
    return [(h.document.key, round(h.score, 6)) for h in results.hits], results.total, narrowed


def everything(engine, text, monkeypatch, **options):
    monkeypatch.setattr(reader, "NARROW_MIN_DOCUMENTS", 10**9)
    hits, total, narrowed = ranked(engine, text, **options)
    assert not narrowed
    return hits, total


def test_the_first_page_is_what_ranking_every_match_gives(engine, large, monkeypatch):
    printers(engine, duplex=15)
    hits, total, narrowed = ranked(engine, "duplex printer", locale="en")
    assert narrowed
    assert total == 40  # the count still covers every match
    assert (hits, total) == everything(engine, "duplex printer", monkeypatch, locale="en")
    assert {key for key, _ in hits} <= {str(n) for n in range(1, 16)}


def test_too_few_rarer_matches_rank_everything(engine, large, monkeypatch):
    printers(engine, duplex=3)
    hits, total, _ = ranked(engine, "duplex printer", locale="en", per_page=10)
    assert len(hits) == 10  # the page is filled with the printer pages too
    assert {key for key, _ in hits[:3]} == {"1", "2", "3"}
    assert (hits, total) == everything(
        engine, "duplex printer", monkeypatch, locale="en", per_page=10
    )


def test_pages_past_the_first_few_rank_everything(engine, large):
    printers(engine, duplex=15)
    _, _, narrowed = ranked(engine, "duplex printer", locale="en", page=4, per_page=10)
    assert not narrowed


def test_only_common_or_only_rare_words_rank_everything(engine, large):
    printers(engine, duplex=15)
    assert not ranked(engine, "printer tray", locale="en")[2]
    assert not ranked(engine, "duplex sided", locale="en")[2]


def test_a_small_index_ranks_everything(engine):
    printers(engine, duplex=15)
    terms = AnalysedQuery.build("duplex printer", engine.ranking, engine.vocabulary("en"))
    assert reader.narrowing(terms, engine.vocabulary("en"), engine.documents("en")) == ""
    assert not ranked(engine, "duplex printer", locale="en")[2]
