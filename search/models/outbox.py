"""The durable record of index work for remote engines (Elasticsearch), and their health.

A row is written in the same transaction as the content change, so a publish and its index
work commit or roll back together; the work is applied after commit and retried until it
succeeds. Applied rows are kept for a while: a rebuild replays the ones written while it ran.
"""

from datetime import timedelta

from django.db import models
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..documents import SearchDocument, document_from_dict, document_to_dict

ERROR_CHARS = 2000


class IndexOutboxQuerySet(models.QuerySet):
    def pending(self, engine=None):
        rows = self.filter(applied_at__isnull=True)
        return rows.filter(engine=engine) if engine else rows

    def due(self, engine, now=None):
        return self.pending(engine).filter(next_attempt_at__lte=now or timezone.now())

    def record(self, engine: str, page_id: int, documents: list[SearchDocument]):
        """Record that ``page_id`` must have exactly ``documents`` in the engine's index."""
        return self.create(
            engine=engine, page_id=int(page_id), documents=[document_to_dict(d) for d in documents]
        )

    def last_id(self) -> int:
        return self.aggregate(last=Max("id"))["last"] or 0

    def newest(self, rows) -> dict[int, tuple[int, list[SearchDocument]]]:
        """page id -> (row id, documents) of the newest of ``rows`` for each page."""
        last = dict(rows.values("page_id").annotate(last=Max("id")).values_list("page_id", "last"))
        return {
            row.page_id: (row.id, [document_from_dict(d) for d in row.documents])
            for row in self.filter(id__in=last.values())
        }

    def written_since(self, engine: str, after_id: int) -> dict[int, tuple[int, list]]:
        """The newest documents of every page recorded after row ``after_id``, applied or
        not: what a rebuild must lay over the pages it read."""
        return self.newest(self.filter(engine=engine, id__gt=after_id))

    def settle_through(self, engine: str, last: int) -> None:
        """A rebuild read every page after row ``last`` was recorded: that work is done."""
        now = timezone.now()
        self.pending(engine).filter(id__lte=last).update(applied_at=now, last_error="")
        RemoteEngineStatus.objects.filter(engine=engine).update(
            failures=0, paused_until=None, last_success_at=now
        )

    def requeue_since(self, engine: str, after_id: int) -> None:
        """Apply the work recorded after row ``after_id`` again (a rebuild could not)."""
        self.filter(engine=engine, id__gt=after_id).update(
            applied_at=None, next_attempt_at=timezone.now()
        )


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


class RemoteEngineStatusQuerySet(models.QuerySet):
    def of(self, engine: str) -> "RemoteEngineStatus":
        return self.get_or_create(engine=engine)[0]

    def note_search_fallback(self, engine: str, error: str) -> None:
        """Searches are being answered by the fallback engine."""
        self.of(engine)
        self.filter(engine=engine).update(
            search_failed_at=timezone.now(), search_error=error[:ERROR_CHARS]
        )

    def note_search_recovered(self, engine: str) -> None:
        self.filter(engine=engine).update(search_recovered_at=timezone.now())

    def note_configuration_error(self, engine: str, error: str) -> None:
        """The engine refuses the site's credentials or is not what it should be."""
        self.of(engine)
        self.filter(engine=engine).update(
            configuration_error=error[:ERROR_CHARS], configuration_error_at=timezone.now()
        )

    def note_configuration_fine(self, engine: str) -> None:
        self.filter(engine=engine).exclude(configuration_error="").update(configuration_error="")

    def acquire_rebuild(self, engine: str, owner: str, hold: timedelta) -> bool:
        """Take (or, for its owner, extend) the engine's rebuild lock; False when another
        rebuild holds it."""
        self.of(engine)
        now = timezone.now()
        free = (
            models.Q(rebuild_until__isnull=True)
            | models.Q(rebuild_until__lt=now)
            | models.Q(rebuild_owner=owner)
        )
        taken = self.filter(free, engine=engine).update(
            rebuild_owner=owner, rebuild_until=now + hold
        )
        return taken == 1

    def release_rebuild(self, engine: str, owner: str) -> None:
        self.filter(engine=engine, rebuild_owner=owner).update(rebuild_owner="", rebuild_until=None)

    def note_partial_search(self, engine: str) -> None:
        self.of(engine)
        self.filter(engine=engine).update(
            partial_searches=F("partial_searches") + 1, partial_search_at=timezone.now()
        )


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
    # Refused credentials, an untrusted certificate, a proxy answering instead of the
    # engine: only an operator can mend these, so the engine is left alone until then.
    configuration_error = models.TextField(_("configuration error"), blank=True)
    configuration_error_at = models.DateTimeField(
        _("configuration error seen at"), null=True, blank=True
    )
    # Searches answered without some of the index (failed shards, server-side time-outs).
    partial_searches = models.PositiveIntegerField(_("partial searches"), default=0)
    partial_search_at = models.DateTimeField(_("last partial search"), null=True, blank=True)
    # One rebuild at a time: two would each move the alias.
    rebuild_owner = models.CharField(max_length=64, blank=True)
    rebuild_until = models.DateTimeField(null=True, blank=True)

    objects = RemoteEngineStatusQuerySet.as_manager()

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
