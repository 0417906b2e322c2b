from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.tasks import run_periodic_job


class Command(BaseCommand):
    help = (
        "Run one of the periodic jobs of settings.PERIODIC_JOBS now, in this process: for cron, "
        "when workers run with --no-schedule."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="The job's name; without it, list them.")

    def handle(self, *args, name=None, **options):
        if name is None:
            for job, spec in settings.PERIODIC_JOBS.items():
                self.stdout.write(f"{job}\tevery {spec['every']} s")
            return
        if name not in settings.PERIODIC_JOBS:
            raise CommandError(f"No periodic job {name!r}; run without a name to list them.")
        run_periodic_job.call(name)
