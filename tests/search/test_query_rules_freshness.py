"""The synonym and promotion rules each thread keeps: an edit saved in this process applies to
the next search at once, one saved by another server process (which only changes the shared
cache's generation) once the thread next asks the cache."""

import uuid

import pytest
from django.core.cache import cache
from wagtail.models import Locale

from search import querying
from search.models import SynonymGroup


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(querying.time, "monotonic", lambda: now[0])
    return now


@pytest.mark.django_db
def test_an_edit_in_this_process_applies_at_once(clock):
    en = Locale.objects.get(language_code="en")
    before = querying.synonyms_for("en")
    SynonymGroup.objects.create(locale=en, terms="dongle, usb modem")
    assert querying.synonyms_for("en") is not before


@pytest.mark.django_db
def test_an_edit_in_another_process_applies_once_the_generation_is_read_again(clock):
    en = Locale.objects.get(language_code="en")
    before = querying.synonyms_for("en")
    # Another process saved a rule: the rows and the shared generation changed, no signal here.
    SynonymGroup.objects.bulk_create([SynonymGroup(locale=en, terms="dongle, usb modem")])
    cache.set(querying._GENERATION_KEY, uuid.uuid4().hex, None)
    assert querying.synonyms_for("en") is before  # asked the cache a moment ago
    clock[0] += querying.GENERATION_CHECK_SECONDS
    assert querying.synonyms_for("en") is not before
