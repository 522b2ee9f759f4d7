"""Reads of the completeness page: weekly reports expected, received and on time, per station or province.

Aggregate figures (no personal data), limited to the actor's aggregate scope; each view is a fixed number of
grouped queries, pinned by tests.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from ytcs.accounts.models import User
from ytcs.accounts.scope import aggregate_scope, aggregate_units
from ytcs.core.errors import OutOfScope
from ytcs.core.text import fold
from ytcs.orgunits.models import OrgUnit
from ytcs.surveillance.models import CaseReport, WeeklyReport
from ytcs.surveillance.weeks import week_start

COMPLETENESS_PAGE_SIZE = 50


@dataclass(frozen=True)
class CompletenessRow:
    """Weekly reports and case reports of one commune station, or summed over a province's stations."""

    unit: OrgUnit
    expected: int
    received: int
    on_time: int
    cases: int
    late_cases: int
    stations: int = 1

    @property
    def completeness(self) -> float | None:
        return self.received / self.expected if self.expected else None

    @property
    def timeliness(self) -> float | None:
        return self.on_time / self.expected if self.expected else None

    @property
    def case_timeliness(self) -> float | None:
        return (self.cases - self.late_cases) / self.cases if self.cases else None


def _weeks_due(first_week: dt.date, last_week: dt.date) -> tuple[dt.date, int]:
    """The last week a report can be due for (never the current week) and how many weeks are due per station."""
    last_week = min(last_week, week_start(timezone.localdate()) - dt.timedelta(weeks=1))
    return last_week, max((last_week - first_week).days // 7 + 1, 0)


def _tallies(stations: QuerySet | list, first_week: dt.date, last_week: dt.date, group: str) -> tuple[dict, dict]:
    """Weekly reports (received, on time) and case reports (all, late) of ``stations``, one grouped query each.

    ``group`` is what the rows are grouped by: ``""`` for each station, ``"__parent"`` for its province
    (a current commune's parent is its province: the 2025 tree has no districts).
    """
    weeks = {"week_start__gte": first_week, "week_start__lte": last_week}
    reports = WeeklyReport.objects.filter(unit__in=stations, **weeks).values(key=F(f"unit{group}")).annotate(
        received=Count("pk"), on_time=Count("pk", filter=Q(on_time=True))).order_by()
    cases = CaseReport.objects.filter(reporting_unit__in=stations, **weeks).values(
        key=F(f"reporting_unit{group}")).annotate(n=Count("pk"), late=Count("pk", filter=Q(is_late=True))).order_by()
    return {r["key"]: r for r in reports}, {r["key"]: r for r in cases}


def _row(unit: OrgUnit, weeks: int, reports: dict, cases: dict, stations: int = 1) -> CompletenessRow:
    mine, cased = reports.get(unit.pk, {}), cases.get(unit.pk, {})
    return CompletenessRow(
        unit=unit, expected=weeks * stations, received=mine.get("received", 0), on_time=mine.get("on_time", 0),
        cases=cased.get("n", 0), late_cases=cased.get("late", 0), stations=stations,
    )


def reporting_completeness(
    *, actor: User, unit: OrgUnit, first_week: dt.date, last_week: dt.date, name: str = "", page: int | str = 1,
) -> Page:
    """One page of commune stations under ``unit``, by name: weekly reports expected, received and on time.

    ``name`` keeps the communes whose name contains it (ignoring case and diacritics). Each row's unit
    comes with its parent (the province, for a list that spans several). The figures are computed for
    the communes of the page only, in two grouped queries.
    """
    if not aggregate_scope(actor).covers(unit):
        raise OutOfScope
    last_week, weeks = _weeks_due(first_week, last_week)
    communes = OrgUnit.objects.filter(path__startswith=unit.path, level=OrgUnit.Level.COMMUNE, valid_to__isnull=True)
    if fold(name):
        communes = communes.filter(name_folded__contains=fold(name))
    result = Paginator(communes.select_related("parent").order_by("name", "pk"), COMPLETENESS_PAGE_SIZE).get_page(page)
    stations = list(result.object_list)
    reports, cases = _tallies(stations, first_week, last_week, "")
    result.object_list = [_row(c, weeks, reports, cases) for c in stations]
    return result


def completeness_by_province(
    *, actor: User, unit: OrgUnit, first_week: dt.date, last_week: dt.date
) -> list[CompletenessRow]:
    """Per current province under ``unit``, in official code order: its stations' weekly and case reports, summed.

    Four queries whatever the number of provinces and stations.
    """
    if not aggregate_scope(actor).covers(unit):
        raise OutOfScope
    last_week, weeks = _weeks_due(first_week, last_week)
    provinces = list(OrgUnit.objects.filter(
        path__startswith=unit.path, level=OrgUnit.Level.PROVINCE, valid_to__isnull=True).order_by("code"))
    stations = OrgUnit.objects.filter(parent__in=[p.pk for p in provinces], level=OrgUnit.Level.COMMUNE,
                                      valid_to__isnull=True)
    per_province = dict(stations.values("parent_id").annotate(n=Count("pk")).values_list("parent_id", "n").order_by())
    reports, cases = _tallies(stations.values("pk"), first_week, last_week, "__parent")
    return [_row(p, weeks, reports, cases, per_province.get(p.pk, 0)) for p in provinces]


def unit_trail(actor: User, unit: OrgUnit) -> list[OrgUnit]:
    """The units above ``unit`` whose figures the actor may see, top first (a breadcrumb's links)."""
    above = [int(pk) for pk in unit.path.strip("/").split("/")[:-1]]
    return list(aggregate_units(actor).filter(pk__in=above).order_by("level")) if above else []
