"""Who reads what customers tell us, and who posts service announcements.

Search managers and reviewers read page feedback and the helpfulness report (how well the
help works). Reviewers, the senior service staff, also handle contact requests: they read
them and set their status and notes. Search managers do not see contact requests: those hold
customers' names and addresses, which improving search does not need.

Editors, the service staff who know of an outage first, post service announcements (before,
only reviewers could).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
REVIEWERS = "Reviewers"
SEARCH_MANAGERS = "Search managers"
PERMISSIONS = {
    EDITORS: [
        ("home", "add_serviceannouncement"),
        ("home", "change_serviceannouncement"),
        ("home", "delete_serviceannouncement"),
    ],
    REVIEWERS: [
        ("kb", "view_pagefeedback"),
        ("kb", "view_contactrequest"),
        ("kb", "change_contactrequest"),
    ],
    SEARCH_MANAGERS: [("kb", "view_pagefeedback")],
}


def _permissions(apps, pairs):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
        for app_label, codename in pairs
    ]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; these are needed now.
    for label in ("kb", "home"):
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    for name, pairs in PERMISSIONS.items():
        group = Group.objects.get(name=name)  # made by 0001 and search's 0004
        group.permissions.add(*_permissions(apps, pairs))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, pairs in PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(*_permissions(apps, pairs))


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_roles_and_review_workflow"),
        ("kb", "0003_feedback_and_contact"),
        ("home", "0003_reusable_answers_and_review_dates"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
