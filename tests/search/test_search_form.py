"""The search parameters accept what the choice fields accepted and refuse the rest with
the same messages, without copying the choices into every form."""

from django.http import QueryDict

from home import help_types
from search.forms import SearchForm, SuggestForm


def form(query):
    f = SearchForm(QueryDict(query))
    f.is_valid()
    return f


def test_known_values_are_accepted():
    types = [code for code, _label in help_types.CHOICES][:2]
    f = form(f"q=router&lang=he&type={types[0]}&type={types[1]}&spelling=exact")
    assert f.errors == {}
    assert f.cleaned_data["lang"] == "he"
    assert f.cleaned_data["type"] == types
    assert f.cleaned_data["spelling"] == "exact"


def test_nothing_chosen_is_no_filter():
    f = form("q=router")
    assert f.errors == {}
    assert (f.cleaned_data["lang"], f.cleaned_data["type"], f.cleaned_data["spelling"]) == (
        "",
        [],
        "",
    )


def test_unknown_values_are_refused_with_the_choice_message():
    f = form("q=router&lang=xx&type=faq&type=%3Cscript%3E&spelling=fuzzy")
    assert set(f.errors) == {"lang", "type", "spelling"}
    assert "xx is not one of the available choices" in f.errors["lang"][0]
    assert "<script> is not one of the available choices" in f.errors["type"][0]
    assert not SuggestForm(QueryDict("q=ro&lang=xx")).is_valid()
    assert SuggestForm(QueryDict("q=ro&lang=all")).is_valid()


def test_a_value_with_spaces_is_not_trimmed_into_a_choice():
    assert "lang" in form("q=router&lang=%20he%20").errors
