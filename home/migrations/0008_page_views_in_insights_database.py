"""Daily page views move to the insights database (search/db_router.py), made anew there
under a new table name; `manage.py migrate_insights` copies the old table's rows over once
and drops it (search/insights_move.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("home", "0007_merge_contact_details_and_page_views"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PageViewDay")],
        ),
        migrations.CreateModel(
            name="PageViewDay",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("page_id", models.PositiveBigIntegerField(verbose_name="page")),
                ("day", models.DateField(db_index=True, verbose_name="day")),
                ("views", models.PositiveIntegerField(default=0, verbose_name="views")),
                ("contact_requests", models.PositiveIntegerField(default=0, verbose_name="contact requests after")),
            ],
            options={
                "verbose_name": "page views on a day",
                "db_table": "home_page_view_day",
                "constraints": [models.UniqueConstraint(fields=("page_id", "day"), name="home_page_view_one_per_day")],
            },
        ),
    ]
