"""Query-count pins: a search costs the same few queries however many pages match, so an N+1
(a query per hit, per category, per page of results) fails here before customers feel it.

Each request is made once to warm what is cached per process (the site, the index's
vocabulary), then counted (the fewest of three); the insights database is counted too (the
query log). Both counts find more than a few results, so neither asks for a spelling
correction (which costs a query more, once, whatever the number of pages).
"""

from contextlib import ExitStack

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from search import service
from search.service import FEW_RESULTS

# The most queries each may make, measured when these pins were set.
RESULTS_PAGE = 14
SEARCH_API = 10
SUGGEST_API = 4
SERVICE = 6


def add_invoice_pages(tree, count, start=0):
    for i in range(start, start + count):
        tree.article(title=f"Invoice question {i}", summary=f"Where invoice number {i} is.")


def count_queries(call, tries=3):
    """The fewest queries of ``tries`` calls: what a process keeps for a second or two (the
    vocabulary, the query rules) is read again in whichever request comes after that, and
    on a slow machine that can be a counted one; a query per hit or page is in every call."""
    return min(_count_queries(call) for _ in range(tries))


def _count_queries(call):
    with ExitStack() as stack:
        contexts = [
            stack.enter_context(CaptureQueriesContext(connections[alias]))
            for alias in ("default", "insights")
        ]
        call()
    return sum(len(c.captured_queries) for c in contexts)


def counts_with_few_and_many_pages(tree, call):
    add_invoice_pages(tree, FEW_RESULTS)
    call()
    few = count_queries(call)
    add_invoice_pages(tree, 12, start=FEW_RESULTS)
    call()
    return few, count_queries(call)


CASES = {
    "results page": ("/en/search/", {"q": "invoice"}, RESULTS_PAGE),
    "search API": ("/api/search/", {"q": "invoice", "lang": "en"}, SEARCH_API),
    "suggest API": ("/api/search/suggest/", {"q": "invoi", "lang": "en"}, SUGGEST_API),
}


@pytest.mark.django_db(databases=["default", "insights"])
@pytest.mark.parametrize("case", CASES)
def test_a_search_request_costs_the_same_queries_however_many_pages_match(client, tree, case):
    path, params, most = CASES[case]

    def call():
        assert client.get(path, params).status_code == 200

    few, many = counts_with_few_and_many_pages(tree, call)
    assert many == few
    assert many <= most


@pytest.mark.django_db(databases=["default", "insights"])
def test_the_search_service_costs_the_same_queries_however_many_pages_match(tree):
    few, many = counts_with_few_and_many_pages(tree, lambda: service.search("invoice", locale="en"))
    assert many == few
    assert many <= SERVICE


@pytest.mark.django_db(databases=["default", "insights"])
def test_a_rebuild_costs_the_same_queries_however_many_pages_it_indexes(tree):
    from search.indexing import rebuild

    tree.faq([("Q one?", "A one."), ("Q two?", "A two.")], lang="he")
    add_invoice_pages(tree, 3)
    rebuild(passages=False)
    few = count_queries(lambda: rebuild(passages=False))
    add_invoice_pages(tree, 12, start=3)
    assert count_queries(lambda: rebuild(passages=False)) == few
