from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TranslationKeyName(models.Model):
    """The name a Markdown file gave a page's ``translation_key`` ("payments-faq"), kept so
    an export writes the name back rather than the UUID made from it."""

    translation_key = models.UUIDField(unique=True)
    name = models.CharField(max_length=255)

    class Meta:
        verbose_name = _("translation key name")

    def __str__(self):
        return self.name


class MarkdownImportJob(models.Model):
    """One Markdown import started in the admin and run by the background worker.

    The uploaded files wait in a private folder named by ``folder`` (see
    markdown_io/jobs.py); a dry run keeps them so that the same files can be imported for
    real without choosing them again, a real import removes them when it ends.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    options = models.JSONField(default=dict)
    language = models.CharField(max_length=10, blank=True)  # the report's language
    folder = models.CharField(max_length=64, blank=True)  # "" once the files are gone
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("Markdown import")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_status_display()}"

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def counts(self):
        files = (self.report or {}).get("files", [])
        return {
            status: sum(1 for f in files if f["status"] == status)
            for status in ("created", "updated", "unchanged", "error")
        }


class ImportedDeadLink(models.Model):
    """A link in an imported file that led nowhere on this site: the import kept its text
    without the link. The page editor lists these until the page is next published."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    href = models.CharField(max_length=2000)

    class Meta:
        verbose_name = _("imported link that leads nowhere")

    def __str__(self):
        return self.href
