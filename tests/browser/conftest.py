"""End-to-end tests in headless Chromium (Debian's, never a downloaded one) against a live
server holding the bilingual demo help center.

The demo is loaded once for this folder inside one transaction that is rolled back when its
last test is done; each test (marked ``django_db``) runs in a savepoint inside it, so what one
test adds is gone for the next. The live server shares the test database connection
(in-memory SQLite), so it sees the demo and everything a test adds.
"""

import os
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.test import override_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
LANGUAGES = ["en", "he"]


def _require_chromium():
    if CHROMIUM.exists():
        return
    reason = f"Debian's chromium is not installed at {CHROMIUM} (install it with `make browsers`)"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser tests.", pytrace=False)
    pytest.skip(reason)


one_request_at_a_time = override_settings(WAGTAIL_AUTOSAVE_INTERVAL=0)


class Answering:
    """Requests the live server is answering now. A closed tab can leave one running (a
    page's last request, a beacon); the next test's own database work must wait for it, since
    both share one connection and one transaction."""

    def __init__(self):
        self.count = 0
        self._lock = threading.Lock()

    def started(self, **kwargs):
        with self._lock:
            self.count += 1

    def finished(self, **kwargs):
        with self._lock:
            self.count = max(0, self.count - 1)

    def wait_until_idle(self, timeout=30.0):
        deadline = time.monotonic() + timeout
        while (self.count or _request_threads()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not self.count, "the live server is still answering a request of the last test"


def _request_threads():
    """The server's threads for the closed tab's connections: each closes the database
    connections when its socket closes, which must happen while the server still shares
    them (after the server stops, Django refuses the close from another thread)."""
    return [t for t in threading.enumerate() if "process_request_thread" in t.name]


answering = Answering()


@pytest.fixture(scope="package")
def live_site(django_db_setup, django_db_blocker):
    """The demo help center served on a live server while this folder's tests run."""
    from django.test import testcases
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        # Uploaded files go through the site's own media view, which answers Range requests
        # (video seeking), rather than the test server's plain file handler.
        patch.setattr(testcases._MediaFilesHandler, "_should_handle", lambda self, path: False)
        outer = transaction.atomic()
        outer.__enter__()
        server = None
        # The server's threads and the tests share one connection and one transaction here
        # (in-memory SQLite), so two requests at once would interleave: no background
        # autosave racing the editor's own button (a real server gives each its connection).
        one_request_at_a_time.enable()
        request_started.connect(answering.started)
        request_finished.connect(answering.finished)
        try:
            call_command("load_demo", verbosity=0)
            server = LiveServer("localhost")
            server._live_server_modified_settings.enable()
            yield server
        finally:
            request_started.disconnect(answering.started)
            request_finished.disconnect(answering.finished)
            one_request_at_a_time.disable()
            if server is not None:
                server._live_server_modified_settings.disable()
                server.stop()
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# One browser for the folder; closed when it is done, so other tests can start their own.
@pytest.fixture(scope="package")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls there
    # unless told the loop serves no requests (it does not: the server has its own thread).
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_context(browser, live_site, **options):
    context = browser.new_context(
        base_url=live_site.url,
        viewport={"width": 1100, "height": 900},
        reduced_motion="reduce",
        **options,
    )
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def page(browser, live_site):
    """A fresh tab with its own cookies (a new visit) for each test."""
    context = _new_context(browser, live_site)
    yield context.new_page()
    context.close()
    answering.wait_until_idle()


@pytest.fixture
def page_without_js(browser, live_site):
    context = _new_context(browser, live_site, java_script_enabled=False)
    yield context.new_page()
    context.close()
    answering.wait_until_idle()


def demo_url(key, lang):
    """The address of a demo help item by its key (see fixtures/demo/*.yaml)."""
    from wagtail.models import Page

    from demo.loader import translation_key

    page = Page.objects.get(translation_key=translation_key(key), locale__language_code=lang)
    return page.url


def tab_to(page, locator, limit=60, backwards=False):
    """Press Tab (or Shift+Tab) until ``locator`` has the focus, as a keyboard user would."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Could not reach {locator} with the {key} key in {limit} presses")


def check_accessibility(page, name):
    """axe-core finds nothing on the page; a screenshot of it is kept either way."""
    from axe_playwright_python.sync_playwright import Axe

    lang = page.evaluate("document.documentElement.lang")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{lang}.png"), full_page=True)
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
