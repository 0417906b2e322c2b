"""search_eval measures relevance on a dataset through the site's own search service."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def write_dataset(folder):
    docs = [
        ("d1", "How do I reset my password?", "Use the Forgot password link on the sign-in page."),
        ("d2", "Track a parcel", "Open Orders and choose Track to see where your delivery is."),
        ("d3", "איך מבטלים עסקה", "אפשר לבטל עסקה בכרטיס האשראי דרך האפליקציה."),
    ]
    lang = {"d1": "en", "d2": "en", "d3": "he"}
    with open(folder / "corpus.jsonl", "w", encoding="utf-8") as fh:
        for i, t, b in docs:
            fh.write(
                json.dumps(
                    {"id": i, "title": t, "body": b, "language": lang[i]}, ensure_ascii=False
                )
                + "\n"
            )
    queries = [
        ("q1", "forgot my password", "en", "d1"),
        ("q2", "where is my delivery", "en", "d2"),
        ("q3", "ביטול העסקה", "he", "d3"),
    ]
    with open(folder / "queries.jsonl", "w", encoding="utf-8") as fh:
        for i, t, lg, _ in queries:
            fh.write(json.dumps({"id": i, "text": t, "language": lg}, ensure_ascii=False) + "\n")
    with open(folder / "qrels.tsv", "w", encoding="utf-8") as fh:
        fh.write("query_id\tdoc_id\trelevance\n")
        fh.writelines(f"{q}\t{d}\t1\n" for q, _, _, d in queries)


def run_eval(folder, *extra):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    out = subprocess.run(
        [sys.executable, "manage.py", "search_eval", str(folder), "--json", *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_search_eval_reports_the_metrics_as_json(tmp_path):
    write_dataset(tmp_path)
    result = run_eval(tmp_path)
    assert {"queries", "mrr_at_10", "ndcg_at_10", "p_at_1", "recall_at_10"} <= set(result)
    assert result["queries"] == 3
    assert result["p_at_1"] == 1.0


def test_search_eval_runs_wagtails_own_search_on_the_same_pages(tmp_path):
    write_dataset(tmp_path)
    result = run_eval(tmp_path, "--engine", "wagtail")
    assert result["engine"] == "wagtail" and result["queries"] == 3
    # Its AND operator finds nothing for questions worded differently from the page.
    assert result["recall_at_10"] < 1.0
