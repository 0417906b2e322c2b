"""Create or update the insights tables where they live (``settings.INSIGHTS_DATABASE``).

With the insights in the content's database `migrate` already did it and this does nothing.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Apply migrations to the insights database (query log, clicks, daily figures)."

    def handle(self, *args, **options):
        if settings.INSIGHTS_DATABASE == "default":
            self.stdout.write("The insights share the content's database: nothing to do.")
            return
        call_command(
            "migrate",
            database=settings.INSIGHTS_DATABASE,
            interactive=False,
            verbosity=options["verbosity"],
        )
