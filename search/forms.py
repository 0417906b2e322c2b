import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from home import help_types

from .conf import MAX_RESULTS_PAGE
from .query_text import MAX_QUERY_CHARS

SLUG = re.compile(r"[-\w]{1,100}")


class SearchForm(forms.Form):
    # Long enough for any real question; longer input is refused rather than cut silently.
    q = forms.CharField(required=False, max_length=MAX_QUERY_CHARS, strip=True)
    lang = forms.ChoiceField(
        required=False, choices=[*settings.LANGUAGES, ("all", _("All languages"))]
    )
    type = forms.MultipleChoiceField(required=False, choices=help_types.CHOICES)
    category = forms.CharField(required=False, max_length=100)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_RESULTS_PAGE)
    # "exact": search for the words as typed, without spelling correction.
    spelling = forms.ChoiceField(required=False, choices=[("exact", "exact")])

    def clean_category(self):
        values = [v.strip() for v in self.data.getlist("category") if v.strip()]
        if len(values) > 20 or any(not SLUG.fullmatch(v) for v in values):
            raise forms.ValidationError(_("Unknown category."))
        return values


class SuggestForm(forms.Form):
    q = forms.CharField(required=False, max_length=MAX_QUERY_CHARS, strip=True)
    lang = forms.ChoiceField(
        required=False, choices=[*settings.LANGUAGES, ("all", _("All languages"))]
    )
