"""Staff-managed search tuning: synonyms and promoted results ("best bets")."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from home.forms import LocalisedSnippetForm

from ..query_text import query_key


def split_terms(text):
    return [t.strip() for t in text.replace("\n", ",").split(",") if t.strip()]


class SynonymGroup(models.Model):
    """Words or phrases that customers use for the same thing, e.g. "router, modem, hub"."""

    locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.CASCADE, verbose_name=_("language")
    )
    terms = models.TextField(
        _("terms"),
        max_length=1000,
        help_text=_("Two or more words or phrases that mean the same, separated by commas."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("locale"), FieldPanel("terms")]
    base_form_class = LocalisedSnippetForm

    class Meta:
        verbose_name = _("synonym group")
        ordering = ["locale", "terms"]

    def __str__(self):
        return self.terms[:80]

    def term_list(self):
        return split_terms(self.terms)

    def clean(self):
        if len(self.term_list()) < 2:
            raise ValidationError({"terms": _("Give at least two terms, separated by commas.")})


class PromotedResult(models.Model):
    """A page shown first for a query, optionally only within a date window."""

    locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.CASCADE, verbose_name=_("language")
    )
    query = models.CharField(_("search query"), max_length=200)
    # The query in analysed form, so "Router lights?" and "router light" match one promotion.
    query_key = models.CharField(max_length=400, editable=False, db_index=True)
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    starts_at = models.DateTimeField(_("show from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("show until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("locale"),
        FieldPanel("query"),
        FieldPanel("page"),
        FieldPanel("sort_order"),
        MultiFieldPanel(
            [FieldPanel("starts_at"), FieldPanel("ends_at")], heading=_("Date window (optional)")
        ),
    ]
    base_form_class = LocalisedSnippetForm

    class Meta:
        verbose_name = _("promoted result")
        ordering = ["locale", "query_key", "sort_order"]

    def __str__(self):
        return f"{self.query} → {self.page}"

    def save(self, *args, **kwargs):
        self.query_key = query_key(self.query)
        super().save(*args, **kwargs)

    def clean(self):
        if not query_key(self.query):
            raise ValidationError({"query": _("The query needs at least one word.")})
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must come after the start.")})
