from django.urls import path

from . import views

app_name = "editorial"

urlpatterns = [
    path("due-for-review/", views.DueForReviewView.as_view(), name="due_for_review"),
    path(
        "due-for-review/results/",
        views.DueForReviewView.as_view(results_only=True),
        name="due_for_review_results",
    ),
    path(
        "missing-translations/",
        views.MissingTranslationsView.as_view(),
        name="missing_translations",
    ),
    path(
        "missing-translations/results/",
        views.MissingTranslationsView.as_view(results_only=True),
        name="missing_translations_results",
    ),
    path("mark-reviewed/<int:page_id>/", views.mark_page_reviewed, name="mark_page_reviewed"),
    path("import-markdown/", views.markdown_upload, name="markdown_upload"),
    path("import-markdown/<int:pk>/", views.markdown_import_job, name="markdown_import_job"),
]
