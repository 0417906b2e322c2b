import json
import resource
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from tqdm import tqdm

from devtools import benchmark as search_benchmark
from devtools import insights_benchmark as benchmark
from devtools.scratch import throwaway_databases
from search.indexing import rebuild

DATASETS = Path(settings.BASE_DIR).parent / "shared" / "datasets"


class Command(BaseCommand):
    help = (
        "Measure the search reports at N logged searches (default a million) and the cost of "
        "logging a search, in a throwaway database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--logs", type=int, default=1_000_000)
        parser.add_argument("--days", type=int, default=90, help="Days the logged searches span.")
        parser.add_argument("--distinct", type=int, default=30_000, help="Distinct queries.")
        parser.add_argument("--items", type=int, default=1000, help="Help pages to search.")
        parser.add_argument("--queries", type=int, default=200, help="Searches timed for logging.")
        parser.add_argument("--repeat", type=int, default=5, help="Times each report is fetched.")
        parser.add_argument(
            "--datasets",
            nargs="+",
            default=[str(DATASETS / "stackfaq-dev"), str(DATASETS / "heq-dev")],
        )
        parser.add_argument("--json", action="store_true", dest="as_json")

    def handle(
        self, *args, logs, days, distinct, items, queries, repeat, datasets, as_json, **opts
    ):
        # As in production: reports reuse a roll-up for a minute.
        measuring = override_settings(DEBUG=False, SEARCH_INSIGHTS_REFRESH_SECONDS=60)
        sample = search_benchmark.load_sample(datasets)
        with measuring, tempfile.TemporaryDirectory() as tmp, throwaway_databases(tmp):
            row = self.measure(sample, logs, days, distinct, items, queries, repeat, as_json)
        self.stdout.write(json.dumps(row, indent=2, ensure_ascii=False))

    def measure(self, sample, logs, days, distinct, items, n_queries, repeat, quiet):
        with tqdm(total=items, unit="page", disable=quiet, file=self.stderr, desc="pages") as bar:
            search_benchmark.create_items(sample, items, progress=bar.update)
        rebuild()
        started = time.perf_counter()
        with tqdm(total=logs, unit="search", disable=quiet, file=self.stderr, desc="log") as bar:
            benchmark.fill_log(sample.queries, logs, days, distinct, progress=bar.update)
        row = {"logged_searches": logs, "days": days, "distinct_queries": distinct}
        row["fill_s"] = round(time.perf_counter() - started, 1)
        row["rollup"] = benchmark.rollup_timings()
        row["logging"] = benchmark.logging_overhead(sample.queries[:n_queries])
        row["reports_ms"] = benchmark.report_timings(repeat)
        row["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        return row
