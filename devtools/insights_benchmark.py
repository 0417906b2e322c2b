"""Search insights at scale: a synthetic query log, then timed reports and logging.

The log is written straight into the table (a million model saves would take the benchmark
longer than the thing it measures); everything timed runs through the site's own code.
"""

import random
import secrets
import statistics
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.test import Client, RequestFactory
from django.utils import timezone

from search import querylog, redaction, service
from search.models import SearchQueryLog
from search.reports import rollup

COLUMNS = [
    "query",
    "normalized",
    "locale",
    "filters",
    "result_count",
    "engine",
    "latency_ms",
    "corrected",
    "source",
    "session_key",
    "click_count",
    "created_at",
    "updated_at",
]


def percentiles(samples_ms):
    ordered = sorted(samples_ms)

    def pick(p):
        return round(ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))], 3)

    return {"p50": pick(50), "p95": pick(95), "mean": round(statistics.fmean(ordered), 3)}


def timed(call, repeat):
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def vocabulary(queries, distinct, seed=7):
    """``distinct`` (query, language) pairs: the dataset's queries, then variants of them."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    out = list(dict.fromkeys(queries))
    while len(out) < distinct:
        text, lang = rng.choice(queries)
        words = text.split()
        rng.shuffle(words)
        out.append((" ".join(words[: rng.randint(1, 4)]) + f" {rng.randint(1, 99999)}", lang))
    return out[:distinct]


def fill_log(queries, count, days, distinct, seed=7, batch=20_000, progress=None):
    """``count`` logged searches over the last ``days`` days: Zipf-like popularity over
    ``distinct`` queries, a visitor doing a few searches, about 15% failing."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    terms = vocabulary(queries, distinct, seed)
    keys = [(redaction.redact(t), querylog.group_key(t) or t.casefold(), lang) for t, lang in terms]
    weights = [1 / (rank + 1) for rank in range(len(keys))]
    failing = {i for i in range(len(keys)) if rng.random() < 0.15}
    now = timezone.now()
    connection = connections[router.db_for_write(SearchQueryLog)]
    table = SearchQueryLog._meta.db_table
    columns, marks = ", ".join(COLUMNS), ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - our own names
    written = 0
    while written < count:
        rows = []
        for pick in rng.choices(range(len(keys)), weights=weights, k=min(batch, count - written)):
            query, normalized, lang = keys[pick]
            when = connection.ops.adapt_datetimefield_value(
                now - timedelta(seconds=rng.random() * days * 86400)
            )
            results = 0 if pick in failing else rng.randint(1, 40)
            clicks = 0 if not results or rng.random() < 0.4 else rng.randint(1, 2)
            rows.append(
                (
                    query,
                    normalized,
                    lang,
                    "{}",
                    results,
                    "default",
                    rng.uniform(2, 20),
                    False,
                    "page",
                    secrets.token_hex(16),
                    clicks,
                    when,
                    when,
                )
            )
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        written += len(rows)
        if progress:
            progress(len(rows))
    return written


def logging_overhead(queries, repeat=3):
    """Milliseconds per search, and per log write on top of it: a new search (one INSERT)
    and the same visitor's next page of it (one indexed SELECT and one UPDATE)."""
    factory = RequestFactory()
    searches, first, again = [], [], []
    for _ in range(repeat):
        for text, lang in queries:
            started = time.perf_counter()
            outcome = service.search(text, locale=lang)
            searches.append((time.perf_counter() - started) * 1000)
            request = factory.get("/en/search/")
            started = time.perf_counter()
            querylog.record_search(request, outcome)
            first.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            querylog.record_search(request, outcome)
            again.append((time.perf_counter() - started) * 1000)
    return {
        "search_ms": percentiles(searches),
        "log_new_search_ms": percentiles(first),
        "log_same_search_again_ms": percentiles(again),
    }


def report_timings(repeat=5):
    """Milliseconds per admin report page, as a manager's browser would ask for it."""
    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench")
    client = Client()
    client.force_login(user)
    today = timezone.localdate()
    quarter = {"date_from": (today - timedelta(days=89)).isoformat(), "date_to": today.isoformat()}
    pages = {
        "failed (30 days)": ("/admin/reports/failed-searches/", {}),
        "failed (90 days)": ("/admin/reports/failed-searches/", quarter),
        "failed (90 days, Hebrew)": (
            "/admin/reports/failed-searches/",
            {**quarter, "language": "he"},
        ),
        "failed CSV (90 days)": ("/admin/reports/failed-searches/", {**quarter, "export": "csv"}),
        "no click (30 days)": ("/admin/reports/searches-without-click/", {}),
        "top searches (30 days)": ("/admin/reports/top-searches/", {}),
        "top searches (90 days)": ("/admin/reports/top-searches/", quarter),
        "trends (90 days)": ("/admin/reports/search-trends/", quarter),
        "trends CSV (90 days)": ("/admin/reports/search-trends/", {**quarter, "export": "csv"}),
        "dashboard": ("/admin/", {}),
    }
    out = {}
    for name, (url, params) in pages.items():

        def fetch(url=url, params=params):
            response = client.get(url, params)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            if response.streaming:
                b"".join(response.streaming_content)

        fetch()  # warm
        out[name] = timed(fetch, repeat)
    return out


def rollup_timings():
    started = time.perf_counter()
    days = rollup.refresh(force=True)
    backfill = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    again = rollup.refresh(force=True)
    incremental = (time.perf_counter() - started) * 1000
    return {
        "backfill_days": days,
        "backfill_s": round(backfill / 1000, 2),
        "incremental_days": again,
        "incremental_ms": round(incremental, 1),
    }
