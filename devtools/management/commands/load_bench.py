"""Load benchmark: customers searching while an editor publishes. Prints figures; not a test.

Starts gunicorn (``--workers``, the rest from the checkout's gunicorn.conf.py) from
``--checkout`` (this project unless told) on a copy-free ``--database-url`` (the settings'
database unless told), with the production settings as ``make serve`` runs them (static
files collected, connections kept open; plain HTTP on the loopback), then for each endpoint sends
``--requests`` requests from ``--clients`` concurrent clients (no cookies: every request is
a new visitor; the endpoints take turns in ``--rounds`` rounds) while a second process of
that checkout publishes help pages in a loop. It
prints req/s, p50/p95 latency and 5xx per endpoint beside /robots.txt on the same server,
failed publishes, and log rows lost: searches answered minus rows in the query log after
gunicorn's graceful shutdown (SIGTERM). Figures and the conditions they were taken in go to
BENCHMARKS.md.
"""

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlencode

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

QUERIES = {
    "en": ["router", "internet", "wifi slow", "password", "invoice", "tv", "outage", "lights"],
    "he": ["נתב", "אינטרנט", "חשבונית", "סיסמה", "טלוויזיה", "תקלה", "הפעלה מחדש", "נורות"],
}

# Runs in the checkout's own code, so each version publishes the way it publishes.
PUBLISHER = """
import json, os, time
from wagtail.models import Page
from home.models import HelpPage
pages = list(Page.objects.live().type(HelpPage).order_by("pk").values_list("pk", flat=True)[:8])
ok, failed, error = 0, 0, ""
while not os.path.exists(os.environ["BENCH_STOP"]):
    page = Page.objects.get(pk=pages[(ok + failed) % len(pages)]).specific
    try:
        page.save_revision().publish()
        ok += 1
    except Exception as exc:
        failed += 1
        error = repr(exc)[:300]
    time.sleep(0.1)
print(json.dumps({"ok": ok, "failed": failed, "error": error}))
"""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port, request):
    """GET a path, or POST (path, form, client address) as a customer behind one proxy."""
    started = time.perf_counter()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        if isinstance(request, tuple):
            path, form, address = request
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Forwarded-For": address,  # each vote from its own customer's address
                # As the page's script sends it: the CSRF cookie's value in the header.
                "Cookie": f"csrftoken={BENCH_CSRF}",
                "X-CSRFToken": BENCH_CSRF,
            }
            connection.request("POST", path, urlencode(form), headers)
        else:
            connection.request("GET", request)
        response = connection.getresponse()
        body = response.read()
        status = response.status
        connection.close()
    except OSError:
        status, body = 0, b""
    return status, (time.perf_counter() - started) * 1000, body


def _by_words_only(body):
    """An API answer ranked by words alone (the model off or busy), else False."""
    try:
        return json.loads(body).get("by_meaning") is False
    except (ValueError, AttributeError):
        return False


def _log_rows(database_path, tables=("search_searchquerylog",)):
    """Rows in the query log (or votes: their old and new tables), wherever it is (the
    content's file, or the insights file)."""
    total = 0
    for path in (database_path, database_path.with_name(f"{database_path.stem}-insights.sqlite3")):
        if not path.exists():
            continue
        with sqlite3.connect(path, timeout=60) as db:
            for table in tables:
                try:
                    total += db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
                except sqlite3.OperationalError:
                    pass  # no such table in this file
    return total


def _figures(elapsed, results):
    latencies = sorted(ms for _status, ms, _body in results)
    statuses = [status for status, _ms, _body in results]
    return {
        "requests": len(results),
        "req_per_s": round(len(results) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1),
        "ok": sum(1 for s in statuses if 200 <= s < 300),
        "5xx": sum(1 for s in statuses if s >= 500),
        "failed_connections": sum(1 for s in statuses if s == 0),
        "by_words_only": sum(1 for _s, _ms, body in results if _by_words_only(body)),
    }


VOTE_TABLES = ("kb_pagefeedback", "kb_page_feedback")
BENCH_CSRF = "b" * 32


def _article_ids(database_path):
    with sqlite3.connect(database_path, timeout=60) as db:
        return [row[0] for row in db.execute("SELECT page_ptr_id FROM kb_articlepage")]


