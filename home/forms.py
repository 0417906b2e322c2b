"""Admin forms: publishing rules shown beside the fields; text written in its language's
direction."""

import json
from collections import defaultdict

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language_info
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.models import Locale

NOT_PROSE = (forms.URLInput, forms.EmailInput, forms.NumberInput, forms.PasswordInput)


def language_direction(language_code):
    try:
        return "rtl" if get_language_info(language_code)["bidi"] else "ltr"
    except KeyError:
        return None


class ContentDirectionMixin:
    """Text fields run in the direction of the language being written, which need not be
    the admin's: a Hebrew page's title is right-to-left in an English admin too, so "Wi-Fi"
    and punctuation land where the reader will see them. Where the language is chosen in the
    form itself, the choice turns the fields (static/js/admin-direction.js, which also gives
    fields added later, such as stream blocks, the form's direction)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale_id = getattr(self.instance, "locale_id", None)
        if "locale" in self.fields:
            locale_id = self.initial.get("locale") or locale_id
            self.fields["locale"].widget.attrs["data-locale-directions"] = json.dumps(
                {
                    str(pk): language_direction(code)
                    for pk, code in Locale.objects.values_list("pk", "language_code")
                }
            )
        locale = Locale.objects.filter(pk=locale_id).first() if locale_id else None
        direction = (language_direction(locale.language_code) if locale else None) or "auto"
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.TextInput, forms.Textarea)) and not isinstance(
                widget, NOT_PROSE
            ):
                widget.attrs["dir"] = direction
                widget.attrs["data-content-dir"] = direction


class LocalisedSnippetForm(ContentDirectionMixin, WagtailAdminModelForm):
    """For snippets written in one language: reusable answers, announcements, synonyms."""


class HelpPageForm(ContentDirectionMixin, WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.start_with_required_blocks()

    def start_with_required_blocks(self):
        """A new page's stream that needs items (a guide's steps, an FAQ's questions) starts
        with that many empty ones to fill in, not with a "minimum number of items" error
        before the editor has done anything."""
        for name, field in self.fields.items():
            block = getattr(field, "block", None)
            min_num = getattr(getattr(block, "meta", None), "min_num", None)
            if not min_num or len(block.child_blocks) != 1 or self.initial.get(name):
                continue
            ((child_name, child),) = block.child_blocks.items()
            self.initial[name] = block.normalize([(child_name, child.get_default())] * min_num)

    def _post_clean(self):
        super()._post_clean()
        # "Save draft" defers the rules, unless the page is in review: the revision a
        # reviewer approves must be publishable as it stands.
        if self.is_deferred_validation and not self.instance.workflow_in_progress:
            return
        messages = defaultdict(list)
        for problem in self.instance.publishing_problems():
            field = problem.field if problem.field in self.fields else None
            if field is None or field not in self.errors:
                messages[field].append(problem.message)
        for field, texts in messages.items():
            # One error per field: a stream field shows only the first error it is given.
            self.add_error(field, ValidationError(" ".join(texts)))
