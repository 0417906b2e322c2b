import pytest

from search.engines import get_engine, reset_engines

# Every engine the behaviour suite runs against; a later engine adds its name here
# (and is skipped, saying so, when its server is not configured).
ENGINE_NAMES = ["default"]


@pytest.fixture(params=ENGINE_NAMES)
def engine(request, db):
    reset_engines()
    yield get_engine(request.param)
    reset_engines()


def keys(outcome):
    return [h.document.key for h in outcome.results.hits]


def titles(outcome):
    return [h.document.title for h in outcome.results.hits]
