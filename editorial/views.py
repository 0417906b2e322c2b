"""Admin screens for service staff: review dates, missing translations, Markdown upload."""

import datetime

import django_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, LocaleColumn, StatusTagColumn, TitleColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.reports.base import PageReportView
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from home.admin_access import SpreadsheetCsvMixin
from home.models import HelpPage

from .forms import MarkdownUploadForm
from .freshness import due_for_review, is_overdue, mark_reviewed
from .markdown_io import jobs
from .markdown_io.upload import UploadProblem
from .models import MarkdownImportJob
from .translation import (
    answers_missing_translations,
    missing_languages,
    pages_missing_translations,
)

EDIT_URL = "wagtailadmin_pages:edit"
RECENT_JOBS = 5
# How often a running import's page reloads itself to show its progress.
JOB_REFRESH_SECONDS = 2


class ReviewStateFilter(django_filters.ChoiceFilter):
    def filter(self, qs, value):
        if value == "overdue":
            return qs.filter(review_date__lt=timezone.localdate())
        return qs


class DueForReviewFilterSet(WagtailFilterSet):
    state = ReviewStateFilter(
        label=_("Review"),
        choices=[("overdue", _("Overdue only"))],
        empty_label=_("Overdue or due within 14 days"),
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"),
        field_name="owner_id_ref",
        empty_label=_("Anyone"),
        queryset=lambda request: (
            get_user_model().objects.filter(is_active=True).order_by("username")
        ),
    )

    class Meta:
        model = Page
        fields = ["locale"]


class TypeColumn(Column):
    def get_value(self, instance):
        return capfirst(instance.content_type.model_class()._meta.verbose_name)


class ReviewDateColumn(Column):
    cell_template_name = "editorial/date_cell.html"


class MarkReviewedColumn(Column):
    cell_template_name = "editorial/mark_reviewed_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        # A table cell is rendered without the request's template context: no csrf_token tag.
        context = super().get_cell_context_data(instance, parent_context)
        context["csrf_token"] = get_token(context["request"])
        return context


class DueForReviewView(SpreadsheetCsvMixin, PageReportView):
    page_title = _("Due for review")
    header_icon = "time"
    results_template_name = "wagtailadmin/reports/base_report_results.html"
    index_url_name = "editorial:due_for_review"
    index_results_url_name = "editorial:due_for_review_results"
    filterset_class = DueForReviewFilterSet
    any_permission_required = ["add", "change", "publish"]
    no_results_message = _("No help page is due for review in the next 14 days.")
    list_export = ["title", "review_date", "owner_name", "locale", "status_string"]
    export_headings = {
        "review_date": _("Review by"),
        "owner_name": _("Owner"),
        "locale": _("Language"),
    }
    columns = [
        TitleColumn("title", label=_("Title"), url_name=EDIT_URL),
        TypeColumn("type", label=_("Type")),
        LocaleColumn(label=_("Language"), sort_key=None),
        Column("owner_name", label=_("Owner")),
        ReviewDateColumn("review_date", label=_("Review by")),
        StatusTagColumn("review_state", label=_("State"), primary=lambda page: page.overdue),
        MarkReviewedColumn("pk", label=_("Still right?")),
    ]

    def get_filename(self):
        return f"due-for-review-{datetime.date.today():%Y-%m-%d}"

    def get_queryset(self):
        self.queryset = due_for_review().select_related("locale", "content_type")
        return super().get_queryset()

    def decorate_paginated_queryset(self, pages):
        users = get_user_model().objects.in_bulk({p.owner_id_ref for p in pages if p.owner_id_ref})
        today = timezone.localdate()
        for page in pages:
            owner = users.get(page.owner_id_ref)
            page.owner_name = (
                (owner.get_full_name() or owner.get_username()) if owner else _("No owner")
            )
            page.overdue = is_overdue(page, today)
            page.review_state = _("Overdue") if page.overdue else _("Due soon")
        return pages


class MissingTranslationsFilterSet(WagtailFilterSet):
    class Meta:
        model = Page
        fields = ["locale"]


class MissingColumn(Column):
    def get_value(self, instance):
        return ", ".join(str(locale.get_display_name()) for locale in instance.missing) or "-"


class TranslateColumn(Column):
    cell_template_name = "editorial/translate_cell.html"


