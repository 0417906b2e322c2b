"""Editors write and submit, Reviewers approve and publish, Search managers read reports.

Page permissions and the "Review" workflow are given at the root of the page tree, so they
cover every language's home page and anything added later (the home pages themselves are
created after migrating, by the demo loader or by hand). Reusable answers share the workflow.
"""

from django.db import migrations

EDITORS = "Editors"
REVIEWERS = "Reviewers"
SEARCH_MANAGERS = "Search managers"

PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    REVIEWERS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    EDITORS: [
        ("wagtailimages", "image", ["add", "change", "choose"]),
        ("wagtaildocs", "document", ["add", "change", "choose"]),
    ],
    REVIEWERS: [
        ("wagtailimages", "image", ["add", "change", "choose", "delete"]),
        ("wagtaildocs", "document", ["add", "change", "choose", "delete"]),
    ],
}
# Service announcements go live without review, so only reviewers manage them.
MODEL_PERMISSIONS = {
    EDITORS: [
        ("wagtailadmin", "admin", ["access_admin"]),
        ("home", "reusableanswer", ["add_reusableanswer", "change_reusableanswer", "view_reusableanswer"]),
        ("simple_translation", "simpletranslation", ["submit_translation"]),
    ],
    REVIEWERS: [
        ("wagtailadmin", "admin", ["access_admin"]),
        (
            "home",
            "reusableanswer",
            [
                "add_reusableanswer",
                "change_reusableanswer",
                "delete_reusableanswer",
                "view_reusableanswer",
                "publish_reusableanswer",
                "lock_reusableanswer",
                "unlock_reusableanswer",
            ],
        ),
        (
            "home",
            "serviceannouncement",
            ["add_serviceannouncement", "change_serviceannouncement", "delete_serviceannouncement"],
        ),
        ("simple_translation", "simpletranslation", ["submit_translation"]),
    ],
    SEARCH_MANAGERS: [("wagtailadmin", "admin", ["access_admin"])],
}


def permission(apps, app_label, model, codename):
    # Permissions are normally made after all migrations (post_migrate); make them now.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    perm, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return perm


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (EDITORS, REVIEWERS)}
    # The search app's migration creates (and owns) the search managers' group.
    groups[SEARCH_MANAGERS] = Group.objects.get(name=SEARCH_MANAGERS)
    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()

    for name, codenames in PAGE_PERMISSIONS.items():
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=groups[name], page=root_page, permission=permission(apps, "wagtailcore", "page", codename)
            )
    for name, specs in COLLECTION_PERMISSIONS.items():
        for app_label, model, actions in specs:
            for action in actions:
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name],
                    collection=root_collection,
                    permission=permission(apps, app_label, model, f"{action}_{model}"),
                )
    for name, specs in MODEL_PERMISSIONS.items():
        for app_label, model, codenames in specs:
            groups[name].permissions.add(*(permission(apps, app_label, model, c) for c in codenames))

    task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name="Reviewer approval").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name="Reviewer approval", content_type=task_type, active=True)
    task.groups.add(groups[REVIEWERS])
    workflow, _ = Workflow.objects.get_or_create(name="Review", defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    # Replaces Wagtail's default "Moderators approval" at the root, which left out Reviewers.
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
    answer_type, _ = ContentType.objects.get_or_create(app_label="home", model="reusableanswer")
    WorkflowContentType.objects.update_or_create(content_type=answer_type, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_search_managers_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("simple_translation", "0001_initial"),
        ("home", "0003_reusable_answers_and_review_dates"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
