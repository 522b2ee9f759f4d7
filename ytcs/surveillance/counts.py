"""Keeping ``WeeklyCount`` equal to its sources: case reports and weekly aggregate lines.

Every write to a source recounts the (commune, disease, week) cells it touched,
inside the writer's transaction and under a row lock on the cell, so the
weekly job reads a table that is already right. ``rebuild_weekly_counts`` does
the same for a whole period in set-based SQL (imports, repairs, benchmarks).
"""

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count

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
    """Recompute every cell (of ``unit_ids``, or all) from the sources in bulk; returns the cells written."""
    units = list(unit_ids) if unit_ids is not None else None
    old = WeeklyCount.objects.all()
    cases = CaseReport.objects.exclude(classification=Classification.DISCARDED)
    lines = AggregateReport.objects.all()
    if units is not None:
        old, cases, lines = old.filter(unit_id__in=units), cases.filter(commune_id__in=units), lines.filter(
            unit_id__in=units
        )
    old.delete()
    cells: dict[Cell, list] = {}
    for row in cases.values("commune_id", "disease_id", "week_start").annotate(n=Count("id")).order_by():
        cells[(row["commune_id"], row["disease_id"], row["week_start"])] = [row["n"], None]
    for unit_id, disease_id, week, n in lines.values_list("unit_id", "disease_id", "week_start", "cases").iterator(
        chunk_size=20_000
    ):
        cells.setdefault((unit_id, disease_id, week), [0, None])[1] = n
    batch: list[WeeklyCount] = []
    written = 0
    for (unit_id, disease_id, week), (n_cases, n_aggregate) in cells.items():
        batch.append(WeeklyCount(
            unit_id=unit_id, disease_id=disease_id, week_start=week, case_reports=n_cases,
            aggregate_cases=n_aggregate, count=max(n_cases, n_aggregate or 0),
        ))
        if len(batch) >= 10_000:
            written += len(WeeklyCount.objects.bulk_create(batch))
            batch = []
    written += len(WeeklyCount.objects.bulk_create(batch))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE surveillance_weeklycount")
    return written


def cells_of_cases(cases: Iterable[CaseReport]) -> list[Cell]:
    return [(c.commune_id, c.disease_id, c.week_start) for c in cases]

