"""The customer side in the admin: contact requests, feedback per page and a helpfulness
report for managers."""

import django_filters
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    IndexView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from home.admin_access import ForbiddenResponseMixin, SpreadsheetCsvMixin

from . import content_report
from .contact import ContactRequest
from .feedback import PageFeedback, helpfulness_by_page, pages_with_feedback


class CustomerRecordPolicy(ModelPermissionPolicy):
    """Records that only customers create: staff may look, update and delete, never add."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return super().user_has_any_permission(user, [a for a in actions if a != "add"])


register_permission_policy(ContactRequest, CustomerRecordPolicy(ContactRequest), exact_class=True)
register_permission_policy(PageFeedback, CustomerRecordPolicy(PageFeedback), exact_class=True)


class EmailDeliveryColumn(Column):
    """Sent, or not yet: the background worker keeps trying (kb/contact.py)."""

    cell_template_name = "kb/admin/email_delivery_cell.html"


# Roles (editorial/migrations/0002_feedback_and_contact_roles): reviewers handle contact
# requests; reviewers and search managers read page feedback and the helpfulness report.
class ContactRequestIndexView(ForbiddenResponseMixin, IndexView):
    forbidden_message = _("Reviewers handle contact requests. Ask an administrator.")


class PageFeedbackIndexView(ForbiddenResponseMixin, IndexView):
    forbidden_message = _("Reviewers and search managers read page feedback.")


class PageFeedbackInspectView(InspectView):
    def get_helpful_display_value(self):
        return _("Yes") if self.object.helpful else _("No")


class ContactRequestViewSet(SnippetViewSet):
    model = ContactRequest
    index_view_class = ContactRequestIndexView
    icon = "mail"
    menu_label = _("Contact requests")
    list_display = [
        "reference",
        "subject",
        "email",
        "language",
        "status",
        EmailDeliveryColumn("email_sent", label=_("E-mail to the team")),
        DateColumn("created_at", label=_("Received")),
    ]
    list_filter = ["status", "email_sent", "language"]
    search_fields = ["reference", "subject", "message", "email", "name"]
    inspect_view_enabled = True
    copy_view_enabled = False
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name", read_only=True),
                FieldPanel("email", read_only=True),
                FieldPanel("language", read_only=True),
                FieldPanel("subject", read_only=True),
                FieldPanel("message", read_only=True),
                FieldPanel("tried", read_only=True),
            ],
            heading=_("From the customer"),
        ),
        FieldPanel("status"),
        FieldPanel("staff_notes"),
        MultiFieldPanel(
            [FieldPanel("email_sent", read_only=True), FieldPanel("email_error", read_only=True)],
            heading=_("E-mail to the team"),
        ),
    ]


class PageFeedbackFilterSet(WagtailFilterSet):
    # Votes live in the insights database: the pages to choose from are looked up by id.
    page = django_filters.TypedChoiceFilter(
        label=_("Page"), field_name="page_id", choices=pages_with_feedback, coerce=int
    )

    class Meta:
        model = PageFeedback
        fields = ["helpful", "reason", "language"]


class PageFeedbackViewSet(SnippetViewSet):
    model = PageFeedback
    index_view_class = PageFeedbackIndexView
    inspect_view_class = PageFeedbackInspectView
    icon = "help"
    menu_label = _("Page feedback")
    list_display = [
        Column("page", label=_("Page"), accessor=lambda vote: vote.page or _("A deleted page")),
        BooleanColumn("helpful", label=_("Helpful")),
        "reason",
        "step",
        "comment",
        "language",
        DateColumn("created_at", label=_("Given")),
    ]
    filterset_class = PageFeedbackFilterSet
    search_fields = ["comment"]
    inspect_view_enabled = True
    copy_view_enabled = False
    panels = [FieldPanel("reason", read_only=True), FieldPanel("comment", read_only=True)]


class CustomerGroup(SnippetViewSetGroup):
    menu_label = _("Customers")
    menu_icon = "group"
    menu_order = 260
    items = (ContactRequestViewSet, PageFeedbackViewSet)


register_snippet(CustomerGroup)


def _ratio(page):
    return f"{round(page.ratio * 100)}%"


def _language_name(page):
    return page.locale.get_display_name()


def _reasons(page):
    labels = [
        f"{label}: {getattr(page, f'reason_{value}')}"
        for value, label in PageFeedback.Reason.choices
        if getattr(page, f"reason_{value}")
    ]
    return "; ".join(labels)


class HelpfulnessReportView(ForbiddenResponseMixin, SpreadsheetCsvMixin, ReportView):
    """Per help page: votes, the share that found it helpful and why the others did not.
    The least helpful pages come first; each links to its feedback and comments."""

    page_title = _("Helpfulness")
    header_icon = "help"
    index_url_name = "help_helpfulness_report"
    index_results_url_name = "help_helpfulness_report_results"
    any_permission_required = ["view", "change", "delete"]
    forbidden_message = _("Reviewers and search managers see the helpfulness report.")
    list_export = ["title", "locale.language_code", "votes", "yes", "no", "ratio", "failed_steps"]

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(PageFeedback)

    @cached_property
    def columns(self):
        feedback_list = reverse(PageFeedback.snippet_viewset.get_url_name("list"))
        return [
            TitleColumn(
                "title",
                label=_("Page"),
                get_url=lambda page: f"{feedback_list}?page={page.pk}",
            ),
            Column("language", label=_("Language"), accessor=_language_name),
            Column("votes", label=_("Votes")),
            Column("ratio", label=_("Helpful"), accessor=_ratio),
            Column("no", label=_("Not helpful")),
            Column("reasons", label=_("Reasons"), accessor=_reasons),
            Column("failed_steps", label=_("Steps that failed")),
        ]

    def get_queryset(self):
        return helpfulness_by_page()


class HelpfulnessMenuItem(MenuItem):
    def is_shown(self, request):
        return policy_registry.get_by_type(PageFeedback).user_has_any_permission(
            request.user, ["view", "change", "delete"]
        )


@hooks.register("register_admin_urls")
def register_helpfulness_report_urls():
    return [
        path(
            "reports/helpfulness/", HelpfulnessReportView.as_view(), name="help_helpfulness_report"
        ),
        path(
            "reports/helpfulness/results/",
            HelpfulnessReportView.as_view(results_only=True),
            name="help_helpfulness_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_helpfulness_report_menu_item():
    return HelpfulnessMenuItem(
        _("Helpfulness"),
        reverse("help_helpfulness_report"),
        name="helpfulness",
        icon_name="help",
        order=1300,
    )


@hooks.register("register_admin_urls")
def register_content_report_urls():
    return [
        path("reports/content/", content_report.content_report_view, name="help_content_report")
    ]


class ContentReportMenuItem(MenuItem):
    def is_shown(self, request):
        return content_report.may_see(request.user)


@hooks.register("register_reports_menu_item")
def register_content_report_menu_item():
    return ContentReportMenuItem(
        _("Content"),
        reverse("help_content_report"),
        name="content",
        icon_name="doc-full",
        order=1310,
    )


class ContactAfterReadingPanel(Component):
    """Dashboard: the pages that most often end in a contact request (last 30 days)."""

    name = "contact_after_reading"
    order = 160
    template_name = "kb/dashboard_contact_after_reading.html"

    def get_context_data(self, parent_context=None):
        return {
            "rows": content_report.most_often_ending_in_contact(),
            "report_url": reverse("help_content_report") + "?sort=contact_rate",
        }


@hooks.register("construct_homepage_panels")
def add_contact_after_reading_panel(request, panels):
    if content_report.may_see(request.user):
        panels.append(ContactAfterReadingPanel())
