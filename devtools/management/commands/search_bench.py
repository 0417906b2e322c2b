import json
import os
import resource
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from tqdm import tqdm

from devtools import benchmark
from devtools.scratch import throwaway_databases, throwaway_indexes
from search.engines import get_engine
from search.indexing import rebuild

DATASETS = Path(settings.BASE_DIR).parent / "shared" / "datasets"


class Command(BaseCommand):
    help = "Measure search and suggestion latency, index build time and memory at N help items."

    def add_arguments(self, parser):
        parser.add_argument("--items", type=int, nargs="+", default=[1000, 10000])
        parser.add_argument("--queries", type=int, default=300, help="Queries timed per size.")
        parser.add_argument(
            "--wagtail-queries",
            type=int,
            default=30,
            help="Queries timed on Wagtail's built-in search (slow at scale); 0 to skip.",
        )
        parser.add_argument(
            "--datasets",
            nargs="+",
            default=[str(DATASETS / "stackfaq-dev"), str(DATASETS / "heq-dev")],
        )
        parser.add_argument("--json", action="store_true", dest="as_json")
        parser.add_argument(
            "--hybrid",
            action="store_true",
            help="Time the hybrid ranking: passages get stand-in vectors (embedding thousands "
            "of items takes hours; the ranking's cost does not depend on the values), queries "
            "are embedded by the real model, as on the site.",
        )
        parser.add_argument(
            "--engine", default=None,
            help="An engine from SEARCH_ENGINES (default: the active one); Elasticsearch runs on a "
            "throwaway index.",
        )  # fmt: skip

    def handle(
        self,
        *args,
        items,
        queries,
        wagtail_queries,
        datasets,
        as_json,
        engine=None,
        hybrid=False,
        **options,
    ):
        measuring = override_settings(
            DEBUG=False,
            SEARCH_EMBED_AFTER_PUBLISH=False,
            SEARCH_KEEP_OUTCOMES=False,  # every query searched, not recalled
            SEARCH_SHARE_QUERY_VECTORS=False,  # every new query embedded, nothing written
            **({} if hybrid else {"SEARCH_EMBEDDING_MODEL": "off"}),
        )
        self.hybrid, self.engine_name = hybrid, engine
        sample = benchmark.load_sample(datasets)
        with measuring, throwaway_indexes(f"bench-{os.getpid()}", RAISE_ERRORS=True):
            rows = self.measure_sizes(sample, items, queries, wagtail_queries, as_json)
        if as_json:
            self.stdout.write(json.dumps(rows, indent=2))
        else:
            for row in rows:
                self.stdout.write(json.dumps(row))

    def measure_sizes(self, sample, items, queries, wagtail_queries, as_json):
        rows = []
        for count in items:
            # A file database, as on a real site, and a fresh one per size.
            with tempfile.TemporaryDirectory() as tmp, throwaway_databases(tmp):
                rows.append(self.measure(sample, count, queries, wagtail_queries, quiet=as_json))
        return rows

    def measure(self, sample, count, n_queries, n_wagtail, quiet):
        with tqdm(
            total=count, unit="item", disable=quiet, file=self.stderr, desc="create pages"
        ) as bar:
            benchmark.create_items(sample, count, progress=bar.update)
        engine = get_engine(self.engine_name)
        if engine.remote and engine.options.get("VOCABULARY"):
            rebuild(get_engine(engine.options["VOCABULARY"]))  # its spelling words; untimed
        started = time.perf_counter()
        documents = rebuild(engine, passages=False)
        build_s = time.perf_counter() - started
        passages = benchmark.standin_vectors(engine) if self.hybrid else None
        queries = sample.queries[:n_queries]
        benchmark.timed(
            benchmark.search_calls(queries[:20], engine)
        )  # warm caches (vocabulary, statements)
        prepare = getattr(engine, "prepare_suggestions", None)
        if prepare:  # the titles a serving process holds once it has begun suggesting
            prepare()
        row = {
            "engine": engine.name,
            "items": count,
            "documents": documents,
            "index_build_s": round(build_s, 2),
            **(passages or {}),
            "queries": len(queries),
            "search_ms": benchmark.timed(benchmark.search_calls(queries, engine)),
            "suggest_ms": benchmark.timed(benchmark.suggest_calls(queries, engine)),
            "bare_fts5_ms": benchmark.bare_fts_floor(queries),
        }
        if self.hybrid:  # the same queries by words alone, in the same run
            words_only = benchmark.search_calls(queries, engine, semantic=False)
            row["lexical_search_ms"] = benchmark.timed(words_only)
        if not quiet:  # the product's figures before the slow comparison below
            self.stderr.write(json.dumps(row))
        if n_wagtail:
            call_command("update_index", verbosity=0)  # Wagtail's own index, for the comparison
            subset = queries[:n_wagtail]
            row["wagtail_queries"] = len(subset)
            row["wagtail_and_ms"] = benchmark.timed(benchmark.wagtail_calls(subset, "and"))
            row["wagtail_or_ms"] = benchmark.timed(benchmark.wagtail_calls(subset, "or"))
        row["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        return {
            k: ({m: round(x, 2) for m, x in v.items()} if isinstance(v, dict) else v)
            for k, v in row.items()
        }
