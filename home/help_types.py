"""The help types, listed once: their codes (in the index and the search filters), their
labels (badges, filters, the page scripts) and their page models (the tree rules, the home
page's popular help, the demo). The page classes say which type they are by ``help_type``."""

from dataclasses import dataclass

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class HelpType:
    code: str
    label: Promise
    model: str  # "app_label.ModelName", so this base app imports no page app


HELP_TYPES = (
    HelpType("article", _("Article"), "kb.ArticlePage"),
    HelpType("faq", _("FAQ"), "kb.FaqPage"),
    HelpType("guide", _("Guide"), "guides.GuidePage"),
    HelpType("video", _("Video"), "guides.VideoPage"),
)
CHOICES = [(t.code, t.label) for t in HELP_TYPES]
LABELS = dict(CHOICES)
PAGE_MODELS = [t.model for t in HELP_TYPES]


def page_models():
    """{code: page model class}; the apps must be loaded."""
    return {t.code: apps.get_model(t.model) for t in HELP_TYPES}
