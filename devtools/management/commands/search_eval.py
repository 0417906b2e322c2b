import json
import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.test.utils import override_settings
from elasticsearch import ApiError, TransportError
from tqdm import tqdm
from wagtail.models import Locale

from devtools import evaluation
from devtools.evaluation import K, article_model, create_pages, load_dataset, metrics
from devtools.scratch import throwaway_databases, throwaway_indexes
from search import service
from search.engines import get_engine
from search.indexing import rebuild


def page_id_of(key):
    return int(str(key).split("#", 1)[0])


def indexed_by_publishing(engine):
    """Whether publishing the pages wrote this engine's whole index: the active engine,
    kept in a database of the site's (a remote index is fed only after commit)."""
    return engine is get_engine() and engine.database is not None


class Command(BaseCommand):
    help = "Measure search relevance on a dataset (corpus.jsonl, queries.jsonl, qrels.tsv)."

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument(
            "--engine",
            default=None,
            help="An engine from SEARCH_ENGINES (e.g. 'elasticsearch', on a throwaway index), "
            "or 'wagtail' for Wagtail's built-in database search.",
        )
        parser.add_argument(
            "--wagtail-operator",
            choices=["and", "or"],
            default="and",
            help="Operator for --engine wagtail (its default is 'and').",
        )
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="Print only the metrics as JSON."
        )
        parser.add_argument(
            "--mode",
            choices=["hybrid", "lexical", "dense"],
            default="hybrid",
            help="Rank by words and meaning (the site's default when a model is configured), "
            "by words only, or by meaning only.",
        )
        parser.add_argument(
            "--tune",
            action="store_true",
            help="Also report nDCG@10 for other fusion weights and the answer-first "
            "precision and coverage for a grid of confidence thresholds.",
        )
        parser.add_argument(
            "--vectors",
            help="A file of saved passage vectors: read before embedding, written after, so "
            "repeated runs embed only new texts.",
        )

    def handle(
        self,
        *args,
        directory,
        engine=None,
        wagtail_operator="and",
        as_json=False,
        mode="hybrid",
        vectors=None,
        tune=False,
        **options,
    ):
        try:
            dataset = load_dataset(directory)
        except (OSError, ValueError, KeyError) as err:
            raise CommandError(f"Cannot read the dataset in {directory}: {err}") from err
        measuring = override_settings(
            DEBUG=False,  # no query log growing with every page
            # A remote engine's index is built once the pages exist, not page by page.
            SEARCH_OUTBOX_DRAIN_ON_COMMIT=False,
            SEARCH_EMBED_AFTER_PUBLISH=False,  # embedded below, with a progress bar
            SEARCH_KEEP_OUTCOMES=False,  # a weight sweep asks the same queries again
            SEARCH_SHARE_QUERY_VECTORS=False,  # nothing written to any database of the site
            **({"SEARCH_EMBEDDING_MODEL": "off"} if mode == "lexical" else {}),
        )
        self.mode, self.vectors_file, self.tune = mode, vectors, tune
        # A throwaway database (and Elasticsearch indexes): the site's own data is never touched.
        try:
            with (
                measuring,
                throwaway_databases(),
                throwaway_indexes(f"eval-{os.getpid()}", RAISE_ERRORS=True),
            ):
                result = self.evaluate(dataset, engine, wagtail_operator, quiet=as_json)
        except (ApiError, TransportError) as err:
            raise CommandError(f"Elasticsearch could not be used: {err}") from err
        if as_json:
            self.stdout.write(json.dumps(result))
        else:
            for key, value in result.items():
                self.stdout.write(f"{key:>14}: {value}")

    def evaluate(self, dataset, engine_name, operator, quiet):
        with tqdm(total=len(dataset.documents), unit="doc", disable=quiet, file=self.stderr) as bar:
            page_to_doc = create_pages(dataset, progress=bar.update)
        if engine_name != "wagtail" and not indexed_by_publishing(get_engine(engine_name)):
            rebuild(get_engine(engine_name))
        embedding = None
        if engine_name != "wagtail":
            embedding = evaluation.embed_passages(
                get_engine(engine_name), self.vectors_file, quiet, self.stderr
            )
        weights = {"dense": (0.0, -1.0)}.get(self.mode)
        answered, answered_right, outcomes = 0, 0, []
        rankings, errors, started = {}, 0, time.perf_counter()
        for query in dataset.queries:
            if engine_name == "wagtail":
                locale = Locale.objects.get(language_code=query.get("language") or "en")
                pages = article_model().objects.live().filter(locale=locale)
                try:
                    keys = [p.pk for p in pages.search(query["text"], operator=operator)[:K]]
                except DatabaseError:
                    keys, errors = [], errors + 1
            else:
                with evaluation.fusion_weights(weights):
                    outcome = service.search(
                        query["text"],
                        locale=query.get("language"),
                        per_page=K,
                        engine=get_engine(engine_name),
                    )
                keys = [page_id_of(h.document.key) for h in outcome.results.hits]
                outcomes.append((query, outcome))
                if outcome.answer:
                    answered += 1
                    doc = page_to_doc.get(page_id_of(outcome.answer.key))
                    answered_right += doc in dataset.relevant[query["id"]]
            rankings[query["id"]] = [page_to_doc[k] for k in keys if k in page_to_doc]
        result = metrics(rankings, dataset.relevant)
        result["engine"] = engine_name or settings.SEARCH_ENGINE
        result["ms_per_query"] = round(
            (time.perf_counter() - started) * 1000 / max(1, len(rankings)), 2
        )
        if errors:
            result["errors"] = errors
        if embedding:
            result["mode"] = self.mode
            result.update(embedding)
            result["answer_coverage"] = round(answered / max(1, len(rankings)), 4)
            result["answer_precision"] = round(answered_right / answered, 4) if answered else None
        if embedding and self.tune:
            result["tuning"] = evaluation.tune(
                dataset, outcomes, page_to_doc, get_engine(engine_name), page_id_of
            )
        return result
