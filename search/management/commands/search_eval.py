import json
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.test.utils import setup_databases, teardown_databases
from tqdm import tqdm
from wagtail.models import Locale

from kb.models import ArticlePage
from search import service
from search.engines import get_engine
from search.evaluation import K, create_pages, load_dataset, metrics


def page_id_of(key):
    return int(str(key).split("#", 1)[0])


class Command(BaseCommand):
    help = "Measure search relevance on a dataset (corpus.jsonl, queries.jsonl, qrels.tsv)."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument(
            "--engine",
            default=None,
            help="An engine from SEARCH_ENGINES, or 'wagtail' for Wagtail's built-in database search.",
        )
        parser.add_argument(
            "--wagtail-operator", choices=["and", "or"], default="and",
            help="Operator for --engine wagtail (its default is 'and').",
        )
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print only the metrics as JSON.")

    def handle(self, *args, directory, engine=None, wagtail_operator="and", as_json=False, **options):
        try:
            dataset = load_dataset(directory)
        except (OSError, ValueError, KeyError) as err:
            raise CommandError(f"Cannot read the dataset in {directory}: {err}") from err
        settings.DEBUG = False  # no query log growing with every page
        # A throwaway database: the site's own data is never touched.
        old_config = setup_databases(verbosity=0, interactive=False)
        try:
            result = self.evaluate(dataset, engine, wagtail_operator, quiet=as_json)
        finally:
            teardown_databases(old_config, verbosity=0)
        if as_json:
            self.stdout.write(json.dumps(result))
        else:
            for key, value in result.items():
                self.stdout.write(f"{key:>14}: {value}")

    def evaluate(self, dataset, engine_name, operator, quiet):
        with tqdm(total=len(dataset.documents), unit="doc", disable=quiet, file=self.stderr) as bar:
            page_to_doc = create_pages(dataset, progress=bar.update)
        rankings, errors, started = {}, 0, time.perf_counter()
        for query in dataset.queries:
            if engine_name == "wagtail":
                locale = Locale.objects.get(language_code=query.get("language") or "en")
                pages = ArticlePage.objects.live().filter(locale=locale)
                try:
                    keys = [p.pk for p in pages.search(query["text"], operator=operator)[:K]]
                except DatabaseError:
                    keys, errors = [], errors + 1
            else:
                outcome = service.search(
                    query["text"], locale=query.get("language"), per_page=K, engine=get_engine(engine_name)
                )
                keys = [page_id_of(h.document.key) for h in outcome.results.hits]
            rankings[query["id"]] = [page_to_doc[k] for k in keys if k in page_to_doc]
        result = metrics(rankings, dataset.relevant)
        result["engine"] = engine_name or settings.SEARCH_ENGINE
        result["ms_per_query"] = round((time.perf_counter() - started) * 1000 / max(1, len(rankings)), 2)
        if errors:
            result["errors"] = errors
        return result
