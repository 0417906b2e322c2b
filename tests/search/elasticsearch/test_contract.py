"""What the Elasticsearch engine sends, checked without a server (run always).

The mapping, the analysis settings and the request bodies are the contract with the server:
these tests pin what makes Hebrew and English behave as in the embedded engine, and what
keeps any query text from reaching the server as anything but words.
"""

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from elasticsearch.dsl.response import Hit as DslHit

from search import analysis
from search.conf import FIELDS, MAX_NEAR_PAIRS, MAX_PROMOTED, MAX_QUERY_TERMS, Ranking
from search.documents import SearchDocument
from search.engines.base import EngineQuery
from search.engines.elasticsearch import ElasticsearchEngine, _hit, index_alias
from search.engines.es_mapping import build_index, from_source, to_source
from search.engines.es_queries import (
    search_request,
    suggest_fallback_request,
    suggest_request,
    vocabulary_request,
)
from search.query_terms import AnalysedQuery

ROOT = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def body(text, known=None, window=None, **options):
    """The search request body for ``text``, as the engine would send it."""
    query = EngineQuery(text=text, now=NOW, **options)
    window = {"window": window} if window else {}
    terms = AnalysedQuery.build(text, Ranking(), known or {}, query.synonyms)
    page, per_page = options.get("page", 1), options.get("per_page", 10)
    offset = (page - 1) * per_page
    return search_request(query, terms, Ranking(), NOW, offset, per_page, **window).to_dict()


def organic(request):
    """The text part of a request: the bool of alternatives under the filters."""
    ranked = request["query"]["bool"]["must"][0]
    return ranked["pinned"]["organic"] if "pinned" in ranked else ranked


def clauses(request, kind):
    return [c[kind] for c in organic(request).get("bool", {}).get("should", []) if kind in c]


def boosts(fields):
    return {name: float(weight) for name, weight in (f.split("^") for f in fields)}


# -- the index ----------------------------------------------------------------------------


def test_the_server_only_splits_on_spaces_so_analysis_stays_ours():
    index = build_index("helpcenter-test-x--1").to_dict()
    analysis_settings = index["settings"]["analysis"]
    assert analysis_settings["analyzer"]["help_pre_analysed"] == {
        "type": "custom",
        "tokenizer": "help_words",
    }
    assert analysis_settings["tokenizer"]["help_words"]["type"] == "whitespace"
    assert "filter" not in analysis_settings  # no server stemming, folding or Hebrew plugin
    mapping = index["mappings"]
    assert mapping["dynamic"] == "strict"
    for group in ("surface", "forms"):
        fields = mapping["properties"][group]["properties"]
        assert sorted(fields) == sorted(FIELDS)
        assert {f["analyzer"] for f in fields.values()} == {"help_pre_analysed"}
        assert fields["title"]["index_prefixes"] == {"min_chars": 1, "max_chars": 10}
    for name in ("key", "type", "locale", "category", "vocab"):
        assert mapping["properties"][name]["type"] == "keyword"
    assert mapping["properties"]["display"] == {"type": "object", "enabled": False}


def test_a_rebuild_fills_without_refreshes_or_replicas():
    live = build_index("x", shards=3, replicas=2).to_dict()["settings"]
    building = build_index("x", shards=3, replicas=2, building=True).to_dict()["settings"]
    assert (live["number_of_shards"], live["number_of_replicas"], live["refresh_interval"]) == (
        3,
        2,
        "1s",
    )
    assert (building["number_of_replicas"], building["refresh_interval"]) == (0, "-1")


def test_indexed_text_is_exactly_what_the_shared_analysis_makes():
    doc = SearchDocument(
        key="7#q-1",
        page_id=7,
        url="/he/7/#q-1",
        title="וְהָאִינְטֶרְנֶט לא עובד",
        type="faq",
        locale="he",
        body='Routers & רשב"י\x00 <b>',
        category="net",
        published_at=NOW,
    )
    source = to_source(doc)
    for name in FIELDS:
        surface, forms = analysis.index_text(getattr(doc, name))
        assert source["surface"][name] == surface and source["forms"][name] == forms
    assert source["surface"]["title"] == "והאינטרנט לא עובד"
    assert source["forms"]["title"].split()[:3] == ["והאינטרנט", "האינטרנט", "אינטרנט"]
    assert source["forms"]["body"].startswith("router ")
    assert "רשבי" in source["vocab"] and "routers" in source["vocab"]
    # What a hit shows is the text as written, without control characters, never escaped.
    assert source["display"]["body"] == 'Routers & רשב"י  <b>'
    assert json.dumps(source)  # serialisable as sent
    back = from_source(source)
    assert (back.key, back.page_id, back.url, back.title) == ("7#q-1", 7, "/he/7/#q-1", doc.title)
    assert back.published_at == NOW and back.expire_at is None


