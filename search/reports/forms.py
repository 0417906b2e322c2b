"""The forms of the one-step fixes offered for a failed search."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Page

from home.forms import language_direction

from ..documents import help_page_models, is_help_page_class
from ..models import SearchTerm, SynonymGroup
from ..query_text import clean_query

MAX_TERM_CHARS = 200


def write_in_terms_language(form, term):
    """The words are typed in the search's language: a Hebrew search's fields run right to
    left, whatever the admin's language."""
    direction = language_direction(term.locale) or "auto"
    for field in form.fields.values():
        if isinstance(field.widget, forms.TextInput):
            field.widget.attrs.update({"dir": direction, "data-content-dir": direction})


def _clean_text(value):
    """One line of printable text, without the commas that separate synonyms."""
    return clean_query(value.replace(",", " "))


class SynonymFixForm(forms.Form):
    wording = forms.CharField(
        label=_("What customers typed"),
        max_length=MAX_TERM_CHARS,
        help_text=_("Edit out anything that is not part of the search words."),
    )
    means = forms.CharField(
        label=_("Means the same as"),
        max_length=MAX_TERM_CHARS,
        help_text=_("The words our help pages use, e.g. “invoice” for “receipt”."),
    )
    group = forms.ModelChoiceField(
        label=_("Add to an existing synonym group"),
        required=False,
        queryset=SynonymGroup.objects.none(),
        empty_label=_("No, start a new group"),
        help_text=_("Optional. The words above are added to the group."),
    )

    def __init__(self, *args, term, **kwargs):
        super().__init__(*args, **kwargs)
        self.term = term
        write_in_terms_language(self, term)
        self.fields["group"].queryset = SynonymGroup.objects.filter(
            locale__language_code=term.locale
        )

    def clean_wording(self):
        value = _clean_text(self.cleaned_data["wording"])
        if not value:
            raise forms.ValidationError(_("Give the words customers used."))
        return value

    def clean_means(self):
        value = _clean_text(self.cleaned_data["means"])
        if not value:
            raise forms.ValidationError(_("Give the words our help pages use."))
        return value

    def clean(self):
        data = super().clean()
        if (
            data.get("wording")
            and data.get("wording").casefold() == (data.get("means") or "").casefold()
        ):
            raise forms.ValidationError(_("The two wordings are the same."))
        return data


class PromoteFixForm(forms.Form):
    page = forms.ModelChoiceField(label=_("Help page to show first"), queryset=Page.objects.live())

    def __init__(self, data=None, *args, term, **kwargs):
        if data is not None and not str(data.get("page", "")).isdigit():
            # The chooser widget cannot redisplay a value that is not an id.
            data = data.copy()
            data["page"] = ""
        super().__init__(data, *args, **kwargs)
        self.term = term
        self.fields["page"].widget = AdminPageChooser(target_models=help_page_models())

    def clean_page(self):
        page = self.cleaned_data["page"].specific
        if not is_help_page_class(type(page)):
            raise forms.ValidationError(_("Choose a help page (an article, FAQ, guide or video)."))
        if page.locale.language_code != self.term.locale:
            raise forms.ValidationError(_("Choose a page in the language of the search."))
        return page


class DraftFixForm(forms.Form):
    title = forms.CharField(label=_("Title of the draft"), max_length=255)
    parent = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Page.objects.none(),
        empty_label=None,
        help_text=_("Where the draft is created. It is not published."),
    )

    def __init__(self, *args, term, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.term = term
        write_in_terms_language(self, term)
        self.fields["parent"].queryset = parents

    def clean_title(self):
        value = clean_query(self.cleaned_data["title"])
        if not value:
            raise forms.ValidationError(_("Give the draft a title."))
        return value


class StatusFixForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=SearchTerm.STATUSES)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, term=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.term = term

    def clean_note(self):
        return clean_query(self.cleaned_data["note"])
