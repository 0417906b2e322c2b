from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .erasure_views import ErasePersonalDataView, can_erase


class ErasureMenuItem(MenuItem):
    def is_shown(self, request):
        return can_erase(request.user)


@hooks.register("register_admin_urls")
def register_erasure_url():
    return [
        path("erase-personal-data/", ErasePersonalDataView.as_view(), name="erase_personal_data")
    ]


@hooks.register("register_settings_menu_item")
def register_erasure_menu_item():
    return ErasureMenuItem(
        _("Erase personal data"), reverse("erase_personal_data"), icon_name="bin", order=900
    )
