"""The "Search managers" group: sees the search reports and fixes failed searches.

This migration is the one place the group is created; the editorial roles' migrations run
after it and give the group what else it may do (search.reports.access names it).

Its members may enter the admin, read the search reports, manage synonyms and promoted
results, and start (not publish) draft pages, which the "start a draft article" fix needs.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Search managers"
SEARCH_PERMISSIONS = [
    "view_search_insights",
    *(
        f"{action}_{model}"
        for model in ("synonymgroup", "promotedresult")
        for action in ("add", "change", "delete", "view")
    ),
]
PAGE_PERMISSIONS = ["add_page", "change_page"]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations; this one needs them now.
    for label in ("search", "wagtailcore"):
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    group, _ = Group.objects.get_or_create(name=GROUP)
    permissions = Permission.objects.filter
    group.permissions.add(
        *permissions(content_type__app_label="search", codename__in=SEARCH_PERMISSIONS),
        *permissions(content_type__app_label="wagtailadmin", codename="access_admin"),
    )
    root = Page.objects.filter(depth=1).first()
    if root is not None:
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
        ):
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_search_insights"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
