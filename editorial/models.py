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
