"""Running tests against a live Elasticsearch server, when ELASTICSEARCH_URL names one."""

import os
import uuid

import pytest

from search.engines import get_engine, reset_engines

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "").strip()
LIVE_SKIP = "Elasticsearch live suite skipped: ELASTICSEARCH_URL is not set"
ENGINE_CLASS = "search.engines.elasticsearch.ElasticsearchEngine"


def live_options(**overrides):
    """A throwaway index on the live server; errors raise, writes are searchable at once."""
    return {
        "URL": ELASTICSEARCH_URL,
        "INDEX": f"helpcenter-test-{uuid.uuid4().hex[:12]}",
        "RAISE_ERRORS": True,
        "REFRESH": True,
        "WRITES_AFTER_COMMIT": False,
        "REPLICAS": 0,
        "TIMEOUT": 30,
        "RETIRE_AFTER": 0,  # no search runs on an old index in these tests
        **overrides,
    }


def use_engine(name, request):
    """Make ``name`` the site's engine for one test (a generator for a fixture to yield from);
    "elasticsearch" is a live engine on an empty index of its own, skipped without a server."""
    settings = request.getfixturevalue("settings")
    if name == "elasticsearch":
        if not ELASTICSEARCH_URL:
            pytest.skip(LIVE_SKIP)
        request.getfixturevalue("db")
        config = {"ENGINE": ENGINE_CLASS, "OPTIONS": live_options()}
        settings.SEARCH_ENGINES = {**settings.SEARCH_ENGINES, name: config}
    settings.SEARCH_ENGINE = name
    reset_engines()
    engine = get_engine(name)
    if name == "elasticsearch":
        engine.rebuild([])
    try:
        yield engine
    finally:
        if name == "elasticsearch":
            engine.drop()
        reset_engines()