class Command(BaseCommand):
    help = "Measure search throughput while an editor publishes (figures, not a test)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=2000, help="per endpoint")
        parser.add_argument("--clients", type=int, default=16)
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
        parser.add_argument("--checkout", default=str(settings.BASE_DIR))
        parser.add_argument("--database-url", default="")
        parser.add_argument(
            "--settings-module",
            default="config.settings.production",
            help="The server's settings (config.settings.dev for a checkout without production "
            "settings).",
        )
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--server-log", default="", help="file for gunicorn's output")
        parser.add_argument(
            "--rounds", type=int, default=4, help="each endpoint's requests cut into rounds"
        )

    def handle(self, *args, **options):
        checkout = Path(options["checkout"]).resolve()
        url = options["database_url"] or f"sqlite:///{settings.DATABASES['default']['NAME']}"
        if dj_database_url.parse(url)["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError("Counting log rows needs an SQLite database URL.")
        database_path = Path(dj_database_url.parse(url)["NAME"])
        port = _free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": options["settings_module"],
            "DEBUG": "0",
            "DATABASE_URL": url,
            "PYTHONDONTWRITEBYTECODE": "1",
            "TRUSTED_PROXY_COUNT": "1",  # votes name their customer (rate limits per address)
            # What production refuses to start without, for a server on the loopback.
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1",
            "BASE_URL": f"http://127.0.0.1:{port}",
            "SECURE_SSL_REDIRECT": "0",
            # Publishing does its background work itself, as the earlier runs measured it.
            "TASKS_BACKEND": "immediate",
        }
        python = sys.executable
        if options["settings_module"].endswith("production"):
            subprocess.run(  # noqa: S603 - as `make serve` does before it starts
                [python, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
                cwd=checkout,
                env=env,
                check=True,
            )
        log = open(options["server_log"], "ab") if options["server_log"] else subprocess.DEVNULL  # noqa: SIM115
        server = subprocess.Popen(  # noqa: S603 - our own command line
            [python, "-m", "gunicorn", "config.wsgi:application", "-w", str(options["workers"])]
            + ["-b", f"127.0.0.1:{port}", "--graceful-timeout", "30"],
            cwd=checkout,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT if options["server_log"] else subprocess.DEVNULL,
        )
        stop = Path(tempfile.mkdtemp(prefix="load-bench-")) / "stop"
        articles = _article_ids(database_path)
        try:
            self._wait_for(port, server)
            endpoints = {
                "robots": lambda i: "/robots.txt",
                "api": lambda i: (
                    "/api/search/?"
                    + urlencode({"q": QUERIES["en"][i % 8] + f" {i % 97}", "lang": "all"})
                ),
                "results_he": lambda i: f"/he/search/?q={quote(QUERIES['he'][i % 8])}",
                "home": lambda i: "/en/",
                "vote": lambda i: (
                    "/api/feedback/",
                    {"page": articles[i % len(articles)], "helpful": ("yes", "no")[i % 2]},
                    f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}",
                ),
            }
            rows_before = _log_rows(database_path)
            votes_before = _log_rows(database_path, VOTE_TABLES)
            warm = {  # every worker warmed up; the searches among them count too
                name: self._warm(port, make, 50, options["clients"])
                for name, make in endpoints.items()
            }
            publisher = subprocess.Popen(  # noqa: S603
                [python, "manage.py", "shell", "-c", PUBLISHER],
                cwd=checkout,
                env={**env, "BENCH_STOP": str(stop)},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            time.sleep(3)  # the publisher's Django starting
            figures = {}
            # In rounds, each endpoint a share of its requests per round: a machine whose
            # speed drifts during the run (other tenants, heat) then weighs on every
            # endpoint alike, and the ratios to robots hold.
            rounds = max(1, options["rounds"])
            timings = {name: [0.0, []] for name in endpoints}
            for round_ in range(rounds):
                for name, make in endpoints.items():
                    share = range(round_, options["requests"], rounds)
                    elapsed, results = self._run(port, make, share, options["clients"])
                    timings[name][0] += elapsed
                    timings[name][1] += results
                self.stderr.write(f"round {round_ + 1} of {rounds} done")  # a long run
            for name, (elapsed, results) in timings.items():
                figures[name] = _figures(elapsed, results)
                self.stderr.write(f"{name}: {figures[name]}")
            stop.touch()
            out, err = publisher.communicate(timeout=120)
            try:
                publishes = json.loads(out.decode().strip().splitlines()[-1])
            except (ValueError, IndexError):
                publishes = {"ok": 0, "failed": -1, "error": err.decode()[-300:]}
        finally:
            server.send_signal(signal.SIGTERM)  # graceful: workers write what they hold
            server.wait(timeout=90)
            shutil.rmtree(stop.parent, ignore_errors=True)  # the publisher's stop signal
        searches = sum(figures[n]["ok"] + warm[n] for n in ("api", "results_he"))
        logged = _log_rows(database_path) - rows_before
        votes = figures["vote"]["ok"] + warm["vote"]
        report = {
            "clients": options["clients"],
            "workers": options["workers"],
            "settings": options["settings_module"],
            "checkout": str(checkout),
            "endpoints": figures,
            "publishes": publishes,
            "searches_answered": searches,
            "log_rows_lost": searches - logged,
            "votes_stored": votes,
            "vote_rows_lost": votes - (_log_rows(database_path, VOTE_TABLES) - votes_before),
            "load_average": os.getloadavg(),
        }
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
            return
        self._print(report)

    def _wait_for(self, port, server):
        deadline = time.monotonic() + 120
        while _get(port, "/robots.txt")[0] != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                raise CommandError("gunicorn did not start")
            time.sleep(0.5)

    def _run(self, port, make, numbers, clients):
        """(seconds, results) of one request per number in ``numbers``."""
        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            results = list(pool.map(lambda i: _get(port, make(i)), numbers))
        return time.perf_counter() - started, results

    def _warm(self, port, make, count, clients):
        return sum(1 for r in self._run(port, make, range(count), clients)[1] if 200 <= r[0] < 300)

    def _print(self, report):
        robots = report["endpoints"]["robots"]["req_per_s"]
        self.stdout.write(
            f"{report['clients']} clients, {report['workers']} gunicorn workers, "
            f"{report['settings']}"
        )
        for name, f in report["endpoints"].items():
            self.stdout.write(
                f"{name:11} {f['req_per_s']:8.1f} req/s ({f['req_per_s'] / robots:.0%} of robots)"
                f"  p50 {f['p50_ms']:.1f} ms  p95 {f['p95_ms']:.1f} ms  5xx {f['5xx']}"
                f"  failed connections {f['failed_connections']}"
                + (f"  by words only {f['by_words_only']}" if name == "api" else "")
            )
        p = report["publishes"]
        self.stdout.write(f"publishes: {p['ok']} succeeded, {p['failed']} failed {p['error']}")
        self.stdout.write(
            f"searches answered: {report['searches_answered']}, "
            f"log rows lost: {report['log_rows_lost']}"
        )
        self.stdout.write(
            f"votes stored: {report['votes_stored']}, vote rows lost: {report['vote_rows_lost']}"
        )
        self.stdout.write("load average: " + ", ".join(f"{x:.1f}" for x in report["load_average"]))
