"""The admin's "Erase personal data": a person asked us to delete what we hold about them."""

from django import forms
from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import retention


def can_erase(user):
    return user.is_active and user.has_perm("home.add_erasurerecord")


class ErasureForm(forms.Form):
    email = forms.EmailField(label=_("Their e-mail address"), max_length=254)
    confirm = forms.BooleanField(
        label=_("Delete their contact requests and remove the address wherever it was written"),
    )


class ErasePersonalDataView(WagtailAdminTemplateMixin, FormView):
    template_name = "home/admin/erase_personal_data.html"
    form_class = ErasureForm
    page_title = _("Erase personal data")
    header_icon = "bin"

    def dispatch(self, request, *args, **kwargs):
        if not can_erase(request.user):
            return HttpResponseForbidden(gettext("You may not erase personal data."))
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "records": retention.ErasureRecord.objects.all()[:20],
        }

    def form_valid(self, form):
        record = retention.erase_person(
            form.cleaned_data["email"], requested_by=self.request.user.get_username()
        )
        messages.success(
            self.request,
            gettext(
                "Erased: %(total)d records. The record of this erasure does not hold the address."
            )
            % {"total": record.total},
        )
        return redirect("erase_personal_data")
