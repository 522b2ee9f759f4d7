"""Reads of the surveillance app, each limited to what the actor may see.

Counts (curves, completeness, signals, alerts) use the *aggregate* scope. The line list
shows de-identified case details (age, sex, village, dates) for every case in
the aggregate scope, which is what a provincial investigator needs; the name
and the link to the person's record appear only where the *search* scope
covers the resident. Every line list names the residents it showed in the audit
trail, and a refused attempt to open a case, signal or alert that exists is audited
as ``denied`` (naming the case's resident), here where the records are read.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from ytcs.accounts.models import Role, User
from ytcs.accounts.scope import (
    aggregate_scope,
    capture_scope,
    effective_unit,
    get_in_scope,
    search_scope,
)
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.errors import OutOfScope
from ytcs.orgunits.models import OrgUnit
from ytcs.surveillance.access import as_pk, audit_refusal
from ytcs.surveillance.models import (
    Alert,
    CaseReport,
    Classification,
    Disease,
    Signal,
    WeeklyCount,
)
from ytcs.surveillance.weeks import week_start

PROVINCE_LEVEL_ROLES = {Role.PROVINCIAL, Role.NATIONAL_VIEWER, Role.SYSTEM_ADMIN}
AGE_GROUPS: dict[str, tuple[int, int | None]] = {
    "0-4": (0, 4), "5-14": (5, 14), "15-24": (15, 24), "25-44": (25, 44), "45-64": (45, 64), "65+": (65, None),
}


def is_province_level(actor: User) -> bool:
    return actor.is_authenticated and actor.role in PROVINCE_LEVEL_ROLES


def scoped_unit(actor: User, unit_id: int | str | None) -> OrgUnit:
    """The unit ``unit_id`` if it lies in the actor's aggregate scope; else 404.

    The default is the actor's own unit — after a merger the one it became (the main
    successor of a split one; the unit menus offer the others).
    """
    scope = aggregate_scope(actor)
    if unit_id in (None, ""):
        unit = effective_unit(actor)
    else:
        pk = as_pk(unit_id)
        unit = OrgUnit.objects.filter(pk=pk).first() if pk is not None else None
    if unit is None or not scope.covers(unit):
        raise OutOfScope
    return unit


def _pk(value: Any) -> int:
    """A path or query id the database can hold (a larger number would overflow it, not answer 404)."""
    pk = as_pk(value)
    if pk is None:
        raise OutOfScope
    return pk


def units_for_choice(actor: User) -> QuerySet:
    """Current units from province to commune in the actor's aggregate scope (for filter menus)."""
    condition = Q(pk__in=[])
    for path in aggregate_scope(actor).paths:
        condition |= Q(path__startswith=path)
    return OrgUnit.objects.filter(
        condition,
        level__in=[OrgUnit.Level.PROVINCE, OrgUnit.Level.DISTRICT, OrgUnit.Level.COMMUNE], valid_to__isnull=True,
    ).order_by("level", "name")


def capture_villages(actor: User) -> QuerySet:
    """The current villages where the actor may report a case (the case form's choices): their capture scope."""
    condition = Q(pk__in=[])
    for path in capture_scope(actor).paths:
        condition |= Q(path__startswith=path)
    return (
        OrgUnit.objects.filter(condition, level=OrgUnit.Level.VILLAGE, valid_to__isnull=True)
        .select_related("parent").order_by("parent__name", "name")
    )


def _alerts_in_scope(actor: User) -> QuerySet:
    """Alerts of cases in the actor's aggregate scope (a village health worker's: their village's)."""
    return Alert.objects.filter(aggregate_scope(actor).q("commune", village_field="case__village"))


def open_alerts(actor: User) -> QuerySet:
    """Unacknowledged immediate alerts a province-level actor is reminded of on every page."""
    if not is_province_level(actor):
        return Alert.objects.none()
    return _alerts_in_scope(actor).filter(acknowledged_at__isnull=True)


def alert_list(actor: User, *, include_acknowledged: bool = False) -> QuerySet:
    """Immediate alerts in the actor's aggregate scope, the most urgent first."""
    alerts = _alerts_in_scope(actor)
    if not include_acknowledged:
        alerts = alerts.filter(acknowledged_at__isnull=True)
    return alerts.select_related("disease", "commune", "case", "case__reporting_unit").order_by("deadline_at")


