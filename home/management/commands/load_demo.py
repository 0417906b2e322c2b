from django.core.management.base import BaseCommand

from home.demo import DemoLoader


class Command(BaseCommand):
    help = "Load the English and Hebrew demo help center (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--update", action="store_true", help="Overwrite demo pages that already exist.")

    def handle(self, *args, update=False, **options):
        created = DemoLoader(log=self.stdout.write, update=update).load()
        self.stdout.write(self.style.SUCCESS(f"Demo content ready ({created} new pages)."))
