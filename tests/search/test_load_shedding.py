"""A busy process ranks a wording it has never embedded by words alone, so the model's time
does not come out of everyone's throughput; a quiet one ranks every search by meaning too."""

import itertools
import multiprocessing
import threading
import time
from contextlib import contextmanager

import pytest
from django.db import connections

from search import load_shedding, outcome_cache, service

from .test_semantic import WordsEmbedder, embed_all

HELD = "why was my card declined abroad"  # the search kept waiting; a number makes it new
_held = itertools.count()


class HoldingEmbedder(WordsEmbedder):
    """Keeps one search waiting for the model until the test lets it go."""

    begun = threading.Event()
    release = threading.Event()

    def _embed_query(self, text):
        if text.startswith(HELD):
            HoldingEmbedder.begun.set()
            HoldingEmbedder.release.wait(10)
        return super()._embed_query(text)


@pytest.fixture
def content(settings, tree):
    settings.SEARCH_EMBEDDING_MODEL = "tests.search.test_load_shedding.HoldingEmbedder"
    settings.SEARCH_EMBED_AFTER_PUBLISH = False
    settings.SEARCH_MEANING_BUSY_AT = 2
    tree.article(
        title="Block a lost or stolen card",
        summary="Freeze the card in the app at once.",
        body=[{"type": "paragraph", "value": "<p>Thieves cannot pay with a frozen card.</p>"}],
    )
    tree.article(title="Find your invoice", summary="Open My account, then Invoices.")
    embed_all()
    outcome_cache.clear()
    return tree


@contextmanager
def another_search_in_progress():
    """A customer's search on another thread of this process, waiting for the model while
    the block runs; yields the list its outcome is put in once it is let go."""
    HoldingEmbedder.begun.clear()
    HoldingEmbedder.release.clear()
    outcomes = []

    def customer():
        try:
            outcomes.append(service.search(f"{HELD} {next(_held)}", locale="en"))
        finally:
            connections.close_all()

    thread = threading.Thread(target=customer)
    thread.start()
    try:
        assert HoldingEmbedder.begun.wait(10), "the other search never reached the model"
        yield outcomes
    finally:
        HoldingEmbedder.release.set()
        thread.join(10)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_new_wording_is_ranked_by_words_while_another_search_is_in_progress(content, client):
    with another_search_in_progress() as held:
        outcome = service.search("stolen card thieves", locale="en")
        assert outcome.meaning_skipped and not outcome.semantic
        assert outcome.results.hits[0].document.title == "Block a lost or stolen card"
        data = client.get("/api/search/", {"q": "find my invoice", "lang": "en"}).json()
        assert data["by_meaning"] is False
        assert data["results"][0]["title"] == "Find your invoice"
    assert held and held[0].semantic  # the search in progress itself used the model

    again = service.search("stolen card thieves", locale="en")  # the process is quiet again
    assert again.semantic and not again.meaning_skipped  # the words-only outcome was not kept
    data = client.get("/api/search/", {"q": "find my invoice", "lang": "en"}).json()
    assert data["by_meaning"] is True


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_a_rush_new_wordings_wait_for_the_quiet_time(content, settings, monkeypatch):
    # Between two searches of a rush the count dips; the cores are still busy.
    settings.SEARCH_MEANING_QUIET_SECONDS = 1.0
    monkeypatch.setattr(load_shedding, "_busy_seen", float("-inf"))  # no earlier test's rush
    with another_search_in_progress():
        assert service.search("my card was stolen in a rush", locale="en").meaning_skipped
    outcome = service.search("freeze my card right after", locale="en")  # nothing else runs
    assert outcome.meaning_skipped and not outcome.semantic
    again = service.search("freeze my card right after", locale="en")  # kept through the rush
    assert again.meaning_skipped
    assert [h.document.key for h in again.results.hits] == [
        h.document.key for h in outcome.results.hits
    ]
    time.sleep(1.05)
    outcome = service.search("a thief has my card once quiet", locale="en")
    assert outcome.semantic and not outcome.meaning_skipped
    again = service.search("freeze my card right after", locale="en")  # kept no longer
    assert again.semantic and not again.meaning_skipped


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_wording_already_embedded_still_ranks_by_meaning_while_busy(content):
    assert service.search("card thieves", locale="en").semantic
    outcome_cache.clear()  # worked out again below, not the outcome kept here
    with another_search_in_progress():
        outcome = service.search("card thieves", locale="en")
    assert outcome.semantic and not outcome.meaning_skipped


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_the_setting_at_zero_every_search_waits_for_the_model(content, settings):
    settings.SEARCH_MEANING_BUSY_AT = 0
    with another_search_in_progress():
        # The model takes one text at a time: this one's turn comes once the other is let go.
        threading.Timer(0.3, HoldingEmbedder.release.set).start()
        outcome = service.search("frozen card abroad", locale="en")
    assert outcome.semantic and not outcome.meaning_skipped


def _search_in_another_process(ready, stop):
    """A forked worker of the same site, in the middle of answering a search."""
    with load_shedding.searching():
        ready.set()
        stop.wait(30)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_searches_in_the_site_s_other_processes_count_and_a_killed_one_stops_counting(content):
    assert service.search("card thieves", locale="en").semantic  # the model is loaded here
    fork = multiprocessing.get_context("fork")
    ready, stop = fork.Event(), fork.Event()
    worker = fork.Process(target=_search_in_another_process, args=(ready, stop))
    worker.start()
    try:
        assert ready.wait(10)
        assert load_shedding.in_progress() == 1  # the other process's search
        outcome = service.search("stolen card abroad", locale="en")
        assert outcome.meaning_skipped and not outcome.semantic
    finally:
        worker.kill()  # ended mid-search: its lock goes with it
        worker.join(10)
    assert load_shedding.in_progress() == 0
    outcome = service.search("stolen card abroad", locale="en")
    assert outcome.semantic and not outcome.meaning_skipped
