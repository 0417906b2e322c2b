from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max
from django.utils import timezone

from search.models import (
    PageSearchStat,
    SearchClick,
    SearchDailyStat,
    SearchQueryLog,
    SearchTerm,
)
from search.reports import rollup

BATCH = 10_000


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
        old_logs = SearchQueryLog.objects.filter(created_at__lt=cutoff)
        old_stats = SearchDailyStat.objects.filter(date__lt=timezone.localdate(cutoff))
        if dry_run:
            logs, stats = old_logs.count(), old_stats.count()
            self.stdout.write(f"Would delete {logs} logged searches and {stats} daily figures.")
            return
        logs = self._purge_logs(cutoff)
        stats, _ = old_stats.delete()
        PageSearchStat.objects.filter(date__lt=timezone.localdate(cutoff)).delete()
        # Terms that no longer have figures or a manager's verdict hold nothing worth keeping.
        terms, _ = SearchTerm.objects.filter(daily__isnull=True, status=SearchTerm.OPEN).delete()
        rollup.refresh(force=True)
        self.stdout.write(
            f"Deleted {logs} logged searches older than {days} days, "
            f"{stats} daily figures and {terms} terms."
        )

    def _purge_logs(self, cutoff):
        """In batches by id, so a big backlog never holds the database for long."""
        deleted = 0
        while True:
            batch = SearchQueryLog.objects.filter(created_at__lt=cutoff).order_by("pk")[:BATCH]
            upper = batch.aggregate(top=Max("pk"))["top"]
            if upper is None:
                return deleted
            SearchClick.objects.filter(log_id__lte=upper, log__created_at__lt=cutoff).delete()
            _, per_model = SearchQueryLog.objects.filter(
                pk__lte=upper, created_at__lt=cutoff
            ).delete()
            deleted += per_model.get(SearchQueryLog._meta.label, 0)
