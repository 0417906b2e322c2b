"""Hebrew content is written right to left in the admin, whatever the admin's language;
staff may choose Hebrew as the admin's language."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Locale

from editorial.roles import EDITORS, SEARCH_MANAGERS


def login(client, django_user_model, group, name="staff"):
    user = django_user_model.objects.create_user(name, f"{name}@example.com", "pw-for-tests-1")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


def direction_of(html, name):
    tag = re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', html).group(0)
    return re.search(r'dir="([^"]+)"', tag).group(1)


@pytest.mark.django_db
def test_hebrew_page_fields_are_right_to_left_and_english_left_to_right(
    tree, client, django_user_model
):
    login(client, django_user_model, EDITORS)
    for lang, expected in (("he", "rtl"), ("en", "ltr")):
        page = tree.article(lang=lang, title=f"Page {lang}")
        html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
        for name in ("title", "summary", "keywords"):
            assert direction_of(html, name) == expected, (lang, name)
    assert "js/admin-direction.js" in html  # stream blocks take the form's direction


@pytest.mark.django_db
def test_hebrew_snippets_are_right_to_left(tree, client, django_user_model):
    login(client, django_user_model, EDITORS)
    html = client.get("/admin/snippets/home/serviceannouncement/add/?locale=he").content.decode()
    assert direction_of(html, "message") == "rtl"
    html = client.get("/admin/snippets/home/reusableanswer/add/?locale=he").content.decode()
    assert direction_of(html, "title") == "rtl"


@pytest.mark.django_db
def test_synonym_fields_turn_with_the_chosen_language(tree, client, django_user_model):
    login(client, django_user_model, SEARCH_MANAGERS)
    html = client.get("/admin/snippets/search/synonymgroup/add/").content.decode()
    he = Locale.objects.get(language_code="he")
    assert f"&quot;{he.pk}&quot;: &quot;rtl&quot;" in html
    assert direction_of(html, "terms") == "auto"


@pytest.mark.django_db
def test_staff_can_choose_hebrew_as_the_admin_language(tree, client, django_user_model):
    user = login(client, django_user_model, EDITORS)
    from wagtail.users.models import UserProfile

    UserProfile.get_for_user(user)
    html = client.get("/admin/account/").content.decode()
    assert 'value="he"' in html
    # (Choosing it on that page is part of the browser journeys.)
    user.wagtail_userprofile.preferred_language = "he"
    user.wagtail_userprofile.save()
    assert 'lang="he" dir="rtl"' in client.get("/admin/").content.decode()
