import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search.engines import get_engine
from search.semantic.embedders import get_embedder
from search.semantic.store import store_for


class Command(BaseCommand):
    help = (
        "Compute the vectors meaning-based search needs for passages that have none yet. "
        "Resumable: stop it at any time and run it again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--engine", help="Engine name from SEARCH_ENGINES.")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, engine=None, no_progress=False, **options):
        embedder = get_embedder()
        store = store_for(get_engine(engine))
        if embedder is None or store is None:
            raise CommandError(
                "Meaning-based search is off (SEARCH_EMBEDDING_MODEL) or has no store."
            )
        count, started = embed(store, embedder, no_progress, self.stderr)
        store.prune()
        took = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Embedded {count} passages with {embedder.name} in {took:.1f} s "
                f"({count / took if took else 0:.2f} passages/s)."
            )
        )


def embed(store, embedder, quiet, out):
    started = time.perf_counter()
    with tqdm(total=store.missing(embedder.name), unit="passage", disable=quiet, file=out) as bar:
        count = store.embed_missing(embedder, progress=bar.update)
    return count, started
