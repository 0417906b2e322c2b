from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import Page

from home.models import HelpPage
from home.publishing import untranslated_answers

from . import urls
from .components import DueForReviewPanel
from .health import search_health
from .link_checks import dead_link_warnings, hidden_pages_message, placement_warnings
from .views import can_import


class EditorialMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import(request.user)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("editorial/", include((urls, "editorial"), namespace="editorial"))]


@hooks.register("register_reports_menu_item")
def register_due_for_review_report():
    return EditorialMenuItem(
        _("Due for review"),
        reverse("editorial:due_for_review"),
        name="due-for-review",
        icon_name="time",
        order=150,
    )


@hooks.register("register_reports_menu_item")
def register_missing_translations_report():
    return EditorialMenuItem(
        _("Missing translations"),
        reverse("editorial:missing_translations"),
        name="missing-translations",
        icon_name="globe",
        order=160,
    )


@hooks.register("register_admin_menu_item")
def register_markdown_import():
    return EditorialMenuItem(
        _("Import Markdown"),
        reverse("editorial:markdown_upload"),
        name="import-markdown",
        icon_name="upload",
        order=250,
    )


@hooks.register("register_log_actions")
def register_review_log_action(actions):
    actions.register_action(
        "editorial.mark_reviewed", _("Mark as reviewed"), _("Marked as reviewed")
    )


@hooks.register("construct_homepage_panels")
def add_due_for_review_panel(request, panels):
    if can_import(request.user):
        panels.append(DueForReviewPanel())


@hooks.register("help_page_search_health")
def page_search_health(page):
    return search_health(page)


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_of_broken_pages(request, action_type, objects, action_class_instance):
    """Bulk publishing skips the editor's form; say which pages break a publishing rule
    and why, and publish none of them, rather than fail half way."""
    if action_type != "publish":
        return None
    blocked = []
    for page in objects:
        latest = page.specific.get_latest_revision_as_object() if isinstance(page, Page) else page
        if isinstance(latest, HelpPage):
            problems = latest.publishing_problems()
            if problems:
                blocked.append(f"“{latest.title}”: {' '.join(p.message for p in problems)}")
    if not blocked:
        return None
    messages.error(
        request,
        _("Nothing was published. Fix these pages first: %(pages)s")
        % {"pages": "; ".join(blocked)},
    )
    return redirect(
        get_valid_next_url_from_request(request) or reverse("wagtailadmin_explore_root")
    )


@hooks.register("before_edit_page")
def warn_of_answers_in_another_language(request, page):
    """A translated page keeps the original's reusable answers where no translation exists;
    say so when it is opened, not only when it is submitted."""
    if request.method != "GET":
        return
    latest = page.specific.get_latest_revision_as_object()
    if isinstance(latest, HelpPage):
        for message in untranslated_answers(latest):
            messages.warning(request, message)
        for message in dead_link_warnings(latest):
            messages.warning(request, message)
    for message in placement_warnings(page):
        messages.warning(request, message)


@hooks.register("after_unpublish_page")
def say_which_live_pages_an_unpublished_page_hides(request, page):
    """Wagtail offers to unpublish the subpages too; those left published are hidden from
    customers with it (not served, not found, not in the sitemap): say so."""
    hidden = page.get_descendants().live().count()
    if hidden:
        messages.warning(request, hidden_pages_message(page, hidden))
