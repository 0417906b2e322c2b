"""Several web servers on one PostgreSQL database, each with its own embedded index file: a
page published through one server is found through another within a few seconds, with no
cron and no reindex (search/index_feed.py).

Needs PostgreSQL (`pg_ctlcluster 15 main start`; `.ci/run` installs and starts it). Outside
CI the test is skipped, saying so, when PostgreSQL is not running; under CI=true it fails.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgres:///postgres")
BOUND_SECONDS = 10  # the feed is read every 2 s; the rest is slack for a busy machine

PUBLISH = """
from tests.conftest import Tree
tree = Tree()
tree.article(title="Feeding the zebrafinch", summary="Seeds twice a day.")
"""


def _postgres():
    try:
        import psycopg

        return psycopg.connect(POSTGRES, autocommit=True, connect_timeout=3)
    except Exception as error:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        message = f"PostgreSQL is not reachable at {POSTGRES} ({error})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(f"SKIPPED, {message}: start it with `pg_ctlcluster 15 main start`")


@pytest.fixture
def database():
    admin = _postgres()
    name = f"helpcenter_feed_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _env(database_url, index_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ELASTICSEARCH")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=database_url,
        SEARCH_INDEX_PATH=str(index_path),
    )
    env.pop("INSIGHTS_DATABASE_URL", None)
    return env


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _found(port, word):
    url = f"http://127.0.0.1:{port}/api/search/?q={word}&lang=all"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server
            return json.load(response)["total"] > 0
    except OSError:
        return None  # not serving yet


def test_a_publish_on_one_server_reaches_every_server(database, tmp_path):
    python = sys.executable
    run = {"cwd": ROOT, "check": True, "capture_output": True, "timeout": 600}
    subprocess.run(
        [python, "manage.py", "migrate", "--noinput"],
        env=_env(database, tmp_path / "a.sqlite3"),
        **run,
    )

    port = _free_port()
    server_b = subprocess.Popen(  # noqa: S603
        [python, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=ROOT,
        env=_env(database, tmp_path / "b.sqlite3"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while _found(port, "zebrafinch") is None:
            assert server_b.poll() is None, server_b.stderr.read().decode()
            assert time.monotonic() < deadline, "server B did not start"
            time.sleep(0.5)
        assert _found(port, "zebrafinch") is False

        # Server A's process publishes; only its own index file is written directly.
        subprocess.run(
            [python, "manage.py", "shell", "-c", PUBLISH],
            env=_env(database, tmp_path / "a.sqlite3"),
            **run,
        )
        published = time.monotonic()
        while not _found(port, "zebrafinch"):
            assert time.monotonic() - published < BOUND_SECONDS, "server B never saw the page"
            time.sleep(0.2)
    finally:
        server_b.terminate()
        server_b.wait(timeout=30)
