"""What operators and staff see: /healthz, unsent contact e-mails, a stalled queue; and the
e-mail settings read from the environment."""

import os
import runpy
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from config.settings.email import email_settings
from kb.contact import ContactRequest
from ops.models import WorkerHeartbeat

ROOT = Path(__file__).resolve().parents[2]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
VALID = {
    "name": "Dana",
    "email": "dana@example.com",
    "subject": "Payment failed again",
    "message": "I updated it yesterday.",
    "tried": "",
}


@pytest.mark.django_db
def test_healthz_answers_json_without_secrets_by_address_and_plain_http(tree, client, settings):
    settings.ALLOWED_HOSTS = ["help.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["search_index"]["ok"] is True
    assert body["checks"]["worker"] == {"ok": True, "mode": "inline"}
    assert settings.SECRET_KEY not in response.content.decode()


@pytest.mark.django_db
def test_healthz_reports_a_stalled_worker_but_keeps_serving(tree, client, settings):
    settings.TASKS = DATABASE_TASKS
    client.post("/en/contact/", VALID)  # queued: no worker takes it
    WorkerHeartbeat.objects.create(worker_id="w1", seen_at=timezone.now() - timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["worker"]["ok"] is False and body["checks"]["worker"]["last_seen"]


@pytest.mark.django_db
def test_staff_see_unsent_requests_and_a_stalled_queue(tree, client, admin_client, settings):
    settings.TASKS = DATABASE_TASKS
    client.post("/en/contact/", VALID)
    assert ContactRequest.objects.get().email_sent is False

    listing = admin_client.get(reverse("wagtailsnippets_kb_contactrequest:list"))
    assert "Not sent yet" in listing.content.decode()
    unsent = admin_client.get(
        reverse("wagtailsnippets_kb_contactrequest:list"), {"email_sent": "false"}
    )
    assert "Payment failed again" in unsent.content.decode()
    dashboard = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "No background worker is processing the queue" in dashboard

    WorkerHeartbeat.objects.create(worker_id="w1", seen_at=timezone.now())
    dashboard = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "No background worker is processing the queue" not in dashboard


@pytest.mark.django_db
def test_a_failed_e_mail_is_shown_with_its_attempts(tree, client, admin_client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # the discard port: refused
    client.post("/en/contact/", VALID)
    request = ContactRequest.objects.get()
    assert (request.email_sent, request.email_attempts) == (False, 1)
    assert request.email_retry_at > timezone.now()
    listing = admin_client.get(reverse("wagtailsnippets_kb_contactrequest:list")).content.decode()
    assert "Not sent yet" in listing and "1 attempt" in listing


def test_e_mail_settings_come_from_email_url_or_the_email_host_family():
    assert email_settings({"EMAIL_URL": "smtp://ann%40x.org:p%2Fw@mail.x.org:587/?tls=1"}) == {
        "EMAIL_HOST": "mail.x.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "ann@x.org",
        "EMAIL_HOST_PASSWORD": "p/w",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }
    assert email_settings({"EMAIL_URL": "smtps://mail.x.org"})["EMAIL_PORT"] == 465
    assert (
        email_settings({"EMAIL_HOST": "smtp.x.org", "EMAIL_PORT": "2525", "EMAIL_USE_TLS": "true"})[
            "EMAIL_PORT"
        ]
        == 2525
    )


def test_links_in_e_mails_follow_the_port_in_development():
    env = {k: v for k, v in os.environ.items() if k != "BASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.dev", PORT="8123")
    script = "import django; django.setup(); from django.conf import settings; "
    script += "print(settings.WAGTAILADMIN_BASE_URL)"
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.stdout.strip() == "http://127.0.0.1:8123"


def test_gunicorn_accepts_a_500_character_search_in_a_four_byte_script():
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    request_line = f"GET /he/search/?q={quote('𝐀' * 500)}&type=faq&category=billing HTTP/1.1"
    assert len(request_line.encode()) < config["limit_request_line"]
