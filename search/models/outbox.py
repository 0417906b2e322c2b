"""The durable record of index work for remote engines (Elasticsearch), and their health.

A row is written in the same transaction as the content change, so a publish and its index
work commit or roll back together; the work is applied after commit and retried until it
succeeds. Applied rows are kept for a while: a rebuild replays the ones written while it ran.
"""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IndexOutboxQuerySet(models.QuerySet):
    def pending(self, engine=None):
        rows = self.filter(applied_at__isnull=True)
        return rows.filter(engine=engine) if engine else rows

    def due(self, engine, now=None):
        return self.pending(engine).filter(next_attempt_at__lte=now or timezone.now())


class IndexOutboxEntry(models.Model):
    """One page's documents as they must appear in a remote engine's index."""

    engine = models.CharField(_("engine"), max_length=64)
    page_id = models.BigIntegerField(_("page id"))
    # The page's complete set of search documents; empty when it must leave the index.
    documents = models.JSONField(_("documents"), default=list)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = IndexOutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("pending search index update")
        verbose_name_plural = _("pending search index updates")
        indexes = [
            models.Index(
                fields=["engine", "applied_at", "next_attempt_at"], name="search_outbox_due"
            ),
            models.Index(fields=["engine", "page_id"], name="search_outbox_page"),
        ]

    def __str__(self):
        return f"{self.engine} page {self.page_id} ({len(self.documents)} documents)"


class RemoteEngineStatus(models.Model):
    """Health of one remote engine as its writers and readers last saw it (one row each)."""

    engine = models.CharField(_("engine"), max_length=64, unique=True)
    # Only one process applies index work at a time, so older work never lands after newer.
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    # After a failed write, new work waits here instead of each publish waiting on a timeout.
    paused_until = models.DateTimeField(_("writes paused until"), null=True, blank=True)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    last_error = models.TextField(_("last write error"), blank=True)
    last_failure_at = models.DateTimeField(_("last write failure"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last successful write"), null=True, blank=True)
    search_failed_at = models.DateTimeField(
        _("last search answered by the fallback"), null=True, blank=True
    )
    search_error = models.TextField(_("last search error"), blank=True)
    search_recovered_at = models.DateTimeField(
        _("searches back on the engine"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("remote search engine status")
        verbose_name_plural = _("remote search engine statuses")

    def __str__(self):
        return self.engine

    def searches_degraded(self, now=None, window=timedelta(minutes=15)):
        """Whether searches were recently answered by the fallback and have not recovered."""
        failed = self.search_failed_at
        if failed is None or failed < (now or timezone.now()) - window:
            return False
        return self.search_recovered_at is None or self.search_recovered_at < failed

    def writes_failing(self):
        return self.failures > 0
