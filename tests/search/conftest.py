import pytest

from .elasticsearch.live import use_engine

# Every engine the behaviour suite runs against; Elasticsearch is skipped, saying so, when
# ELASTICSEARCH_URL is not set.
ENGINE_NAMES = ["default", "elasticsearch"]
# Modules whose tests go through the site's search service: each of their tests runs once per
# engine, with that engine as the site's.
SITE_BEHAVIOUR_MODULES = {"test_sync", "test_tuning", "test_api_and_page"}


@pytest.fixture(params=ENGINE_NAMES)
def engine(request, db):
    yield from use_engine(request.param, request)


@pytest.fixture(autouse=True)
def site_engine(request):
    name = getattr(request, "param", None)
    if name is None:
        yield None
    else:
        yield from use_engine(name, request)


def pytest_generate_tests(metafunc):
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if module in SITE_BEHAVIOUR_MODULES and "site_engine" in metafunc.fixturenames:
        metafunc.parametrize("site_engine", ENGINE_NAMES, indirect=True)


def keys(outcome):
    return [h.document.key for h in outcome.results.hits]


def titles(outcome):
    return [h.document.title for h in outcome.results.hits]
