"""Sends the insights (what customers searched for, opened, read and voted) to their own
database, with the query vectors every process shares (written off the request path too).

``settings.INSIGHTS_DATABASE`` names it: "insights" when it is apart from the content,
"default" when they share one. Everything else stays where it is.
"""

from django.conf import settings

INSIGHTS_MODELS = {
    "search.searchquerylog",
    "search.searchclick",
    "search.searchterm",
    "search.searchdailystat",
    "search.pagesearchstat",
    "kb.pagefeedback",
    "kb.ratelimitcounter",
    "home.pageviewday",
    "search.keptqueryvector",
}
# The tables some of them had in the content's database before they moved (and were made
# anew, under these names, in the insights'): the migrations that made those stay there.
CONTENT_TABLES_BEFORE = {"kb_pagefeedback", "kb_ratelimitcounter", "home_pageviewday"}


def is_insights(model):
    return model._meta.label_lower in INSIGHTS_MODELS


def insights_database():
    return settings.INSIGHTS_DATABASE


class InsightsRouter:
    def db_for_read(self, model, **hints):
        if is_insights(model):
            return insights_database()
        # Reached from an insights row (a term's user): it lives with the content.
        instance = hints.get("instance")
        if instance is not None and is_insights(instance):
            return "default"
        return None

    db_for_write = db_for_read

    def allow_relation(self, obj1, obj2, **hints):
        # A term's "changed by" names a user of the content database by id.
        if is_insights(obj1) or is_insights(obj2):
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        insights = insights_database()
        if insights == "default":
            return None
        model = hints.get("model")
        before = model is not None and model._meta.db_table in CONTENT_TABLES_BEFORE
        if not before and f"{app_label}.{model_name}" in INSIGHTS_MODELS:
            return db == insights
        if db == insights:
            return False  # the content's tables and data migrations stay in the content's
        return None
