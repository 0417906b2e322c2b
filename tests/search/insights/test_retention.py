"""Old search data is deleted on schedule; the daily figures agree with the log."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from search.models import SearchClick, SearchDailyStat, SearchQueryLog, SearchTerm
from search.reports import rollup


def search_and_click(query):
    visitor = Client()
    html = visitor.get("/en/search/", {"q": query}).content.decode()
    if 'href="/go/' in html:
        visitor.get("/go/" + html.split('href="/go/')[1].split('"')[0].replace("&amp;", "&"))


def age(queryset, days):
    when = timezone.now() - timedelta(days=days)
    queryset.update(created_at=when, updated_at=when)


@pytest.mark.django_db
def test_purge_deletes_only_what_is_older_than_the_retention(content, settings):
    settings.SEARCH_LOG_RETENTION_DAYS = 30
    search_and_click("invoice")
    search_and_click("lost keys")
    age(SearchQueryLog.objects.filter(query="invoice"), 45)
    rollup.refresh(force=True)
    assert SearchDailyStat.objects.count() == 2
    out = StringIO()
    call_command("search_log_purge", stdout=out)
    assert "Deleted 1 logged searches" in out.getvalue()
    assert list(SearchQueryLog.objects.values_list("query", flat=True)) == ["lost keys"]
    assert SearchClick.objects.count() == 0  # the old search's click went with it
    assert list(SearchTerm.objects.values_list("normalized", flat=True)) == ["lost key"]
    assert SearchDailyStat.objects.count() == 1


@pytest.mark.django_db
def test_purge_keeps_terms_a_manager_decided_on(content):
    search_and_click("lost keys")
    rollup.refresh(force=True)
    SearchTerm.objects.update(status=SearchTerm.IGNORED)
    age(SearchQueryLog.objects.all(), 10)
    SearchDailyStat.objects.update(date=timezone.localdate() - timedelta(days=10))
    call_command("search_log_purge", "--days", "5", stdout=StringIO())
    assert SearchQueryLog.objects.count() == 0
    assert SearchTerm.objects.get().status == SearchTerm.IGNORED


@pytest.mark.django_db
def test_purge_dry_run_and_bad_arguments(content):
    search_and_click("invoice")
    age(SearchQueryLog.objects.all(), 500)
    out = StringIO()
    call_command("search_log_purge", "--dry-run", stdout=out)
    assert "Would delete 1 logged searches" in out.getvalue()
    assert SearchQueryLog.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("search_log_purge", "--days", "0")


@pytest.mark.django_db
def test_daily_figures_agree_with_the_log(content):
    for query in ("invoice", "invoice", "card", "lost keys", "lost keys", "parking"):
        search_and_click(query) if query == "invoice" else Client().get("/en/search/", {"q": query})
    age(SearchQueryLog.objects.filter(query="parking"), 3)
    rollup.refresh(force=True)
    rollup.refresh(force=True)  # running again changes nothing
    stats = SearchDailyStat.objects.all()
    assert sum(s.searches for s in stats) == SearchQueryLog.objects.count() == 6
    assert (
        sum(s.failed for s in stats) == SearchQueryLog.objects.filter(result_count=0).count() == 3
    )
    assert sum(s.clicked for s in stats) == 2
    assert sum(s.no_click for s in stats) == 1  # "card" found results, none opened
    three_days_ago = timezone.localdate(timezone.now() - timedelta(days=3))  # across DST too
    assert stats.filter(date=three_days_ago).count() == 1
