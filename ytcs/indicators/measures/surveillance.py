"""Measures over surveillance reporting: weekly reports expected, received and on time; case reports on time.

The weeks of a period are the ISO weeks whose Monday falls in it, up to the last week already due (never the
week in progress), as the surveillance completeness page counts them. Every commune is expected to send one
weekly report a week — the communes valid on that week's Monday, so a 2024 week expects the old communes.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import Counter

from django.db.models import Count

from ytcs.core.periods import Aggregation, last_complete_week, week_start
from ytcs.indicators.measures.base import Ask, measure
from ytcs.orgunits.models import OrgUnit
from ytcs.surveillance.models import CaseReport, WeeklyReport


def due_weeks(ask: Ask) -> list[dt.date]:
    """Mondays of the period's weeks that are due by ``ask.today``."""
    first = week_start(ask.period.start)
    if first < ask.period.start:
        first += dt.timedelta(weeks=1)
    last = min(ask.period.end, last_complete_week(ask.today))
    weeks = []
    while first <= last:
        weeks.append(first)
        first += dt.timedelta(weeks=1)
    return weeks


@measure("weekly_reports_expected", aggregation=Aggregation.FLOW, counts="""
    Weekly surveillance reports due in the period: one per commune and due week, for the communes that existed
    on the week's Monday (the old communes for a week before 1 July 2025).""")
def weekly_reports_expected(ask: Ask) -> list[tuple]:
    weeks = due_weeks(ask)
    if not weeks:
        return []
    communes = OrgUnit.objects.filter(level=OrgUnit.Level.COMMUNE, pk__in=ask.fact_units, valid_from__lte=weeks[-1])
    counted: Counter[int] = Counter()
    for pk, valid_from, valid_to in communes.exclude(valid_to__lte=weeks[0]).values_list(
            "pk", "valid_from", "valid_to"):
        counted[pk] = (bisect_left(weeks, valid_to) if valid_to else len(weeks)) - bisect_left(weeks, valid_from)
    return [(pk, None, None, n) for pk, n in counted.items() if n > 0]


@measure("weekly_reports_received", aggregation=Aggregation.FLOW, params={"on_time_only": False}, counts="""
    Weekly surveillance reports received for the period's due weeks (a report saying "no cases" counts); with
    `on_time_only`, only those received by their deadline (the report's `on_time`).""")
def weekly_reports_received(ask: Ask) -> list[tuple]:
    reports = WeeklyReport.objects.filter(unit_id__in=ask.fact_units, week_start__in=due_weeks(ask))
    if ask.params["on_time_only"]:
        reports = reports.filter(on_time=True)
    rows = reports.order_by().values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n")
    return [(unit, None, None, n) for unit, n in rows]


@measure("case_reports", aggregation=Aggregation.FLOW, params={"on_time_only": False}, counts="""
    Case reports of notifiable diseases whose week (the onset week) is one of the period's due weeks, counted
    for the reporting unit; with `on_time_only`, only those reported within the disease's deadline (TT 54/2015:
    24 or 48 hours after diagnosis).""")
def case_reports(ask: Ask) -> list[tuple]:
    cases = CaseReport.objects.filter(reporting_unit_id__in=ask.fact_units, week_start__in=due_weeks(ask))
    if ask.params["on_time_only"]:
        cases = cases.filter(is_late=False)
    rows = cases.order_by().values("reporting_unit_id").annotate(n=Count("pk")).values_list("reporting_unit_id", "n")
    return [(unit, None, None, n) for unit, n in rows]
