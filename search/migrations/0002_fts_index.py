from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from search.engines.sqlite.schema import create_schema

    with schema_editor.connection.cursor() as cursor:
        create_schema(cursor)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from search.engines.sqlite.schema import drop_schema

    with schema_editor.connection.cursor() as cursor:
        drop_schema(cursor)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
