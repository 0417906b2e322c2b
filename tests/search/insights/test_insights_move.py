"""An upgraded site keeps its insights: what its content database still holds (the query log
and its figures from before the insights had a database, votes and page views from before
they moved) is copied once into the insights database, on SQLite files as in production."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from home.models import PageViewDay
from kb.feedback import PageFeedback
from search.models import SearchClick, SearchDailyStat, SearchQueryLog, SearchTerm

from .test_write_path import file_databases  # noqa: F401 - the fixture

OLD_TABLES = ["kb_pagefeedback", "home_pageviewday", "search_searchclick", "search_searchquerylog"]


def old_content_tables(page_id, day, at):
    """The tables and rows an upgraded content database still has."""
    content = connections["default"]
    with content.schema_editor() as editor:
        editor.create_model(SearchQueryLog)
        editor.create_model(SearchClick)
    with content.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE kb_pagefeedback (id integer PRIMARY KEY, page_id bigint, helpful bool,"
            " reason varchar(20), comment text, step smallint, language varchar(10),"
            " client varchar(32), visit varchar(32), created_at datetime)"
        )
        cursor.execute(
            "CREATE TABLE home_pageviewday (id integer PRIMARY KEY, page_id bigint, day date,"
            " views integer, contact_requests integer)"
        )
        votes = [
            (1, page_id, False, "unclear", "Old comment", None, "en", "c", "v1", at),
            (2, page_id, True, "", "", None, "en", "c", "v2", at),
        ]
        cursor.executemany(
            "INSERT INTO kb_pagefeedback VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", votes
        )
        cursor.execute(
            "INSERT INTO home_pageviewday VALUES (1, %s, %s, 3, 1)", [page_id, day.isoformat()]
        )
    log = SearchQueryLog.objects.using("default").create(
        query="old invoice",
        normalized="old invoic",
        locale="en",
        result_count=1,
        session_key="old",
        click_count=1,
        created_at=at,
        updated_at=at,
    )
    SearchClick.objects.using("default").create(log=log, rank=1, url="/en/x/", created_at=at)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_old_insights_are_copied_once(content, file_databases):  # noqa: F811
    at = timezone.now() - timedelta(days=3)
    day = timezone.localdate(at)
    page_id = 4242
    # What the insights database already got since the upgrade: ids overlap the old ones.
    SearchQueryLog.objects.create(
        key="new", query="router", normalized="router", locale="en", result_count=2,
        session_key="new", created_at=at, updated_at=at,
    )  # fmt: skip
    PageFeedback.objects.create(
        page_id=page_id, helpful=True, language="en", client="c", visit="v1"
    )
    PageViewDay.objects.create(page_id=page_id, day=day, views=2)
    old_content_tables(page_id, day, at)

    out = StringIO()
    call_command("migrate_insights", stdout=out)
    assert "Copied the old insights from the content database" in out.getvalue()
    assert "1 search.SearchQueryLog, 1 search.SearchClick" in out.getvalue()
    assert "1 kb.PageFeedback" in out.getvalue()  # v1 had voted again since: kept once

    old_log = SearchQueryLog.objects.get(query="old invoice")
    assert old_log.clicks.get().url == "/en/x/"
    assert SearchQueryLog.objects.count() == 2
    assert sorted(PageFeedback.objects.values_list("visit", "helpful")) == [
        ("v1", True),
        ("v2", True),
    ]
    row = PageViewDay.objects.get(page_id=page_id, day=day)
    assert (row.views, row.contact_requests) == (5, 1)
    # The copied searches count in the reports' daily figures.
    term = SearchTerm.objects.get(normalized="old invoic")
    assert SearchDailyStat.objects.get(term=term, date=day).searches == 1
    content_tables = set(connections["default"].introspection.table_names())
    assert not content_tables & set(OLD_TABLES)

    again = StringIO()
    call_command("migrate_insights", stdout=again)
    assert "Copied" not in again.getvalue()
    assert SearchQueryLog.objects.count() == 2 and PageFeedback.objects.count() == 2
    assert PageViewDay.objects.get(page_id=page_id, day=day).views == 5
