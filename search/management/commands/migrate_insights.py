"""Create or update the insights tables where they live (``settings.INSIGHTS_DATABASE``),
then copy over, once, the insights an upgraded site still has in its content database
(search/insights_move.py).

With the insights in the content's database `migrate` already made their tables.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from search import insights_move


class Command(BaseCommand):
    help = (
        "Apply migrations to the insights database (query log, clicks, daily figures, "
        "feedback, page views) and move old insights there from the content database."
    )

    def handle(self, *args, **options):
        if settings.INSIGHTS_DATABASE == "default":
            self.stdout.write("The insights share the content's database: no migrations.")
        else:
            call_command(
                "migrate",
                database=settings.INSIGHTS_DATABASE,
                interactive=False,
                verbosity=options["verbosity"],
                stdout=self.stdout,
            )
        # The migration above moved them if it had anything to do; otherwise now.
        message = insights_move.report(insights_move.move_old_insights())
        if message:
            self.stdout.write(message)
