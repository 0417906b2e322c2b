import time

from django.core.management.base import BaseCommand, CommandError
from elasticsearch import ApiError, TransportError
from tqdm import tqdm

from search.documents import indexable_pages
from search.engines import get_engine
from search.engines.base import RebuildFailed
from search.engines.resilient import RebuildIncomplete
from search.indexing import rebuild
from search.management.commands.search_embed import embed
from search.semantic.embedders import get_embedder
from search.semantic.store import store_for


class Command(BaseCommand):
    help = (
        "Rebuild the public search index from every live, public help page. An Elasticsearch "
        "index is filled anew behind its alias and swapped in when complete."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--engine", help="Engine name from SEARCH_ENGINES (default: the active one)."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not draw a progress bar."
        )
        parser.add_argument(
            "--no-embed",
            action="store_true",
            help="Leave the embedding pass to `search_embed` (or the background worker).",
        )

    def handle(self, *args, engine=None, no_progress=False, no_embed=False, **options):
        engine = get_engine(engine)
        refused = {}
        with tqdm(
            total=indexable_pages().count(), unit="page", disable=no_progress, file=self.stderr
        ) as bar:
            try:
                count = rebuild(engine, progress=bar.update, refused=refused.__setitem__)
            except RebuildIncomplete as err:
                raise CommandError(f"{err}. Searches keep working; run this again later.") from err
            except (RebuildFailed, ApiError, TransportError) as err:
                raise CommandError(f"The {engine.name!r} index was not rebuilt: {err}") from err
        for key, reason in refused.items():
            self.stderr.write(self.style.WARNING(f"Not indexed: document {key}: {reason}"))
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {count} search documents with the {engine.name!r} engine.")
        )
        if refused:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(refused)} documents were refused by the index and left out; "
                    "the rest is searchable. Fix them and run this again."
                )
            )
        embedder = get_embedder()
        store = store_for(engine) if embedder and not no_embed else None
        if store is not None:
            # Reported on its own: the model is far slower than the words index.
            done, started = embed(store, embedder, no_progress, self.stderr)
            store.prune()
            took = time.perf_counter() - started
            self.stdout.write(
                f"Embedded {done} new passages in {took:.1f} s "
                f"({done / took if took else 0:.2f} passages/s); run again to resume if stopped."
            )
