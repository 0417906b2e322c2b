"""The public forms: feedback on a help page and the contact form. Anything may arrive in
them; every field has a size limit and invisible control characters are removed."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from home.limits import MAX_QUERY_CHARS
from home.models import HelpPage

from . import abuse
from .contact import MAX_MESSAGE_CHARS, MAX_TRIED_CHARS
from .feedback import MAX_COMMENT_CHARS, PageFeedback

MAX_ID = 2**31 - 1
# C0 controls and DEL, except tab and newline, which text may contain.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
LINE_BREAKS = re.compile(r"[\t\r\n\x0b\x0c]+")


class SingleLineField(forms.CharField):
    """Text on one line: line breaks become spaces, other control characters go."""

    def to_python(self, value):
        value = super().to_python(value)
        return CONTROL_CHARS.sub("", LINE_BREAKS.sub(" ", value)).strip()


class MultiLineField(forms.CharField):
    """Free text: keeps line breaks (normalised to \\n), drops other control characters."""

    widget = forms.Textarea

    def to_python(self, value):
        value = super().to_python(value)
        return CONTROL_CHARS.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


class FeedbackForm(forms.Form):
    page = forms.IntegerField(min_value=1, max_value=MAX_ID)
    helpful = forms.ChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))])
    step = forms.IntegerField(required=False, min_value=1, max_value=1000)

    def clean_page(self):
        page = Page.objects.live().public().filter(pk=self.cleaned_data["page"]).specific().first()
        if not isinstance(page, HelpPage):
            raise forms.ValidationError(_("There is no such help page."))
        return page

    def clean(self):
        data = super().clean()
        page, step = data.get("page"), data.get("step")
        if step is not None and page is not None:
            steps = page.step_count()
            if step > steps:
                self.add_error("step", _("This guide has no such step."))
        if step is not None and data.get("helpful") == "yes":
            self.add_error("step", _("A step can only be reported as not working."))
        return data


class FeedbackReasonForm(forms.Form):
    feedback = forms.IntegerField(min_value=1, max_value=MAX_ID)
    reason = forms.ChoiceField(
        label=_("What was wrong?"),
        choices=PageFeedback.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what was wrong.")},
    )
    comment = MultiLineField(
        label=_("Anything else you want to tell us? (optional)"),
        required=False,
        max_length=MAX_COMMENT_CHARS,
    )

    def __init__(self, *args, owned=lambda feedback_id: False, **kwargs):
        super().__init__(*args, **kwargs)
        self.owned = owned

    def clean_feedback(self):
        feedback_id = self.cleaned_data["feedback"]
        # Only the visit that voted may add to its vote; other ids are treated as unknown.
        feedback = PageFeedback.objects.filter(pk=feedback_id).first()
        if feedback is None or feedback.page is None or not self.owned(feedback_id):
            raise forms.ValidationError(_("We could not find your answer. Please vote again."))
        return feedback


class ContactForm(forms.Form):
    subject = SingleLineField(
        label=_("What do you need help with?"),
        help_text=_("A few words, e.g. “payment failed” or “no internet”."),
        max_length=200,
    )
    message = MultiLineField(
        label=_("Tell us more"),
        max_length=MAX_MESSAGE_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    tried = MultiLineField(
        label=_("What you already tried"),
        help_text=_(
            "We filled this in from your visit so you do not have to repeat yourself. "
            "Change or delete anything you do not want to send."
        ),
        required=False,
        max_length=MAX_TRIED_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We answer by e-mail, usually within one working day."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = SingleLineField(
        label=_("Your name (optional)"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    # A field people never see or fill in; see kb.abuse.
    homepage = forms.CharField(
        label=_("Leave this field empty"), required=False, max_length=200, strip=False
    )

    REQUEST_FIELDS = ("name", "email", "subject", "message", "tried")
    error_messages = {
        "bot": _("We could not send this. Please check your message and send it again.")
    }

    def clean(self):
        data = super().clean()
        if abuse.caught_in_honeypot(self.data):
            raise forms.ValidationError(self.error_messages["bot"], code="bot")
        return data

    def request_fields(self):
        """The cleaned values a ContactRequest is made of."""
        return {name: self.cleaned_data[name] for name in self.REQUEST_FIELDS}


class ContactPrefillForm(forms.Form):
    """What a link to the contact form may carry: the search that found nothing."""

    q = SingleLineField(required=False, max_length=MAX_QUERY_CHARS)
