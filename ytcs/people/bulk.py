"""Fast inserts for the import: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.

``bulk_create`` spends most of its time compiling one parameter per field per row; for 100,000
residents with 35 columns that alone passes the import's 60-second budget. Rows here are plain dicts
keyed by attribute name; fields a row does not give take the model field's default. Ids are taken
from the table's sequence first (PostgreSQL) or after the current maximum inside the write
transaction (SQLite, whose writer lock is held from the transaction's start), so callers know them.
Only for callers that have validated the rows and hold a transaction.
"""

import datetime
from typing import Any

from django.db import connection, models


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [table, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608 - table name from model meta
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def _defaults(model: type[models.Model], fields: list[models.Field]) -> dict[str, Any]:
    now = datetime.datetime.now(tz=datetime.UTC)
    values = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            values[f.attname] = now
        elif f.has_default():
            values[f.attname] = f.get_default()
        else:
            values[f.attname] = None if f.null else ("" if isinstance(f, models.CharField | models.TextField) else None)
    return values


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def fast_insert(model: type[models.Model], rows: list[dict[str, Any]], *, with_ids: bool = False) -> None:
    """Insert ``rows`` (attname → value) into ``model``'s table; ``with_ids`` when each row carries ``id``."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if with_ids or not f.primary_key]
    defaults = _defaults(model, fields)
    names = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[n] if n in row else defaults[n] for n in names])
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                               [[_sqlite_value(row[n] if n in row else defaults[n]) for n in names] for row in rows])
