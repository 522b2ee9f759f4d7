"""GIN index on the words of ``name_folded`` for the typo-tolerant name search (PostgreSQL only).

``people.search`` filters with ``string_to_array(name_folded, ' ') && ARRAY[...]``; this index answers
that without reading the table. SQLite has no equivalent and searches the scoped rows instead.
On a large existing register, create it by hand first with ``CREATE INDEX CONCURRENTLY`` and the same
name; this migration then finds it and does nothing.
"""

from django.db import migrations

INDEX = "resident_name_words_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_resident USING gin (string_to_array(name_folded, ' '))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("people", "0003_resident_merge_and_duplicate_review")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
