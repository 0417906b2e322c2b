"""Run by test_rebuild_workers.py (``python -m tests.search.rebuild_in_workers``) in a process
of its own, on the test's pages copied into a database file (DATABASE_URL), as on a site:
the same pages rebuilt by this process alone and with worker processes, then with a page
that cannot be read; prints what each gave as JSON."""

import hashlib
import json
import os
from unittest import mock

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from django.db import connections  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from kb.models import ArticlePage, CategoryPage  # noqa: E402
from search import rebuild_workers  # noqa: E402
from search.engines import get_engine  # noqa: E402
from search.engines.base import EngineQuery  # noqa: E402
from search.engines.sqlite.schema import INDEX_TABLES  # noqa: E402
from search.indexing import rebuild  # noqa: E402
from tests.conftest import publish  # noqa: E402

FAILING_TITLE = "This page breaks its worker"


def index_digest(engine):
    digest = hashlib.sha256()
    with connections[engine.database].cursor() as cursor:
        for table in INDEX_TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1, 2")  # noqa: S608 - constants
            digest.update(repr(cursor.fetchall()).encode())
    return digest.hexdigest()


def found(engine, text, lang):
    return [h.document.title for h in engine.search(EngineQuery(text=text, locale=lang)).hits]


def documents_or_fail(page, categories=None):
    with open(os.environ["READ_LOG"], "a") as log:  # which processes read pages
        log.write(f"{os.getpid()}\n")
    if page.title == FAILING_TITLE:
        raise RuntimeError("the page could not be read")
    return real_documents(page, categories)


real_documents = rebuild_workers.documents_for_page


def readers():
    with open(os.environ["READ_LOG"]) as log:
        pids = {int(line) for line in log}
    os.remove(os.environ["READ_LOG"])
    return sorted({"this process" if pid == os.getpid() else "another" for pid in pids}), len(pids)


def main():
    out = {}
    engine = get_engine()
    reading = mock.patch.object(rebuild_workers, "documents_for_page", documents_or_fail)
    with reading, override_settings(SEARCH_REBUILD_WORKERS=0):
        out["alone"] = {"count": rebuild(engine), "digest": index_digest(engine)}
        out["alone"]["readers"] = readers()
    several = override_settings(SEARCH_REBUILD_WORKERS=2, SEARCH_REBUILD_WORKERS_FROM=1)
    with reading, several, mock.patch.object(rebuild_workers, "CHUNK_PAGES", 3):
        out["workers"] = {"count": rebuild(engine), "digest": index_digest(engine)}
        out["workers"]["readers"] = readers()
        out["found"] = (
            found(engine, "router light 7", "en")[:1] + found(engine, "חשבונית 5", "he")[:1]
        )
        category = CategoryPage.objects.filter(locale__language_code="en").first()
        page = ArticlePage(title=FAILING_TITLE, summary="Read me.", locale=category.locale)
        publish(category, page)  # indexed as it is published
        out["before_failure"] = index_digest(engine)
        try:
            rebuild(engine)
        except Exception as error:  # noqa: BLE001 - reported to the test
            out["failed"] = f"{type(error).__name__}: {error}"
        out["after_failure"] = index_digest(engine)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
