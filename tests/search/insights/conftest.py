import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page

from search.models import SearchQueryLog
from search.reports.access import SEARCH_MANAGERS


@pytest.fixture(autouse=True)
def fresh_figures(settings):
    # Reports roll the log up at every view, so each test sees what it just logged.
    settings.SEARCH_INSIGHTS_REFRESH_SECONDS = 0


def make_user(django_user_model, username, group=None, superuser=False):
    if superuser:
        return django_user_model.objects.create_superuser(username, f"{username}@example.com", "pw")
    user = django_user_model.objects.create_user(username, f"{username}@example.com", "pw")
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def manager(db, django_user_model):
    return make_user(django_user_model, "manager", group=SEARCH_MANAGERS)


@pytest.fixture
def editor(db, django_user_model):
    # Wagtail's own "Editors" group: may use the admin and edit pages, not the reports.
    return make_user(django_user_model, "editor", group="Editors")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def content(tree):
    tree.article(title="Find your invoice", summary="Open My account, then Invoices.")
    tree.article(title="Pay an invoice by card", summary="Use a credit card in the app.")
    tree.article(title="טופס החזר", summary="ממלאים את טופס ההחזר באזור האישי.", lang="he")
    return tree


def logs():
    return list(SearchQueryLog.objects.order_by("pk"))


def page_by_title(title):
    return Page.objects.get(title=title).specific
