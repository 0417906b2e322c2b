"""Small, focused page trees for tests (the full demo is loaded only where a test needs it)."""

import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files import File
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from guides.models import GuidePage, VideoPage
from home.models import HomePage
from kb.models import ArticlePage, CategoryPage, FaqPage
from search import querying
from search.engines import reset_engines

MEDIA = Path(__file__).resolve().parent.parent / "fixtures" / "media"


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish(log_action=False)
    return page


def uid():
    return str(uuid.uuid4())


class Tree:
    """A home page per language with one category each; helpers add help pages."""

    def __init__(self):
        root = Page.get_first_root_node()
        self.locales = {
            code: Locale.objects.get_or_create(language_code=code)[0] for code in ("en", "he")
        }
        self.home = {}
        self.category = {}
        translation_key = uuid.uuid4()
        cat_key = uuid.uuid4()
        for code, locale in self.locales.items():
            home = publish(
                root,
                HomePage(
                    title=f"Help {code}", slug=code, locale=locale, translation_key=translation_key
                ),
            )
            self.home[code] = home
            self.category[code] = publish(
                home,
                CategoryPage(
                    title="Billing" if code == "en" else "חשבונות",
                    slug="billing",
                    locale=locale,
                    translation_key=cat_key,
                ),
            )
        Page.objects.filter(depth=2, content_type__model="page").delete()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "port": 80, "root_page": self.home["en"]},
        )

    def article(
        self,
        title="Find your invoice",
        summary="Open My account, then Invoices.",
        lang="en",
        body=None,
        parent=None,
        **kw,
    ):
        body = (
            body
            if body is not None
            else [
                {
                    "type": "paragraph",
                    "value": "<p>Invoices are kept for seven years.</p>",
                    "id": uid(),
                }
            ]
        )
        page = ArticlePage(title=title, summary=summary, body=body, locale=self.locales[lang], **kw)
        return publish(parent or self.category[lang], page)

    def faq(self, questions, title="Billing questions", lang="en", summary="Quick answers."):
        faqs = [
            {"type": "faq", "value": {"question": q, "answer": f"<p>{a}</p>"}, "id": uid()}
            for q, a in questions
        ]
        return publish(
            self.category[lang],
            FaqPage(title=title, summary=summary, faqs=faqs, locale=self.locales[lang]),
        )

    def guide(
        self, steps, title="Set up a direct debit", lang="en", summary="Add the debit in the app."
    ):
        stream = [
            {"type": "step", "value": {"title": t, "text": f"<p>{x}</p>"}, "id": uid()}
            for t, x in steps
        ]
        page = GuidePage(
            title=title,
            summary=summary,
            steps=stream,
            estimated_minutes=4,
            prerequisites="<p>Your account number</p>",
            locale=self.locales[lang],
        )
        return publish(self.category[lang], page)

    def video(
        self,
        title="Video: restart the router",
        lang="en",
        transcript="<p>Unplug the router and wait.</p>",
    ):
        page = VideoPage(
            title=title,
            summary="Watch how to restart the router.",
            video=document("restart-router.webm"),
            captions=document("restart-router-en.vtt"),
            transcript=transcript,
            duration_seconds=9,
            chapters=[
                {"type": "chapter", "value": {"start": "0:03", "title": "Wait"}, "id": uid()}
            ],
            locale=self.locales[lang],
        )
        return publish(self.category[lang], page)


def document(filename):
    Document = get_document_model()
    with open(MEDIA / "video" / filename, "rb") as fh:
        doc = Document(title=filename)
        doc.file.save(filename, File(fh), save=False)
        doc.save()
    return doc


def image(filename="router-lights.png"):
    Image = get_image_model()
    with open(MEDIA / "images" / filename, "rb") as fh:
        img = Image(title=filename)
        img.file.save(filename, File(fh), save=False)
        img.save()
    return img


@pytest.fixture
def tree(db):
    return Tree()


def html_direction(html):
    """(lang, dir) of the <html> element."""
    import re

    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)"', html)
    return match.groups() if match else (None, None)


INSIGHTS = "insights"
_DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


def pytest_collection_modifyitems(items):
    """Searching and reading write insights to their own database: let every test that uses
    a database use that one too."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None and not _DB_FIXTURES & set(getattr(item, "fixturenames", ())):
            continue
        kwargs = dict(marker.kwargs) if marker else {}
        args = marker.args if marker else ()
        databases = kwargs.get("databases") or ["default"]
        if databases == "__all__":
            continue
        kwargs["databases"] = [*databases, INSIGHTS] if INSIGHTS not in databases else databases
        if marker is None and (_DB_FIXTURES - {"db"}) & set(item.fixturenames):
            kwargs["transaction"] = True
        item.add_marker(pytest.mark.django_db(*args, **kwargs), append=False)


@pytest.fixture(autouse=True)
def markdown_imports_apart(settings, tmp_path):
    """Each test keeps its Markdown uploads in a folder of its own, so that what one test
    leaves behind (say, a failed browser journey) cannot fail another's clean-up check."""
    settings.MARKDOWN_IMPORT_DIR = str(tmp_path / "markdown-imports")


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test's database starts afresh, and so does what is kept from it: the engines'
    vocabulary (a server process trusts its copy for a second), whole pages, page fragments
    and the sites (kept until content changes, which a rolled-back test database does without
    a signal), and the query rules every thread keeps."""
    reset_engines()
    querying.rules_changed()
    cache.clear()
    yield
    reset_engines()
    querying.rules_changed()
    cache.clear()