def get_alert_for(pk: Any, *, context: AuditContext) -> Alert:
    """The alert ``pk`` if it lies in the actor's aggregate scope; 404 for absent and out-of-scope alike."""
    alerts = Alert.objects.select_related("disease", "commune", "case")
    return get_in_scope(alerts, _pk(pk), scope=aggregate_scope(context.actor), field="commune",
                        village_field="case__village", context=context)


def cases_in_scope(actor: User) -> QuerySet:
    """Case reports of residents of the actor's area or reported by a station in it."""
    scope = aggregate_scope(actor)
    return CaseReport.objects.filter(scope.q("commune") | scope.q("reporting_unit"))


def get_case_for(pk: Any, *, context: AuditContext) -> CaseReport:
    """The case ``pk`` if it lies in the actor's aggregate scope; 404 for absent and out-of-scope alike.

    A case is visible where its resident lives *or* where it was reported, two fields the generic
    ``get_in_scope`` cannot join, so the refusal of a case that exists is audited here, naming its resident
    as that getter does.
    """
    pk = _pk(pk)
    case = cases_in_scope(context.actor).select_related("disease", "commune", "village", "reporting_unit").filter(
        pk=pk).first()
    if case is None:
        refused = CaseReport.objects.filter(pk=pk).values_list("resident_id", flat=True)
        if refused.exists():
            audit_refusal(context, ResourceType.CASE_REPORT, resource_id=pk, subject_ids=[refused.first()])
        raise OutOfScope
    return case


def _age_q(age_group: str | None) -> Q:
    if not age_group or age_group not in AGE_GROUPS:
        return Q()
    low, high = AGE_GROUPS[age_group]
    return Q(age_years__gte=low) & (Q(age_years__lte=high) if high is not None else Q())


def case_list(
    *, actor: User, disease: Disease | None = None, unit: OrgUnit | None = None, first_day: dt.date | None = None,
    last_day: dt.date | None = None, age_group: str | None = None, sex: str | None = None, late: bool | None = None,
) -> QuerySet:
    """Case reports in scope matching the filters, newest first (dates filter the counting week)."""
    cases = cases_in_scope(actor).filter(_age_q(age_group))
    if disease is not None:
        cases = cases.filter(disease=disease)
    if unit is not None:
        cases = cases.filter(Q(commune__path__startswith=unit.path) | Q(reporting_unit__path__startswith=unit.path))
    if first_day is not None:
        cases = cases.filter(week_start__gte=week_start(first_day))
    if last_day is not None:
        cases = cases.filter(week_start__lte=last_day)
    if sex in ("M", "F"):
        cases = cases.filter(sex=sex)
    if late is not None:
        cases = cases.filter(is_late=late)
    return cases.select_related("disease", "commune", "village", "reporting_unit", "resident").order_by(
        "-reported_at", "-pk"
    )


@dataclass(frozen=True)
class LineListRow:
    case: CaseReport
    name: str  # empty unless the actor may open the resident's record
    resident_id: int | None


def line_list_rows(
    cases: list[CaseReport], *, context: AuditContext, action: str = AuditAction.LIST
) -> list[LineListRow]:
    """Rows for the page of ``cases`` shown, with the audit event naming every linked resident.

    ``action`` is ``view`` for the page of one case.
    """
    scope = search_scope(context.actor)
    rows = []
    for case in cases:
        resident = case.resident
        identified = resident is not None and scope.covers_place(resident.commune, resident.village)
        rows.append(LineListRow(case, resident.full_name if identified else "",
                                resident.pk if identified else None))
    audit_record(
        context=context, action=action, resource_type=ResourceType.CASE_REPORT,
        resource_id=cases[0].pk if action == AuditAction.VIEW and len(cases) == 1 else "",
        subject_ids=[c.resident_id for c in cases if c.resident_id], changes={"cases": [None, [c.pk for c in cases]]},
    )
    return rows


def _weekly_counts(unit: OrgUnit, disease: Disease | None) -> QuerySet:
    counts = WeeklyCount.objects.filter(unit__path__startswith=unit.path)
    return counts.filter(disease=disease) if disease is not None else counts


