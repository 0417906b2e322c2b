"""Query vectors shared by every process: a new query is embedded once per site (not once
per worker, not again after a restart), never kept when it holds personal data, kept for a
bounded time and number, and a missing table only costs the model's time."""

from datetime import timedelta

import numpy as np
import pytest
from django.db import connections
from django.utils import timezone

from home.retention import purge_expired
from search import outcome_cache, query_vectors, service
from search.db_router import insights_database
from search.models import KeptQueryVector
from search.semantic import embedders
from tests.search.test_semantic import WordsEmbedder, content, embed_all, words_model  # noqa: F401

pytestmark = pytest.mark.django_db


def another_process():
    """What a second worker (or this one after a restart) has: no kept outcomes, and a model
    loaded anew with no vectors in memory."""
    outcome_cache.clear()
    embedders._load.cache_clear()


def titles(text):
    return [h.document.title for h in service.search(text, locale="en").results.hits]


def test_a_query_is_embedded_once_for_every_process(content):  # noqa: F811
    embed_all()
    another_process()
    WordsEmbedder.queries = 0
    first = titles("frozen card thieves")
    assert WordsEmbedder.queries == 1
    assert KeptQueryVector.objects.count() == 1
    for _ in range(3):
        another_process()
        assert titles("frozen card thieves") == first
    assert WordsEmbedder.queries == 1  # the others read it; none asked the model again
    assert first[0] == "Block a lost or stolen card"


@pytest.mark.parametrize(
    "text",
    [
        "card 4580 1234 5678 9013 stolen",  # a card number (Luhn-valid)
        "invoice for dana.levi@example.com",
        "חשבונית ל-dana.levi@example.com",
    ],
)
def test_a_query_holding_personal_data_is_never_kept(content, text):  # noqa: F811
    embed_all()
    another_process()
    WordsEmbedder.queries = 0
    service.search(text, locale="en")
    service.search(text, locale="en")
    assert WordsEmbedder.queries == 1  # this process still remembers it, in memory only
    assert KeptQueryVector.objects.count() == 0
    another_process()
    service.search(text, locale="en")
    assert WordsEmbedder.queries == 2


def test_the_shared_vectors_are_bounded_in_number_and_in_time(content, monkeypatch, settings):  # noqa: F811
    embed_all()
    monkeypatch.setattr(query_vectors, "MAX_KEPT", 3)
    monkeypatch.setattr(query_vectors, "CHECK_EVERY", 1)
    for word in ("invoice", "bill", "card", "plan", "month"):
        another_process()
        service.search(f"{word} help", locale="en")
    assert KeptQueryVector.objects.count() == 3
    newest = set(KeptQueryVector.objects.values_list("key", flat=True))
    assert query_vectors._key(WordsEmbedder.name, "month help") in newest
    settings.SEARCH_QUERY_VECTOR_DAYS = 30
    KeptQueryVector.objects.filter(key__in=list(newest)[:2]).update(
        created_at=timezone.now() - timedelta(days=31)
    )
    assert purge_expired()["search_query_vectors"] == 2
    assert KeptQueryVector.objects.count() == 1


def test_a_vector_kept_by_a_model_of_another_size_is_not_used(content):  # noqa: F811
    embed_all()
    another_process()
    key = query_vectors._key(WordsEmbedder.name, "stolen card")
    KeptQueryVector.objects.create(
        key=key, vector=np.ones(8, dtype=np.float32).tobytes(), created_at=timezone.now()
    )
    WordsEmbedder.queries = 0
    assert titles("stolen card")[0] == "Block a lost or stolen card"
    assert WordsEmbedder.queries == 1


def test_search_goes_on_when_the_shared_table_is_missing(content, client):  # noqa: F811
    embed_all()
    another_process()
    with connections[insights_database()].cursor() as cursor:
        cursor.execute("DROP TABLE search_keptqueryvector")  # rolled back with the test
    WordsEmbedder.queries = 0
    data = client.get("/api/search/", {"q": "stolen card frozen", "lang": "en"}).json()
    assert data["results"][0]["title"] == "Block a lost or stolen card"
    assert WordsEmbedder.queries == 1


def test_sharing_can_be_turned_off(content, settings):  # noqa: F811
    settings.SEARCH_SHARE_QUERY_VECTORS = False
    embed_all()
    another_process()
    titles("frozen card")
    assert KeptQueryVector.objects.count() == 0
