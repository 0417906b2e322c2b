"""Meaning-based retrieval with Elasticsearch: passage vectors in a nested ``dense_vector``
field, written with the page's words (and again once the embedding task has run), and a kNN
request whose scores are fused with the words' in Python, as with the embedded index."""

from datetime import UTC, datetime
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from search import outbox, service
from search.documents import SearchDocument
from search.engines import get_engine
from search.engines.base import EngineQuery
from search.engines.es_mapping import build_index, to_source
from search.engines.es_queries import KNN_CANDIDATES, knn_request
from search.semantic.store import store_for
from tests.search.test_semantic import WORDS, WordsEmbedder

from .test_strict_server import ALIAS, server, site  # noqa: F401 (fixtures)

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def test_passages_are_nested_cosine_dense_vectors():
    mapping = build_index("helpcenter-test-x--1").to_dict()["mappings"]
    passages = mapping["properties"]["passages"]
    assert passages["type"] == "nested"  # a document is scored by its closest passage
    assert passages["properties"]["vector"] == {
        "type": "dense_vector",
        "index": True,
        "similarity": "cosine",
    }
    assert passages["properties"]["n"] == {"type": "integer"}


def test_a_document_carries_the_vectors_embedded_so_far():
    doc = SearchDocument(
        key="3", page_id=3, url="/en/3/", title="Card", type="article", locale="en"
    )
    source = to_source(doc, [(0, np.array([0.6, 0.8], dtype=np.float32))])
    assert source["passages"] == [{"n": 0, "vector": [pytest.approx(0.6), pytest.approx(0.8)]}]
    assert "passages" not in to_source(doc)  # words only until the model has run


def test_the_knn_request_filters_as_the_search_does_and_scores_the_lexical_candidates():
    query = EngineQuery("", "he", types=("faq",), categories=("billing",), now=NOW)
    request = knn_request([0.5, 0.5], query, NOW, 30, ["7", "9#q-1"]).to_dict()
    _, nearest, _, candidates = request  # header and body of each search
    knn = nearest["knn"]
    assert (knn["field"], knn["k"]) == ("passages.vector", 30)
    assert knn["num_candidates"] == KNN_CANDIDATES
    assert knn["query_vector"] == [0.5, 0.5] and nearest["size"] == 30
    assert {"terms": {"locale": ["he"]}} in knn["filter"]
    assert {"terms": {"type": ["faq"]}} in knn["filter"]
    assert {"terms": {"category": ["billing"]}} in knn["filter"]
    assert any("expire_at" in str(f) for f in knn["filter"])  # expired pages never come back
    assert knn["inner_hits"] == {"size": 1, "_source": ["passages.n"]}
    assert {"terms": {"key": ["7", "9#q-1"]}} in candidates["knn"]["filter"]
    assert candidates["knn"]["k"] == 2 and candidates["knn"]["num_candidates"] >= 2
    assert len(knn_request([0.5], query, NOW, 30).to_dict()) == 2  # no candidates: one search


@pytest.fixture
def model(settings):
    settings.SEARCH_EMBEDDING_MODEL = WORDS
    settings.SEARCH_EMBED_AFTER_PUBLISH = True


@pytest.mark.django_db
def test_vectors_reach_the_index_and_search_fuses_knn_with_the_words(
    site,  # noqa: F811
    model,
    tree,
    django_capture_on_commit_callbacks,
):
    call_command("search_reindex", no_progress=True, stdout=StringIO(), stderr=StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        card = tree.article(
            title="Block a lost or stolen card", summary="Freeze the card in the app at once."
        )
        tree.article(title="Find your invoice", summary="Open My account, then Invoices.")
    # The words were written at once; the embedding task then wrote the page again.
    outbox.drain("elasticsearch", force=True)
    indexed = site.server.documents(ALIAS)[str(card.pk)]
    assert [p["n"] for p in indexed["passages"]] == [0]
    assert len(indexed["passages"][0]["vector"]) == WordsEmbedder.dim
    assert store_for(get_engine()).missing(WordsEmbedder.name) == 0

    before = site.server.count("POST", "_msearch")
    outcome = service.search("stolen card freeze", locale="en")
    assert site.server.count("POST", "_msearch") == before + 1  # kNN asked of the server
    assert outcome.semantic
    assert outcome.results.hits[0].document.key == str(card.pk)
    assert outcome.dense.scores[str(card.pk)] > 0.5  # the server's score turned back to a cosine


@pytest.mark.django_db
def test_without_the_server_the_passage_store_ranks_by_meaning(
    site,  # noqa: F811
    model,
    tree,
    django_capture_on_commit_callbacks,
):
    call_command("search_reindex", no_progress=True, stdout=StringIO(), stderr=StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        card = tree.article(title="Block a lost or stolen card", summary="Freeze the card.")
    site.server.stop()
    outcome = service.search("stolen card", locale="en")
    assert outcome.semantic and outcome.results.hits[0].document.key == str(card.pk)


@pytest.mark.django_db
def test_an_index_built_before_vectors_takes_words_until_it_is_rebuilt(
    site,  # noqa: F811
    model,
    tree,
    django_capture_on_commit_callbacks,
):
    call_command("search_reindex", no_progress=True, stdout=StringIO(), stderr=StringIO())
    [physical] = site.server.behind(ALIAS)
    del site.server.mappings[physical]["properties"]["passages"]  # as an upgraded site's index
    with django_capture_on_commit_callbacks(execute=True):
        card = tree.article(title="Block a lost or stolen card", summary="Freeze the card.")
    report = outbox.drain("elasticsearch", force=True)
    assert (report.failed, report.remaining) == (0, 0)  # written, not refused and retried
    assert "passages" not in site.server.documents(ALIAS)[str(card.pk)]
    outcome = service.search("stolen card", locale="en")  # the passage store ranks by meaning
    assert outcome.results.hits[0].document.key == str(card.pk)

    call_command("search_reindex", no_progress=True, stdout=StringIO(), stderr=StringIO())
    assert "passages" in site.server.documents(ALIAS)[str(card.pk)]