def test_index_names_are_per_site_and_environment():
    options = {"INDEX_PREFIX": "HelpCenter", "ENVIRONMENT": "production", "SITE": "Acme Help!"}
    assert index_alias(options) == "helpcenter-production-acme-help"
    assert index_alias({"SITE": "מרכז עזרה"}) == "helpcenter-dev-x"  # never an invalid name
    assert index_alias({"INDEX": "_Custom Name"}) == "custom-name"
    engine = ElasticsearchEngine("es", {**options, "URL": "http://127.0.0.1:9"})
    physical = engine._new_index_name()
    assert physical.startswith("helpcenter-production-acme-help--") and physical[-20:].isdigit()


# -- searching ----------------------------------------------------------------------------


def test_words_are_matched_as_written_and_by_their_forms_with_field_weights():
    request = body("Deleting my ACCOUNTS")
    surface, forms = clauses(request, "combined_fields")
    assert surface["query"] == "deleting accounts"  # stopwords left out, case folded
    assert forms["query"] == "delet account"
    surface_w, forms_w = boosts(surface["fields"]), boosts(forms["fields"])
    assert min(surface_w.values()) >= 1 and min(forms_w.values()) >= 1  # combined_fields rule
    # A boost multiplies term frequencies under BM25's saturation: the embedded engine's own
    # weights, body = 1, not all of them rescaled (which flattens title against body).
    assert surface_w == {
        "surface.title": 4.0, "surface.keywords": 2.0, "surface.summary": 1.5,
        "surface.body": 1.0, "surface.steps": 1.0, "surface.transcript": 1.0,
    }  # fmt: skip
    assert forms_w == {k.replace("surface", "forms"): w for k, w in surface_w.items()}
    # An English stem says less than the word as written: the whole clause counts less.
    assert "boost" not in surface and forms["boost"] == pytest.approx(0.4)


def test_hebrew_forms_weigh_more_and_prefix_readings_come_from_the_vocabulary():
    request = body("והאינטרנט", known={"אינטרנט": 3})
    surface, forms = clauses(request, "combined_fields")
    assert surface["query"] == "והאינטרנט"
    # "האינטרנט" is not in the index's vocabulary, so only the reading it knows is asked.
    assert forms["query"] == "והאינטרנט אינטרנט"
    assert forms["boost"] == pytest.approx(2.0) and "boost" not in surface


def test_neighbouring_words_count_again_when_close_together():
    phrases = clauses(body("reset router password"), "multi_match")
    assert [(p["query"], p["slop"], p["type"]) for p in phrases] == [
        ("reset router", 6, "phrase"),
        ("router password", 6, "phrase"),
    ]
    assert all(f.startswith("forms.") for p in phrases for f in p["fields"])
    hebrew = clauses(body("איפוס ראוטר"), "multi_match")
    assert hebrew[0]["slop"] == 24  # Hebrew words stand several forms apart


def test_both_engines_read_a_query_under_the_same_bounds():
    words = " ".join(f"word{chr(97 + i)}" for i in range(30))
    (surface, _) = clauses(body(words), "combined_fields")
    assert len(surface["query"].split()) == MAX_QUERY_TERMS == 16  # as the embedded engine
    assert len(clauses(body(words), "multi_match")) == MAX_NEAR_PAIRS == 6


def test_synonyms_and_words_typed_apart_are_searched_as_phrases():
    request = body(
        "roaming git hub", known={"github": 1}, synonyms={"roaming": ["mobile data abroad"]}
    )
    phrases = {
        (p["query"], p["slop"], p["fields"][0].split(".")[0])
        for p in clauses(request, "multi_match")
    }
    assert ("mobile data abroad", 0, "surface") in phrases
    assert ("mobil data abroad", 3, "forms") in phrases
    assert ("github", 0, "surface") in phrases and ("github", 0, "forms") in phrases


