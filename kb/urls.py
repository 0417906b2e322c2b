"""The customer's side of the knowledge base: ``urlpatterns`` live under each language
prefix (/en/contact/), ``root_urlpatterns`` at the site root (the feedback API)."""

from django.urls import path

from . import views

urlpatterns = [
    path("contact/", views.contact_form, name="contact"),
    path("contact/sent/", views.contact_sent, name="contact_sent"),
    path("contact/forget/", views.contact_forget, name="contact_forget"),
    path("feedback/", views.feedback_form, name="feedback"),
    path("feedback/reason/", views.feedback_reason_form, name="feedback_reason"),
]

root_urlpatterns = [
    path("api/feedback/", views.feedback_api, name="feedback_api"),
    path("api/feedback/reason/", views.feedback_reason_api, name="feedback_reason_api"),
]
