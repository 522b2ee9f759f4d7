"""Weekly count series of a province, read from ``WeeklyCount`` into one numpy cube.

A week is *missing* (NaN), not zero, when nothing could have been reported:
before a unit's first report of any kind (its start on the system), before a
disease was put on the list, and, for diseases reported in aggregate, in weeks
the station sent no weekly report. After its start a unit that reports no case
of a case-reported disease had zero cases: "no report" is zero there.
"""

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.db import connection
from django.db.models import Min

from ytcs.orgunits.models import OrgUnit
from ytcs.surveillance.models import Disease, ReportingMode, WeeklyCount, WeeklyReport


@dataclass
class SeriesCube:
    """``values[u, d, t]``: count of commune ``units[u]``, disease ``diseases[d]``, week ``first_week + t``."""

    units: list[OrgUnit]
    diseases: list[Disease]
    first_week: dt.date
    values: np.ndarray

    @property
    def weeks(self) -> int:
        return self.values.shape[2]

    def week_of(self, t: int) -> dt.date:
        return self.first_week + dt.timedelta(weeks=int(t))

    def grouped(self, members: list[int]) -> np.ndarray:
        """Series (disease × week) of a group of communes: the sum, NaN where no member has data."""
        part = self.values[members]
        total = np.nansum(part, axis=0)
        total[np.all(np.isnan(part), axis=0)] = np.nan
        return total


def _week_index_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"(({column} - %s::date) / 7)"
    return f"CAST((julianday({column}) - julianday(%s)) / 7 AS INTEGER)"


def _weekly_rows(scope_path: str, first: dt.date, last: dt.date) -> np.ndarray:
    """(unit, disease, week index, count) rows of the subtree in one round trip, without model instances."""
    table, units = WeeklyCount._meta.db_table, OrgUnit._meta.db_table
    sql = (
        f"SELECT unit_id, disease_id, {_week_index_sql('week_start')}, count FROM {table} "  # noqa: S608
        f"WHERE week_start >= %s AND week_start <= %s AND unit_id IN (SELECT id FROM {units} WHERE path LIKE %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [first.isoformat(), first.isoformat(), last.isoformat(), scope_path + "%"])
        rows = cursor.fetchall()
    return np.array(rows, dtype=np.int64).reshape(-1, 4)


def _positions(ids: list[int]) -> np.ndarray:
    """Lookup array: ``lookup[id]`` is the position of ``id`` in ``ids``, -1 for ids not in it."""
    lookup = np.full(max(ids, default=0) + 1, -1, dtype=np.int64)
    lookup[ids] = np.arange(len(ids))
    return lookup


def build_cube(
    *, scope: OrgUnit, units: list[OrgUnit], diseases: list[Disease], first_week: dt.date, last_week: dt.date
) -> SeriesCube:
    """All series of ``units`` (the communes of ``scope``) and ``diseases``, with this module's missing weeks.

    ``diseases`` must come with ``group_history`` prefetched.
    """
    n_weeks = (last_week - first_week).days // 7 + 1
    unit_pos = {u.pk: i for i, u in enumerate(units)}
    disease_pos = {d.pk: i for i, d in enumerate(diseases)}
    values = np.full((len(units), len(diseases), n_weeks), np.nan)

    def index(day: dt.date) -> int:
        return (day - first_week).days // 7

    starts: dict[int, dt.date] = {}
    for model, field in ((WeeklyReport, "unit_id"), (WeeklyCount, "unit_id")):
        for row in model.objects.filter(unit_id__in=unit_pos).values(field).annotate(first=Min("week_start")):
            unit_id = row[field]
            starts[unit_id] = min(starts.get(unit_id, row["first"]), row["first"])
    case_mode = np.array([d.reporting_mode != ReportingMode.AGGREGATE for d in diseases], dtype=bool)
    for unit_id, start in starts.items():
        values[unit_pos[unit_id], case_mode, max(index(start), 0):] = 0.0
    reported = WeeklyReport.objects.filter(
        unit_id__in=unit_pos, week_start__gte=first_week, week_start__lte=last_week
    ).values_list("unit_id", "week_start")
    aggregate_mode = ~case_mode
    for unit_id, week in reported:
        values[unit_pos[unit_id], aggregate_mode, index(week)] = 0.0
    rows = _weekly_rows(scope.path, first_week, last_week)
    unit_lookup, disease_lookup = _positions(list(unit_pos)), _positions(list(disease_pos))
    rows = rows[(rows[:, 0] < len(unit_lookup)) & (rows[:, 1] < len(disease_lookup))]
    u, d = unit_lookup[rows[:, 0]], disease_lookup[rows[:, 1]]
    keep = (u >= 0) & (d >= 0)
    values[u[keep], d[keep], rows[keep, 2]] = rows[keep, 3]
    for j, disease in enumerate(diseases):
        listed_from = min((a.valid_from for a in disease.group_history.all()), default=None)
        if listed_from is not None and listed_from > first_week:
            values[:, j, : max(index(listed_from), 0)] = np.nan
    return SeriesCube(units=units, diseases=diseases, first_week=first_week, values=values)