def epi_curve_weekly(
    *, actor: User, unit: OrgUnit, disease: Disease | None, first_week: dt.date, last_week: dt.date,
    age_group: str | None = None, sex: str | None = None,
) -> list[tuple[dt.date, int]]:
    """Cases per ISO week in ``unit``'s area: the weekly series, or case reports when age or sex is filtered.

    Weekly aggregate figures have no age or sex, so a filtered curve counts only
    the individually reported cases.
    """
    if not aggregate_scope(actor).covers(unit):
        raise OutOfScope
    if age_group or sex:
        rows = (
            case_list(actor=actor, disease=disease, unit=unit, age_group=age_group, sex=sex)
            .exclude(classification=Classification.DISCARDED)
            .filter(commune__path__startswith=unit.path, week_start__gte=first_week, week_start__lte=last_week)
            .values("week_start").annotate(n=Count("pk")).order_by()
        )
        totals = {r["week_start"]: r["n"] for r in rows}
    else:
        rows = (
            _weekly_counts(unit, disease).filter(week_start__gte=first_week, week_start__lte=last_week)
            .values("week_start").annotate(n=Sum("count")).order_by()
        )
        totals = {r["week_start"]: r["n"] for r in rows}
    n_weeks = (last_week - first_week).days // 7 + 1
    weeks = [first_week + dt.timedelta(weeks=i) for i in range(n_weeks)]
    return [(w, int(totals.get(w, 0))) for w in weeks]


def epi_curve_onset(
    *, actor: User, unit: OrgUnit, disease: Disease | None, first_day: dt.date, last_day: dt.date,
    age_group: str | None = None, sex: str | None = None,
) -> list[tuple[dt.date, int]]:
    """Individually reported cases per day of onset (cases without an onset date are left out)."""
    if not aggregate_scope(actor).covers(unit):
        raise OutOfScope
    rows = (
        case_list(actor=actor, disease=disease, unit=unit, age_group=age_group, sex=sex)
        .exclude(classification=Classification.DISCARDED)
        .filter(commune__path__startswith=unit.path, onset_date__gte=first_day, onset_date__lte=last_day)
        .values("onset_date").annotate(n=Count("pk")).order_by()
    )
    totals = {r["onset_date"]: r["n"] for r in rows}
    days = [first_day + dt.timedelta(days=i) for i in range((last_day - first_day).days + 1)]
    return [(d, int(totals.get(d, 0))) for d in days]


@dataclass(frozen=True)
class Breakdown:
    by_commune: list[tuple[str, int]]
    by_age_group: list[tuple[str, int]]
    by_sex: list[tuple[str, int]]


def case_breakdown(
    *, actor: User, unit: OrgUnit, disease: Disease | None, first_week: dt.date, last_week: dt.date
) -> Breakdown:
    """The period's weekly-series total per commune, and individually reported cases per age group and sex."""
    if not aggregate_scope(actor).covers(unit):
        raise OutOfScope
    communes = (
        _weekly_counts(unit, disease).filter(week_start__gte=first_week, week_start__lte=last_week)
        .values("unit__name").annotate(n=Sum("count")).order_by("-n", "unit__name")
    )
    cases = (
        CaseReport.objects.filter(commune__path__startswith=unit.path, week_start__gte=first_week,
                                  week_start__lte=last_week)
        .exclude(classification=Classification.DISCARDED)
    )
    if disease is not None:
        cases = cases.filter(disease=disease)
    ages, sexes = Counter(), Counter()
    for age, sex in cases.values_list("age_years", "sex"):
        ages[next(k for k, (lo, hi) in AGE_GROUPS.items() if age >= lo and (hi is None or age <= hi))] += 1
        sexes[sex] += 1
    return Breakdown(
        by_commune=[(r["unit__name"], r["n"]) for r in communes if r["n"]],
        by_age_group=[(k, ages[k]) for k in AGE_GROUPS],
        by_sex=[(k, sexes[k]) for k in ("M", "F")],
    )


def signal_list(
    *, actor: User, status: str | None = None, disease: Disease | None = None, unit: OrgUnit | None = None,
    since: dt.date | None = None,
) -> QuerySet:
    """Signals of units in the actor's aggregate scope, newest week first (reviewing them is the province's)."""
    signals = Signal.objects.filter(aggregate_scope(actor).q("unit"))
    if status:
        signals = signals.filter(status=status)
    if disease is not None:
        signals = signals.filter(disease=disease)
    if unit is not None:
        signals = signals.filter(unit__path__startswith=unit.path)
    if since is not None:
        signals = signals.filter(week_start__gte=since)
    return signals.select_related("unit", "disease").order_by("-week_start", "disease__sort_order", "unit__name")


def get_signal_for(pk: Any, *, context: AuditContext) -> Signal:
    """The signal ``pk`` if it lies in the actor's aggregate scope; 404 for absent and out-of-scope alike."""
    signals = Signal.objects.select_related("unit", "disease")
    return get_in_scope(signals, _pk(pk), scope=aggregate_scope(context.actor), field="unit", context=context)
