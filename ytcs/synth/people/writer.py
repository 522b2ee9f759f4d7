"""Bulk loading of households and residents: ``COPY`` on PostgreSQL, ``executemany`` on SQLite.

Primary keys are reserved up front (sequence values on PostgreSQL, ``MAX(id)`` under the write lock on
SQLite), so ``Household.head`` is written together with the household: both databases create Django's
foreign keys ``DEFERRABLE INITIALLY DEFERRED``, so the head may be inserted later in the same transaction.
Columns the generator does not fill take the model field's default, so a field added later with a default
does not break the bulk path.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Model


class BulkWriter:
    def __init__(self) -> None:
        self.vendor = connection.vendor
        self._next_id: dict[type[Model], int] = {}
        self._sequence: dict[type[Model], int] = {}

    def reserve_ids(self, model: type[Model], count: int) -> np.ndarray:
        """``count`` primary keys no other row has or will get."""
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                # Values drawn in one statement are contiguous unless another session draws at the same time;
                # only then is the full list fetched. The sequence is looked up once: calling
                # pg_get_serial_sequence per row made drawing 1 M ids cost ~7 s of server time.
                if model not in self._sequence:
                    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')::regclass::oid", [table])
                    self._sequence[model] = cursor.fetchone()[0]
                drawn = "SELECT nextval(%s::oid) AS v FROM generate_series(1, %s)"
                args = [self._sequence[model], count]
                cursor.execute(f"SELECT min(v), max(v) FROM ({drawn}) s", args)  # noqa: S608
                low, high = cursor.fetchone()
                if high - low + 1 == count:
                    return np.arange(low, high + 1, dtype=np.int64)
                cursor.execute(f"SELECT v FROM ({drawn}) s", args)  # noqa: S608
                return np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)
            if model not in self._next_id:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                self._next_id[model] = cursor.fetchone()[0] + 1
        start = self._next_id[model]
        self._next_id[model] = start + count
        return np.arange(start, start + count, dtype=np.int64)

    def prepare(self, model: type[Model], columns: dict[str, Sequence[Any] | Any], count: int) -> "Batch":
        """Rows ready to send, built without touching the database (safe in a worker thread).

        ``columns`` maps attnames to per-row sequences or to one value for all rows. The per-row columns come
        first and the constant ones (given once or the field's default) last: COPY takes the columns in any
        order, so the constants are formatted once and appended to every row as one suffix.
        """
        varying: list[tuple[str, Sequence[Any]]] = []
        constant: list[tuple[str, Any]] = []
        for field in model._meta.concrete_fields:
            if field.attname in columns:
                value = columns[field.attname]
            elif field.has_default() or field.null:
                value = field.get_db_prep_save(field.get_default(), connection) if field.has_default() else None
            else:
                raise ValueError(f"bulk writer has no value for {model.__name__}.{field.attname}")
            if isinstance(value, list | tuple):
                varying.append((field.column, value))
            else:
                constant.append((field.column, value))
        values, constants = [v for _, v in varying], [v for _, v in constant]
        text = _copy_text(values, constants, count) if self.vendor == "postgresql" else None
        return Batch(table=model._meta.db_table, names=[n for n, _ in varying + constant], values=values,
                     constants=constants, count=count, text=text)

    def send(self, batch: "Batch") -> None:
        quote = connection.ops.quote_name
        table, cols = quote(batch.table), ", ".join(quote(n) for n in batch.names)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    if batch.text is None:  # some value needs COPY escaping: let psycopg format row by row
                        for row in batch.rows():
                            copy.write_row(row)
                    else:
                        copy.write(batch.text)
            else:
                marks = ", ".join(["%s"] * len(batch.names))
                cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(batch.rows()))  # noqa: S608


@dataclass
class Batch:
    table: str
    names: list[str]  # the columns of ``values``, then those of ``constants``
    values: list[Sequence[Any]]  # per-row columns
    constants: list[Any]  # one value for every row
    count: int
    text: str | None  # COPY text, PostgreSQL only

    def rows(self) -> Iterator[tuple]:
        return zip(*self.values, *([c] * self.count for c in self.constants), strict=True)


def _copy_text(columns: list[Sequence[Any]], constants: list[Any], count: int) -> str | None:
    """Rows in COPY text format, built column by column with C-level joins; None if a value needs escaping."""
    texts = [
        [r"\N" if v is None else str(v) for v in col] if None in col else list(map(str, col)) for col in columns
    ]
    end = "".join("\t" + (r"\N" if c is None else str(c)) for c in constants) + "\n"
    text = end.join(map("\t".join, zip(*texts, strict=True))) + end
    clean = (
        count > 0 and len(columns) > 0
        and text.count("\\") == text.count(r"\N")
        and text.count("\t") == count * (len(columns) + len(constants) - 1)
        and text.count("\n") == count
    )
    return text if clean else None


# A load at least this large rebuilds the secondary indexes and foreign keys once instead of row by row.
REBUILD_THRESHOLD = 100_000


@contextmanager
def indexes_rebuilt_after(models: list[type[Model]], *, rows: int) -> Iterator[None]:
    """On PostgreSQL, drop the tables' secondary indexes, unique and foreign-key constraints, and re-create
    them from their own catalog definitions when the block ends.

    Must run inside the load's transaction: DDL is transactional in PostgreSQL, so a failure restores the
    schema untouched, and the schema afterwards is exactly what the migrations made. Re-adding a
    constraint validates every row in one pass, which is what makes it cheaper than per-row maintenance
    (measured in docs/benchmarks.md). The tables stay locked (ACCESS EXCLUSIVE) until commit — acceptable
    for a demo-data load, and the reason small loads skip this.
    """
    if connection.vendor != "postgresql" or rows < REBUILD_THRESHOLD:
        yield
        return
    tables = [m._meta.db_table for m in models]
    constraints, indexes = [], []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY contype DESC, conname",
                [table],
            )
            constraints += [(table, name, definition) for name, definition in cursor.fetchall()]
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) ORDER BY i.relname",
                [table],
            )
            indexes += cursor.fetchall()
        quote = connection.ops.quote_name
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # run checks queued by earlier writes, or ALTER refuses
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
        # For this transaction only: sort memory (the server's, not the synth process's) and parallel btree
        # builds, which halve each index build on 1 M rows (docs/benchmarks.md) and which a server configured
        # with max_parallel_maintenance_workers = 0 would otherwise not do.
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET LOCAL max_parallel_maintenance_workers = 2")
    yield
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in reversed(constraints):
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
