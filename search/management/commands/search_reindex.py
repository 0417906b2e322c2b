from django.core.management.base import BaseCommand
from tqdm import tqdm

from search.documents import indexable_pages
from search.engines import get_engine
from search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the public search index from every live, public help page."

    def add_arguments(self, parser):
        parser.add_argument("--engine", help="Engine name from SEARCH_ENGINES (default: the active one).")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar.")

    def handle(self, *args, engine=None, no_progress=False, **options):
        engine = get_engine(engine)
        with tqdm(total=indexable_pages().count(), unit="page", disable=no_progress, file=self.stderr) as bar:
            count = rebuild(engine, progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} search documents with the {engine.name!r} engine."))
