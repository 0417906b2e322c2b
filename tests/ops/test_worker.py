"""The background worker on its own: a real `manage.py run_worker` process, a real SMTP
server (aiosmtpd), a copy of this test's database in a file, the periodic jobs every second.

Scheduled publishing and expiry, the search-log and session purges, and a contact request
whose e-mail failed while the mail server was down all happen with only the worker running.
"""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.contrib.sessions.models import Session
from django.db import connections
from django.utils import timezone
from wagtail.models import Site

from home.models import HelpCenterSettings
from kb import contact
from kb.models import ArticlePage
from search.models import SearchQueryLog

ROOT = Path(__file__).resolve().parents[2]

WORKER_SETTINGS = """
from config.settings.test import *  # noqa

DATABASES["default"] = {{
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": {db!r},
    "OPTIONS": {{"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}},
}}
DATABASES["insights"] = {{**DATABASES["default"], "NAME": {insights!r}}}
TASKS = {{"default": {{"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}}}
PERIODIC_JOBS = {{name: {{**job, "every": 1}} for name, job in PERIODIC_JOBS.items()}}
WORKER_TICK_SECONDS = 0.5
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = {smtp_port}
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(envelope.content.decode("utf-8", "replace"))
        return "250 OK"


def wait_for(check, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_only_the_worker_running_publishes_expires_purges_and_sends_what_failed(
    tree, tmp_path, settings, monkeypatch
):
    smtp_port = free_port()  # nothing listens there yet: the mail server is down
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", smtp_port, 5
    monkeypatch.setattr(contact, "FIRST_RETRY", timedelta(seconds=1))
    HelpCenterSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"contact_email": "team@example.com"}
    )
    now = timezone.now()

    request = contact.submit(
        {"email": "dana@example.com", "subject": "Refund", "message": "Where is my refund?"},
        "en",
        "client-1",
    )
    request.refresh_from_db()
    assert not request.email_sent and request.email_attempts == 1
    assert "ConnectionRefusedError" in request.email_error

    draft = tree.article(title="Autumn prices")
    draft.unpublish()
    draft.save_revision(approved_go_live_at=now - timedelta(seconds=1))
    expiring = tree.article(title="Summer sale")
    ArticlePage.objects.filter(pk=expiring.pk).update(expire_at=now - timedelta(seconds=1))
    old = now - timedelta(days=settings.SEARCH_LOG_RETENTION_DAYS + 1)
    SearchQueryLog.objects.create(
        query="old", normalized="old", locale="en", result_count=0, session_key="s",
        created_at=old, updated_at=old,
    )  # fmt: skip
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=now - timedelta(1))

    db, insights = tmp_path / "worker.sqlite3", tmp_path / "worker-insights.sqlite3"
    for alias, path in (("default", db), ("insights", insights)):  # the worker's own copies
        target = sqlite3.connect(path)
        connections[alias].ensure_connection()
        connections[alias].connection.backup(target)
        target.close()
    (tmp_path / "worker_settings.py").write_text(
        WORKER_SETTINGS.format(db=str(db), insights=str(insights), smtp_port=smtp_port)
    )

    inbox = Inbox()
    mail_server = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    mail_server.start()  # the mail server is back
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "worker_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen = sqlite3.connect(db, timeout=20)

    def value(sql, *args):
        return seen.execute(sql, args).fetchone()[0]

    try:
        assert wait_for(lambda: inbox.messages), "the contact e-mail never arrived"
        assert wait_for(
            lambda: value("SELECT email_sent FROM kb_contactrequest WHERE id = ?", request.pk)
        )
        assert wait_for(
            lambda: value("SELECT live FROM wagtailcore_page WHERE id = ?", draft.pk) == 1
        ), "the scheduled page was not published"
        assert wait_for(
            lambda: value("SELECT live FROM wagtailcore_page WHERE id = ?", expiring.pk) == 0
        ), "the expired page was not unpublished"
        seen_insights = sqlite3.connect(insights, timeout=20)
        assert wait_for(
            lambda: (
                seen_insights.execute("SELECT count(*) FROM search_searchquerylog").fetchone()[0]
                == 0
            )
        )
        seen_insights.close()
        assert wait_for(lambda: value("SELECT count(*) FROM django_session") == 0)
        assert value("SELECT count(*) FROM ops_workerheartbeat") == 1
    except AssertionError as failed:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=60)[0]
        tail = output[-4000:]
        raise AssertionError(f"{failed}\n-- the worker's output, last lines:\n{tail}") from failed
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            output = worker.communicate(timeout=60)[0]
        mail_server.stop()
        seen.close()
    (message,) = inbox.messages
    assert f"[{request.reference}] Refund" in message and "Where is my refund?" in message
    assert "Queueing periodic job publish_scheduled" in output