class MissingTranslationsView(SpreadsheetCsvMixin, PageReportView):
    page_title = _("Missing translations")
    header_icon = "globe"
    results_template_name = "editorial/missing_translations_results.html"
    index_url_name = "editorial:missing_translations"
    index_results_url_name = "editorial:missing_translations_results"
    filterset_class = MissingTranslationsFilterSet
    any_permission_required = ["add", "change", "publish"]
    no_results_message = _("Every page has a counterpart in every language.")
    list_export = ["title", "locale", "missing_names"]
    export_headings = {"locale": _("Language"), "missing_names": _("Missing in")}
    columns = [
        TitleColumn("title", label=_("Title"), url_name=EDIT_URL),
        TypeColumn("type", label=_("Type")),
        LocaleColumn(label=_("Language"), sort_key=None),
        MissingColumn("missing", label=_("Missing in")),
        TranslateColumn("translate_url", label=_("Translate")),
    ]

    def get_filename(self):
        return f"missing-translations-{datetime.date.today():%Y-%m-%d}"

    def get_queryset(self):
        self.queryset = pages_missing_translations()
        return super().get_queryset()

    def decorate_paginated_queryset(self, pages):
        pages = list(pages)
        missing = missing_languages(pages)
        for page in pages:
            page.missing = missing[page.pk]
            page.missing_names = ", ".join(str(loc.get_display_name()) for loc in page.missing)
            page.translate_url = reverse(
                "simple_translation:submit_page_translation", args=[page.pk]
            )
        return pages

    def reusable_answers(self):
        """Reusable answers missing a translation, listed below the pages: the pages that
        show them cannot be published in the other language until they are translated."""
        filters = self.filters
        locale = filters.form.cleaned_data.get("locale") if filters and filters.is_valid() else None
        answers = list(answers_missing_translations(locale))
        missing = missing_languages(answers)
        for answer in answers:
            answer.missing_names = ", ".join(
                str(loc.get_display_name()) for loc in missing[answer.pk]
            )
            answer.translate_url = reverse(
                "simple_translation:submit_snippet_translation",
                args=[answer._meta.app_label, answer._meta.model_name, answer.pk],
            )
        return answers

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["reusable_answers"] = self.reusable_answers()
        return context


@require_POST
def mark_page_reviewed(request, page_id):
    """One click for the owner who checked a page and found it still right."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, HelpPage) or not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    review_by = mark_reviewed(page, request.user)
    messages.success(
        request,
        gettext("“%(title)s” marked as reviewed: next review by %(date)s.")
        % {"title": page.get_admin_display_title(), "date": formats.date_format(review_by)},
    )
    return redirect(get_valid_next_url_from_request(request) or reverse("editorial:due_for_review"))


def can_import(user):
    return PagePermissionPolicy().user_has_any_permission(user, ["add", "change", "publish"])


@require_http_methods(["GET", "POST"])
def markdown_upload(request):
    """Choose files and options; the import itself runs in the background (see job page)."""
    if not can_import(request.user):
        raise PermissionDenied
    if request.method == "POST" and "staged" in request.POST:
        return markdown_import_staged(request)
    status = 200
    if request.method == "POST":
        form = MarkdownUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = jobs.start(
                    form.cleaned_data["files"],
                    user=request.user,
                    dry_run=form.cleaned_data["dry_run"],
                    options=form.options(),
                    language=get_language(),
                )
            except UploadProblem as err:
                form.add_error("files", str(err))
            else:
                return redirect("editorial:markdown_import_job", job.pk)
        status = 400
    else:
        form = MarkdownUploadForm()
    return upload_response(request, form, status)


def markdown_import_staged(request):
    """The real import of the files a dry run kept: nothing to choose again."""
    dry_run = MarkdownImportJob.objects.filter(
        pk=request.POST["staged"] if request.POST["staged"].isdigit() else None,
        started_by=request.user,
    ).first()
    try:
        if dry_run is None:
            raise UploadProblem(
                _("The files of that dry run are no longer kept; choose them again.")
            )
        job = jobs.import_dry_run_files(dry_run, request.user)
    except UploadProblem as err:
        return upload_response(request, MarkdownUploadForm(), 400, str(err))
    return redirect("editorial:markdown_import_job", job.pk)


def upload_response(request, form, status, problem=None):
    context = {
        "form": form,
        "problem": problem,
        "recent": MarkdownImportJob.objects.filter(started_by=request.user)[:RECENT_JOBS],
        "page_title": _("Import Markdown"),
    }
    return TemplateResponse(request, "editorial/markdown_upload.html", context, status=status)


@require_safe
def markdown_import_job(request, pk):
    """One import's progress (the page reloads itself until it ends), then its report."""
    if not can_import(request.user):
        raise PermissionDenied
    jobs_seen = MarkdownImportJob.objects.select_related("started_by")
    if not request.user.is_superuser:
        jobs_seen = jobs_seen.filter(started_by=request.user)
    job = jobs.give_up_if_stalled(get_object_or_404(jobs_seen, pk=pk))
    done, total = jobs.progress(job)
    report = job.report
    context = {
        "job": job,
        "done": done,
        "total": total,
        "report": report,
        "counts": job.counts() if report else {},
        "can_import_files": job.dry_run
        and job.status == job.Status.DONE
        and bool(job.folder)
        and job.started_by_id == request.user.pk,
        "page_title": _("Markdown import"),
    }
    response = TemplateResponse(request, "editorial/markdown_import_job.html", context)
    if not job.finished:
        response["Refresh"] = str(JOB_REFRESH_SECONDS)
    return response
