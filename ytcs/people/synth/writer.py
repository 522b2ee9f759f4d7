"""Bulk loading of households and residents: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.

Primary keys are reserved up front (sequence values on PostgreSQL, ``MAX(id)`` under the write lock on
SQLite), so ``Household.head`` is written together with the household: both databases create Django's
foreign keys ``DEFERRABLE INITIALLY DEFERRED``, so the head may be inserted later in the same transaction.
Columns the generator does not fill take the model field's default, so a field added later with a default
does not break the bulk path.
"""

from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Model


class BulkWriter:
    def __init__(self) -> None:
        self.vendor = connection.vendor
        self._next_id: dict[type[Model], int] = {}

    def reserve_ids(self, model: type[Model], count: int) -> np.ndarray:
        """``count`` primary keys no other row has or will get."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
                )
                return np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)
            if model not in self._next_id:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                self._next_id[model] = cursor.fetchone()[0] + 1
        start = self._next_id[model]
        self._next_id[model] = start + count
        return np.arange(start, start + count, dtype=np.int64)

    def write(self, model: type[Model], columns: dict[str, Sequence[Any] | Any], count: int) -> None:
        """Insert ``count`` rows; ``columns`` maps attnames to per-row sequences or to one value for all rows."""
        names, values = [], []
        for field in model._meta.concrete_fields:
            if field.attname in columns:
                value = columns[field.attname]
            elif field.has_default() or field.null:
                value = field.get_db_prep_save(field.get_default(), connection) if field.has_default() else None
            else:
                raise ValueError(f"bulk writer has no value for {model.__name__}.{field.attname}")
            names.append(field.column)
            values.append(value if isinstance(value, list | np.ndarray | tuple) else repeat(value, count))
        self._insert(model._meta.db_table, names, zip(*values, strict=False))

    def _insert(self, table: str, names: list[str], rows: Iterable[tuple]) -> None:
        quote = connection.ops.quote_name
        cols = ", ".join(quote(n) for n in names)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(table)} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(names))
                cursor.executemany(f"INSERT INTO {quote(table)} ({cols}) VALUES ({marks})", rows)  # noqa: S608
