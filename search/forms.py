import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from home import help_types

from .conf import MAX_RESULTS_PAGE
from .query_text import MAX_QUERY_CHARS

SLUG = re.compile(r"[-\w]{1,100}")


class Shared:
    """A field no form changes, so every form made shares it: a form deep-copies each
    field with its widget and messages, 3% of an API search's CPU for these forms."""

    def __deepcopy__(self, memo):
        return self


class Text(Shared, forms.CharField):
    pass


class Number(Shared, forms.IntegerField):
    pass


class OneOf(Shared, forms.CharField):
    """One of ``choices`` (value, label), as a ChoiceField accepts it. A ChoiceField copies
    its choices and their lazily translated labels into every form made, a fifth of what
    the search API spent before searching; these forms never render them."""

    default_error_messages = forms.ChoiceField.default_error_messages

    def __init__(self, choices, **kwargs):
        super().__init__(strip=False, **kwargs)
        self.choices = choices
        self.values = frozenset(str(value) for value, _label in choices)

    def validate(self, value):
        super().validate(value)
        if value and value not in self.values:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )


class SomeOf(Shared, forms.Field):
    """Any of ``choices``, as a MultipleChoiceField accepts them (see ``OneOf``)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = forms.MultipleChoiceField.default_error_messages

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices
        self.values = frozenset(str(value) for value, _label in choices)

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, list | tuple):
            raise forms.ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        return [str(v) for v in value]

    def validate(self, value):
        super().validate(value)
        for v in value:
            if v not in self.values:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": v},
                )


LANGUAGE_CHOICES = [*settings.LANGUAGES, ("all", _("All languages"))]


class SearchForm(forms.Form):
    # Long enough for any real question; longer input is refused rather than cut silently.
    q = Text(required=False, max_length=MAX_QUERY_CHARS, strip=True)
    lang = OneOf(LANGUAGE_CHOICES, required=False)
    type = SomeOf(help_types.CHOICES, required=False)
    category = Text(required=False, max_length=100)
    page = Number(required=False, min_value=1, max_value=MAX_RESULTS_PAGE)
    # "exact": search for the words as typed, without spelling correction.
    spelling = OneOf([("exact", "exact")], required=False)

    def clean_category(self):
        values = [v.strip() for v in self.data.getlist("category") if v.strip()]
        if len(values) > 20 or any(not SLUG.fullmatch(v) for v in values):
            raise forms.ValidationError(_("Unknown category."))
        return values


class SuggestForm(forms.Form):
    q = Text(required=False, max_length=MAX_QUERY_CHARS, strip=True)
    lang = OneOf(LANGUAGE_CHOICES, required=False)
