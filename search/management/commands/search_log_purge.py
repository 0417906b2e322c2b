from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from search import retention
from search.models import SearchDailyStat, SearchQueryLog


class Command(BaseCommand):
    help = (
        "Delete logged searches, their clicks and daily figures older than the retention period "
        "(SEARCH_LOG_RETENTION_DAYS), then bring the reports' daily figures up to date. "
        "Run it daily, e.g. from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="Keep this many days instead of the setting.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.SEARCH_LOG_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("Keep at least one day (--days 1 or more).")
        cutoff = timezone.now() - timedelta(days=days)
        if dry_run:
            logs = SearchQueryLog.objects.filter(created_at__lt=cutoff).count()
            stats = SearchDailyStat.objects.filter(date__lt=timezone.localdate(cutoff)).count()
            self.stdout.write(f"Would delete {logs} logged searches and {stats} daily figures.")
            return
        logs, stats, terms = retention.purge_query_log(days)
        self.stdout.write(
            f"Deleted {logs} logged searches older than {days} days, "
            f"{stats} daily figures and {terms} terms."
        )