def test_promoted_documents_are_pinned_in_order_and_bounded():
    request = body("router", promoted=["3", "1", "3", "", "9" * 600, *map(str, range(100, 200))])
    pinned = request["query"]["bool"]["must"][0]["pinned"]
    assert pinned["ids"][:3] == ["3", "1", "100"]  # duplicates, empty and oversized ids dropped
    assert len(pinned["ids"]) == MAX_PROMOTED
    assert "pinned" not in body("router")["query"]["bool"]["must"][0]
    # Promoted documents still show when no word of the query can match.
    assert body("?!", promoted=["3"])["query"]["bool"]["must"][0]["pinned"]["organic"] == {
        "match_none": {}
    }


def test_filters_narrow_the_hits_and_each_facet_ignores_only_its_own():
    request = body("router", locale="he", types=("faq", "guide"), categories=("billing",))
    chosen = request["post_filter"]["bool"]["filter"]
    assert {"terms": {"type": ["faq", "guide"]}} in chosen and {
        "terms": {"locale": ["he"]}
    } in chosen
    for facet in ("type", "category", "locale"):
        scope = request["aggs"][facet]["filter"]["bool"]["filter"]
        assert [next(iter(f["terms"])) for f in scope] == [
            n for n in ("type", "category", "locale") if n != facet
        ]
        assert request["aggs"][facet]["aggs"]["values"]["terms"]["field"] == facet
    assert "post_filter" not in body("router")
    assert request["track_total_hits"] is True


def test_expired_documents_are_filtered_at_the_query_time():
    expiry = body("router")["query"]["bool"]["filter"][0]["bool"]["should"]
    assert {"range": {"expire_at": {"gt": NOW.isoformat()}}} in expiry
    assert {"bool": {"must_not": [{"exists": {"field": "expire_at"}}]}} in expiry


def test_pages_are_windows_of_a_stable_order_and_never_past_the_servers_limit():
    request = body("router", page=3, per_page=20)
    assert (request["from"], request["size"]) == (40, 20)
    assert request["sort"] == ["_score", {"key": "asc"}]
    beyond = body("router", page=600, per_page=20)
    # The server refuses from + size past index.max_result_window, even with size 0.
    assert (beyond["from"], beyond["size"]) == (0, 0)  # still counts and facets, no hits
    straddling = body("router", page=500, per_page=20)  # hits 9,980 to 9,999 are there
    assert (straddling["from"], straddling["size"]) == (9980, 20)
    cut = body("router", page=3, per_page=20, window=50)  # a smaller window set for the index
    assert (cut["from"], cut["size"]) == (40, 10)
    assert "surface" not in " ".join(request["_source"])  # only what a hit shows comes back


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "AND OR NOT",
        "title: router",
        "router*",
        "* ^ : - + ( ) [ ] { }",
        "\x00\x01router\x7f",
        "router\ud800",
        "x" * 10_000,
        "router " * 2_000,
        "🙂",
        "'; DROP TABLE x; --",
        "",
    ],
)
def test_any_query_text_becomes_plain_words_in_a_bounded_request(text):
    request = body(text, synonyms={"router": ["modem"]})
    encoded = json.dumps(request)  # serialisable: no lone surrogates or NULs reach the server
    assert "query_string" not in encoded and "\\u0000" not in encoded
    for clause in clauses(request, "combined_fields"):
        words = clause["query"].split()
        assert len(words) <= MAX_QUERY_TERMS
        assert all(w == analysis.normalize(w) or w == analysis.english_stem(w) for w in words)
    assert len(organic(request).get("bool", {}).get("should", [])) <= 2 + MAX_QUERY_TERMS + 100


def test_a_query_of_stopwords_only_still_searches_them():
    (surface, _) = clauses(body("what is it"), "combined_fields")
    assert surface["query"] == "what is it"


# -- type-ahead and vocabulary -----------------------------------------------------------


def test_suggest_completes_the_last_word_and_needs_the_others():
    request = suggest_request("reset your pa", "en", NOW, 8).to_dict()
    groups = request["query"]["bool"]["must"][0]["bool"]["must"]
    assert len(groups) == 2  # "your", a stopword among finished words, need not match
    assert groups[-1]["bool"]["should"] == [
        {"prefix": {"surface.title": {"value": "pa", "boost": 2.0}}}
    ]
    reset = groups[0]["bool"]["should"]
    assert {"term": {"surface.title": {"value": "reset", "boost": 2.0}}} in reset
    assert {"term": {"forms.title": {"value": "reset", "boost": 1.0}}} in reset
    assert {"term": {"locale": "en"}} in request["query"]["bool"]["filter"]
    assert request["sort"] == ["_score", {"title_length": "asc"}, {"key": "asc"}]
    assert request["size"] == 8
    relaxed = suggest_fallback_request("reset your pa", "en", NOW, 8).to_dict()
    assert relaxed["query"]["bool"]["must"][0]["bool"]["minimum_should_match"] == 1


