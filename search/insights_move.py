"""Moves the insights an upgraded site still has in its content database to where they live
now (search/db_router.py): the query log and its figures (before the insights had a database
of their own), votes, daily page views and rate-limit counters (before they moved with them).

Each old table is copied once and then dropped, in transactions that commit the copy before
the drop: run again, there is nothing left to copy. Ids are given anew (the insights database
may already have rows of its own) and the rows that point at them follow; a row that is
already there (same key, same term, same page and day) is not copied twice, and counts per
day are added up. Runs when the insights database has been migrated (search/apps.py), so
`migrate_insights`, `make run`, `make serve` and `load_demo` do it, and plain `migrate` when
the insights share the content's database.
"""

import logging
import sys
from dataclasses import dataclass

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import F
from django.utils import timezone

from .db_router import insights_database

logger = logging.getLogger(__name__)

_CHUNK = 500


@dataclass(frozen=True)
class Move:
    label: str
    table: str = ""  # its old table, when not the model's own
    match: tuple = ()  # fields naming a row that may already be there
    add: tuple = ()  # counts added to that row
    copy: bool = True  # False: not worth keeping (rate-limit counters expire in an hour)


# In the order rows point at each other: a log before its clicks, a term before its days.
MOVES = (
    Move("search.SearchQueryLog", match=("key",)),
    Move("search.SearchClick", match=("log_id", "rank")),
    Move("search.SearchTerm", match=("locale", "normalized")),
    Move("search.SearchDailyStat", match=("date", "term_id")),
    Move("search.PageSearchStat", match=("page_id", "date"), add=("shown",)),
    Move("kb.PageFeedback", "kb_pagefeedback", ("page_id", "visit")),
    Move("home.PageViewDay", "home_pageviewday", ("page_id", "day"), ("views", "contact_requests")),
    Move("kb.RateLimitCounter", "kb_ratelimitcounter", copy=False),
)


def _tables(alias):
    with connections[alias].cursor() as cursor:
        return set(connections[alias].introspection.table_names(cursor))


def _pending(source_tables, target_tables, insights):
    """(move, model, old table) for each old table still in the content's database."""
    for move in MOVES:
        model = apps.get_model(move.label)
        table = move.table or model._meta.db_table
        if table == model._meta.db_table and insights == DEFAULT_DB_ALIAS:
            continue  # the insights share the content's database: this is the live table
        if table in source_tables and model._meta.db_table in target_tables:
            yield move, model, table


def move_old_insights():
    """Copy every old table's rows over and drop it; returns {model label: rows copied}."""
    insights = insights_database()
    if insights not in connections or DEFAULT_DB_ALIAS not in connections:
        return {}
    pending = list(_pending(_tables(DEFAULT_DB_ALIAS), _tables(insights), insights))
    if not pending:
        return {}
    copied, ids, days = {}, {}, set()
    with transaction.atomic(using=DEFAULT_DB_ALIAS), transaction.atomic(using=insights):
        for move, model, table in pending:
            if move.copy:
                ids[model] = {}
                copied[move.label], logged = _copy(move, model, table, ids, insights)
                if move.label == "search.SearchQueryLog":
                    days = logged
        source = connections[DEFAULT_DB_ALIAS]
        with source.cursor() as cursor:
            for _move, _model, table in reversed(pending):  # children before parents
                cursor.execute(f"DROP TABLE {source.ops.quote_name(table)}")
    if days:
        # The copied searches count in the daily figures the reports read.
        from .reports import rollup

        for day in sorted(days):
            rollup.rollup_day(day)
    return copied


def _copy(move, model, table, ids, insights):
    source = connections[DEFAULT_DB_ALIAS]
    with source.cursor() as cursor:
        present = {c.name for c in source.introspection.get_table_description(cursor, table)}
    fields = [f for f in model._meta.concrete_fields if f.column in present]
    columns = ", ".join(source.ops.quote_name(f.column) for f in fields)
    # A raw query through the model converts each value as the ORM does (dates, JSON).
    old_rows = model.objects.using(DEFAULT_DB_ALIAS).raw(
        f"SELECT {columns} FROM {source.ops.quote_name(table)} ORDER BY id"  # noqa: S608 - names from the schema
    )
    targets = model.objects.using(insights)
    pointers = [f for f in fields if f.is_relation and f.related_model in ids]
    count, batch, days = 0, [], set()
    for old in old_rows.iterator():
        values = {f.attname: getattr(old, f.attname) for f in fields if not f.primary_key}
        for field in pointers:
            values[field.attname] = ids[field.related_model].get(values[field.attname])
        if any(values[f.attname] is None for f in pointers):
            continue  # what it belonged to was not kept
        wanted = {name: values.get(name) for name in move.match}
        existing = None
        if wanted and all(value not in (None, "") for value in wanted.values()):
            existing = targets.filter(**wanted).values_list("pk", flat=True).first()
        if existing is not None:
            if move.add:
                targets.filter(pk=existing).update(**{n: F(n) + values[n] for n in move.add})
            ids[model][old.pk] = existing
            continue
        batch.append((old.pk, model(**values)))
        if values.get("created_at"):
            days.add(timezone.localdate(values["created_at"]))
        if len(batch) >= _CHUNK:
            count += _insert(model, batch, ids, insights)
            batch = []
    return count + _insert(model, batch, ids, insights), days


def _insert(model, batch, ids, insights):
    created = model.objects.using(insights).bulk_create([row for _pk, row in batch])
    for (old_pk, _row), new in zip(batch, created, strict=True):
        ids[model][old_pk] = new.pk
    return len(created)


def report(copied):
    """One line saying what was moved, for the commands that run the move."""
    if not copied:
        return ""
    parts = ", ".join(f"{count} {label}" for label, count in copied.items())
    return f"Copied the old insights from the content database: {parts}."


def after_migrate(using, verbosity=1, stdout=None, **kwargs):
    """post_migrate: once the insights database is migrated (`migrate_insights`, or `migrate`
    when the insights share the content's database), move what is left to move."""
    if using != insights_database():
        return
    try:
        message = report(move_old_insights())
    except DatabaseError:  # the content's database is not migrated yet: the next run does it
        logger.warning("Old insights not moved yet", exc_info=True)
        return
    if message and verbosity:
        (stdout or sys.stdout).write(message + "\n")  # where `migrate` says what it did
