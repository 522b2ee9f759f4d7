"""Keeping ``WeeklyCount`` equal to its sources: case reports and weekly aggregate lines.

Every write to a source recounts the (commune, disease, week) cells it touched,
inside the writer's transaction and under a row lock on the cell, so the
weekly job reads a table that is already right. ``rebuild_weekly_counts`` does
the same for a whole period in set-based SQL (imports, repairs, benchmarks).
"""

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction

from ytcs.surveillance.models import AggregateReport, CaseReport, Classification, WeeklyCount

Cell = tuple[int, int, dt.date]  # (commune id, disease id, week start)


def refresh_cells(cells: Iterable[Cell]) -> None:
    """Recount each cell from its sources; a cell with no source left is removed. Call inside a transaction."""
    for unit_id, disease_id, week in sorted(set(cells)):
        cell, _ = WeeklyCount.objects.get_or_create(unit_id=unit_id, disease_id=disease_id, week_start=week)
        cell = WeeklyCount.objects.select_for_update().get(pk=cell.pk)
        case_reports = (
            CaseReport.objects.filter(commune_id=unit_id, disease_id=disease_id, week_start=week)
            .exclude(classification=Classification.DISCARDED)
            .count()
        )
        aggregate = (
            AggregateReport.objects.filter(unit_id=unit_id, disease_id=disease_id, week_start=week)
            .values_list("cases", flat=True)
            .first()
        )
        if case_reports == 0 and aggregate is None:
            cell.delete()
            continue
        cell.case_reports = case_reports
        cell.aggregate_cases = aggregate
        cell.count = max(case_reports, aggregate or 0)
        cell.save(update_fields=["case_reports", "aggregate_cases", "count"])


@transaction.atomic
def rebuild_weekly_counts(*, unit_ids: Iterable[int] | None = None) -> int:
    """Recompute every cell (of ``unit_ids``, or all) from the sources in two set-based statements.

    Returns the number of cells written. The SQL is the same on SQLite and
    PostgreSQL (``INSERT ... SELECT ... ON CONFLICT``).
    """
    units = list(unit_ids) if unit_ids is not None else None
    cells = WeeklyCount.objects.all()
    if units is not None:
        cells = cells.filter(unit_id__in=units)
    cells.delete()
    table = WeeklyCount._meta.db_table
    lines, cases = AggregateReport._meta.db_table, CaseReport._meta.db_table
    where_lines, where_cases, params_lines, params_cases = "", "", [], []
    if units is not None:
        marks = ",".join(["%s"] * len(units)) or "NULL"
        where_lines, where_cases = f" AND unit_id IN ({marks})", f" AND commune_id IN ({marks})"
        params_lines = params_cases = units
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, disease_id, week_start, case_reports, aggregate_cases, count) "  # noqa: S608
            f"SELECT unit_id, disease_id, week_start, 0, cases, cases FROM {lines} WHERE 1 = 1{where_lines}",
            params_lines,
        )
        cursor.execute(
            f"INSERT INTO {table} (unit_id, disease_id, week_start, case_reports, aggregate_cases, count) "  # noqa: S608
            f"SELECT commune_id, disease_id, week_start, COUNT(*), NULL, COUNT(*) FROM {cases} "
            f"WHERE classification <> %s{where_cases} GROUP BY commune_id, disease_id, week_start "
            f"ON CONFLICT (unit_id, disease_id, week_start) DO UPDATE SET case_reports = excluded.case_reports, "
            f"count = CASE WHEN excluded.case_reports > {table}.count THEN excluded.case_reports "
            f"ELSE {table}.count END",
            [Classification.DISCARDED, *params_cases],
        )
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table}")
    return WeeklyCount.objects.filter(unit_id__in=units).count() if units is not None else WeeklyCount.objects.count()


def cells_of_cases(cases: Iterable[CaseReport]) -> list[Cell]:
    return [(c.commune_id, c.disease_id, c.week_start) for c in cases]

