"""Votes and rate-limit counters move to the insights database (search/db_router.py).

They are made anew there under new table names; the old tables stay behind in the content's
database, where `manage.py migrate_insights` copies their rows over once and drops them
(search/insights_move.py).
"""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("kb", "0005_merge_parallel_work"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="PageFeedback"),
                migrations.DeleteModel(name="RateLimitCounter"),
            ],
        ),
        migrations.CreateModel(
            name="PageFeedback",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("page_id", models.PositiveBigIntegerField(db_index=True, verbose_name="page")),
                ("helpful", models.BooleanField(verbose_name="helpful")),
                ("reason", models.CharField(blank=True, choices=[("outdated", "It is out of date"), ("unclear", "It is hard to understand"), ("not_solved", "It didn't solve my problem"), ("other", "Something else")], max_length=20, verbose_name="reason")),
                ("comment", models.TextField(blank=True, max_length=1000, verbose_name="comment")),
                ("step", models.PositiveSmallIntegerField(blank=True, help_text="For step-by-step guides: the step the customer said did not work.", null=True, verbose_name="step that did not work")),
                ("language", models.CharField(choices=[("en", "English"), ("he", "Hebrew")], max_length=10, verbose_name="language")),
                ("client", models.CharField(db_index=True, editable=False, max_length=32)),
                ("visit", models.CharField(blank=True, default="", editable=False, max_length=32)),
                ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="given at")),
            ],
            options={
                "verbose_name": "page feedback",
                "verbose_name_plural": "page feedback",
                "db_table": "kb_page_feedback",
                "ordering": ["-created_at"],
                "constraints": [models.UniqueConstraint(condition=models.Q(("visit", ""), _negated=True), fields=("page_id", "visit"), name="kb_page_feedback_one_per_visit")],
            },
        ),
        migrations.CreateModel(
            name="RateLimitCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("scope", models.CharField(max_length=20)),
                ("client", models.CharField(max_length=32)),
                ("window_start", models.DateTimeField(db_index=True)),
                ("count", models.PositiveIntegerField(default=0)),
            ],
            options={
                "db_table": "kb_rate_limit_counter",
                "constraints": [models.UniqueConstraint(fields=("scope", "client"), name="kb_rate_limit_one_counter")],
            },
        ),
    ]
