"""A large site's rebuild reads its pages in worker processes (search/rebuild_workers.py):
the index must come out exactly as one process builds it, and a page that cannot be read
must fail the rebuild, leaving the index as it was."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import override_settings

from search import rebuild_workers

ROOT = Path(__file__).resolve().parents[2]


def make_pages(tree):
    for n in range(12):
        tree.article(title=f"Router light {n} blinks", summary=f"Restart the router ({n}).")
        tree.article(title=f"חשבונית מספר {n}", summary="איפה מוצאים חשבונית", lang="he")
    tree.faq([("How do I pay?", "By card or direct debit."), ("Refunds?", "Within 14 days.")])
    tree.faq([("איך משלמים?", "בכרטיס אשראי.")], title="תשלומים", lang="he")
    tree.guide([("Open the app", "Tap Billing."), ("Add the debit", "Enter your bank.")])
    tree.video()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_workers_build_the_same_index_and_a_failed_page_leaves_it_as_it_was(tree, tmp_path):
    make_pages(tree)
    # The test's pages in a file, as a site keeps them (migrating a file takes a minute).
    path = tmp_path / "site.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    copy.close()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{path}",
        "READ_LOG": str(tmp_path / "readers.log"),
    }
    run = subprocess.run(
        [sys.executable, "-m", "tests.search.rebuild_in_workers"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])

    assert out["alone"]["readers"] == [["this process"], 1]
    assert out["workers"]["readers"] == [["another"], 2]  # two workers, neither the writer
    assert out["workers"]["count"] == out["alone"]["count"] >= 28  # 28 pages
    assert out["workers"]["digest"] == out["alone"]["digest"]
    assert out["found"] == ["Router light 7 blinks", "חשבונית מספר 5"]
    assert out["failed"] == "RuntimeError: the page could not be read"
    assert out["after_failure"] == out["before_failure"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_workers_where_they_could_not_read_the_pages():
    several = override_settings(SEARCH_REBUILD_WORKERS=2, SEARCH_REBUILD_WORKERS_FROM=1)
    with several:
        # The test database is in memory: a worker process could not open it.
        assert rebuild_workers.worker_count(100) == 0
        with transaction.atomic():
            assert rebuild_workers.worker_count(100) == 0
    with override_settings(SEARCH_REBUILD_WORKERS=0):
        assert rebuild_workers.worker_count(100_000) == 0
