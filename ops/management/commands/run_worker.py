import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from ops.schedule import Scheduler


class Command(DatabaseWorkerCommand):
    help = (
        "Run the background worker: queued tasks (e-mail, search index work, imports) and "
        "the periodic jobs of settings.PERIODIC_JOBS. Start as many as needed."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Only run queued tasks: the periodic jobs are run from cron instead.",
        )

    def handle(self, *args, no_schedule=False, **options):
        # With autoreload the command runs again in a child process: schedule only there.
        if not options["reload"] or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            Scheduler(options["worker_id"], schedule=not no_schedule).start()
        super().handle(*args, **options)