def test_suggest_reaches_past_hebrew_prefixes_and_finished_words_match_whole():
    request = suggest_request("והאינט", None, NOW, 5).to_dict()
    (group,) = request["query"]["bool"]["must"][0]["bool"]["must"]
    prefixes = [c["prefix"] for c in group["bool"]["should"]]
    assert {"forms.title": {"value": "אינט", "boost": 1.0}} in prefixes
    assert len(request["query"]["bool"]["filter"]) == 1  # no language filter asked
    finished = suggest_request("router ", None, NOW, 5).to_dict()
    assert "prefix" not in json.dumps(finished)
    assert suggest_request(" ?! ", "en", NOW, 5) is None
    assert suggest_fallback_request("router", "en", NOW, 5) is None  # one word: nothing to relax


def test_type_ahead_prefixes_stay_within_the_indexed_prefix_length():
    # A longer prefix would be an "expensive" query, refused where those are turned off.
    request = suggest_request("internationalisation", None, NOW, 5).to_dict()
    (prefix,) = [c["prefix"] for c in json_walk(request) if "prefix" in c]
    assert prefix == {"surface.title": {"value": "internatio", "boost": 2.0}}
    hebrew = suggest_request("והאינטרנציונליזציה", None, NOW, 5).to_dict()
    values = [next(iter(c["prefix"].values()))["value"] for c in json_walk(hebrew) if "prefix" in c]
    assert values and all(len(v) <= 10 for v in values)


def json_walk(node):
    """Every dict inside a request body."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from json_walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from json_walk(value)


def test_the_vocabulary_is_read_page_by_page_per_language():
    request = vocabulary_request("he", after={"term": "ראוטר"}).to_dict()
    composite = request["aggs"]["vocab"]["composite"]
    assert composite["sources"] == [{"term": {"terms": {"field": "vocab"}}}]
    assert composite["after"] == {"term": "ראוטר"}
    assert request["query"]["bool"]["filter"] == [{"term": {"locale": "he"}}]
    assert request["size"] == 0


# -- what a hit shows ---------------------------------------------------------------------


def test_hits_are_escaped_before_marking_and_promoted_ones_say_so():
    doc = SearchDocument(
        key="1",
        page_id=1,
        url="/1",
        title="The <script> tag",
        type="faq",
        locale="en",
        body="Never paste <script>alert(1)</script> here.",
    )
    terms = AnalysedQuery.build("script", Ranking(), {})
    highlighter = analysis.Highlighter(terms.surfaces, terms.highlight_forms)
    raw = DslHit({"_id": "1", "_score": 3.5, "_source": to_source(doc)})
    hit = _hit(raw, highlighter, promoted=False)
    assert hit.title_html == "The &lt;<mark>script</mark>&gt; tag"
    assert (
        "&lt;<mark>script</mark>&gt;alert(1)" in hit.snippet_html
        and "<script>" not in hit.snippet_html
    )
    assert hit.score == 3.5 and hit.document.body == doc.body
    assert _hit(raw, highlighter, promoted=True).promoted


# -- configuration --------------------------------------------------------------------------


def test_setting_elasticsearch_url_makes_it_the_engine_with_the_embedded_fallback():
    code = (
        "import django; django.setup(); from django.conf import settings as s; import json; "
        "print(json.dumps([s.SEARCH_ENGINE, s.SEARCH_ENGINES['resilient']['OPTIONS'], "
        "s.SEARCH_ENGINES['elasticsearch']['OPTIONS']]))"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "ELASTICSEARCH_URL": "http://es:9200",
        "ELASTICSEARCH_TIMEOUT": "0.8",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(  # noqa: S603 (this interpreter, a fixed program)
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    active, resilient, elasticsearch = json.loads(out.stdout.strip().splitlines()[-1])
    assert active == "resilient"
    assert resilient["PRIMARY"] == "elasticsearch" and resilient["FALLBACK"] == "default"
    assert elasticsearch["URL"] == "http://es:9200" and elasticsearch["TIMEOUT"] == 0.8
    assert elasticsearch["ENVIRONMENT"] == "dev"
    assert index_alias(elasticsearch) == "helpcenter-dev-help-center"
