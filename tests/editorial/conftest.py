"""People in each editorial role, and admin form data for help pages."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from editorial.roles import EDITORS, REVIEWERS, SEARCH_MANAGERS
from search.engines import reset_engines


@pytest.fixture(autouse=True)
def fresh_engine():
    reset_engines()
    yield
    reset_engines()


def make_user(django_user_model, username, group):
    user = django_user_model.objects.create_user(
        username, f"{username}@example.com", "pw-for-tests-1"
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db, django_user_model):
    return make_user(django_user_model, "erin", EDITORS)


@pytest.fixture
def reviewer(db, django_user_model):
    return make_user(django_user_model, "ravi", REVIEWERS)


@pytest.fixture
def search_manager(db, django_user_model):
    return make_user(django_user_model, "sam", SEARCH_MANAGERS)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def article_form(
    title, summary, paragraph="<p>Some help text.</p>", action="action-submit", **extra
):
    """POST data for the article editor, as the browser sends it."""
    data = nested_form_data(
        {
            "title": title,
            "slug": extra.pop("slug", title.lower().replace(" ", "-")),
            "summary": summary,
            "keywords": "",
            "body": streamfield([("paragraph", rich_text(paragraph))]),
            "review_by": extra.pop("review_by", "2031-01-01"),
            "comments": inline_formset([]),
        }
    )
    data.update(extra)
    if action:
        data[action] = "1"
    return data
