"""Make the audit tables append-only inside the database, not only in the ORM.

PostgreSQL: a row trigger refuses UPDATE and DELETE. There is deliberately no
TRUNCATE trigger: the test runner empties tables with TRUNCATE between
transactional tests, and TRUNCATE needs table ownership, which the production
role should not have (docs/security.md).

SQLite: a trigger refuses UPDATE. DELETE is not refused there, because Django's
test flush empties tables with DELETE; the embedded database is for demos and a
single station, and the ORM refuses deletes anyway.
"""

from django.db import migrations

TABLES = ("audit_auditevent", "audit_auditsubject")

PG_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit rows are append-only (% on %)', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    *(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()"
        for table in TABLES
    ),
]
PG_REVERSE = [
    *(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}" for table in TABLES),
    "DROP FUNCTION IF EXISTS audit_refuse_change()",
]
SQLITE_FORWARD = [
    f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
    "BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END"
    for table in TABLES
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {table}_no_update" for table in TABLES]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_add_logout_action"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
