"""Reads: a resident's visits, one visit, the person timeline. Each takes the
:class:`~ytcs.audit.context.AuditContext` of whoever reads, opens the resident through the access module
(``accounts.scope``: 404 outside the search scope, the refusal audited there) and writes an audit row naming
the resident shown.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ytcs.accounts.models import User
from ytcs.accounts.scope import require_capture, search_scope
from ytcs.audit.context import AuditContext
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.clinical.models import Condition, ConditionStatus, Diagnosis, Encounter, PrescriptionLine
from ytcs.clinical.vitals import VITAL_FIELDS, Alert, vitals_alerts
from ytcs.core.errors import NotAllowed, OutOfScope
from ytcs.people.access import get_resident_for, get_resident_record_for
from ytcs.people.models import Resident


def _visits() -> QuerySet:
    return Encounter.objects.filter(voided_at=None).prefetch_related(
        Prefetch("diagnoses", queryset=Diagnosis.objects.order_by("position")),
        Prefetch("prescription_lines", queryset=PrescriptionLine.objects.order_by("position")),
    )


def encounter_alerts(encounter: Encounter) -> list[Alert]:
    values = {name: getattr(encounter, name) for name in VITAL_FIELDS}
    return vitals_alerts(
        values, birth_date=encounter.resident.birth_date, on=timezone.localtime(encounter.occurred_at).date()
    )


def may_capture(actor: User, resident: Resident) -> bool:
    """Whether the pages offer writes on ``resident``'s clinical data (record or correct a visit, keep the
    problem list): exactly when ``services.ensure_capture`` would let them through."""
    try:
        require_capture(actor, resident.commune, village=resident.village, seen=search_scope)
    except (NotAllowed, OutOfScope):
        return False
    return True


def encounter_list(*, context: AuditContext, resident_id: int) -> list[Encounter]:
    """The resident's visits, newest first (voided ones left out). 404 outside the actor's search scope."""
    resident = get_resident_for(context, resident_id)
    visits = list(_visits().filter(resident=resident))
    for visit in visits:
        visit.resident = resident
    audit_record(
        context=context,
        action="list",
        resource_type=ResourceType.ENCOUNTER,
        resource_id=resident.pk,
        subject_ids=[resident.pk],
    )
    return visits


def encounter_get(*, context: AuditContext, encounter_id: int) -> Encounter:
    """One visit (voided ones too, marked); 404 when absent or its resident is outside the search scope."""
    encounter = get_resident_record_for(
        context, Encounter.objects.prefetch_related("diagnoses", "prescription_lines"), encounter_id
    )
    audit_record(
        context=context,
        action="view",
        resource_type=ResourceType.ENCOUNTER,
        resource_id=encounter.pk,
        subject_ids=[encounter.resident_id],
    )
    return encounter


def resident_for_write(*, context: AuditContext, resident_id: int) -> Resident:
    """A resident the actor may open, to write to (the write, or its refusal, is audited by the service)."""
    return get_resident_for(context, resident_id)


def encounter_for_write(*, context: AuditContext, encounter_id: int) -> Encounter:
    """A visit the actor may open, for a correction or a void (the write, or its refusal, is audited by the
    service)."""
    return get_resident_record_for(context, Encounter.objects.all(), encounter_id)


def condition_list(*, context: AuditContext, resident_id: int) -> list[Condition]:
    resident = get_resident_for(context, resident_id)
    conditions = list(Condition.objects.filter(resident=resident).order_by("status", "-onset_date", "pk"))
    audit_record(
        context=context,
        action="list",
        resource_type=ResourceType.CONDITION,
        resource_id=resident.pk,
        subject_ids=[resident.pk],
    )
    return conditions


def condition_for_write(*, context: AuditContext, condition_id: int) -> Condition:
    """A problem-list entry whose resident the actor may open, to resolve it (the write is audited)."""
    return get_resident_record_for(context, Condition.objects.all(), condition_id)


# Measurements whose previous value helps the one taking them now (growth, weight change); shown as a hint.
HINTED_VITALS: tuple[str, ...] = ("weight_kg", "height_cm")


@dataclass(frozen=True)
class LastMeasurement:
    """A value measured at an earlier visit, and the day it was measured."""

    value: float
    measured_on: date


def last_measurements(*, resident: Resident, before: Encounter | None = None) -> dict[str, LastMeasurement]:
    """The most recent value of each of ``HINTED_VITALS`` from the resident's visits (those before ``before``
    when editing one), with its date.

    The visit form shows these beside its empty fields and never puts them into a field: a value typed into
    a visit must have been measured at that visit (a carried-forward height would be saved as measured).
    """
    visits = Encounter.objects.filter(resident=resident, voided_at=None)
    if before is not None:
        visits = visits.filter(occurred_at__lt=before.occurred_at).exclude(pk=before.pk)
    found = {}
    for name in HINTED_VITALS:
        row = (
            visits.filter(**{f"{name}__isnull": False})
            .order_by("-occurred_at", "-pk")
            .values_list(name, "occurred_at")
            .first()
        )
        if row is not None:
            found[name] = LastMeasurement(row[0], timezone.localtime(row[1]).date())
    return found


def visit_form_opened(
    *, context: AuditContext, resident: Resident, encounter: Encounter | None = None
) -> dict[str, LastMeasurement]:
    """Audit the opening of the visit form and return its hints (``last_measurements``).

    The form shows the resident's name, birth date and earlier measurements (and, when editing, the visit),
    so opening it is a read like the visit page: ``view`` of the resident for a new visit, of the visit when
    editing one. Call it after the capture check, so a refused user leaves only the ``denied`` row.
    """
    audit_record(
        context=context,
        action="view",
        resource_type=ResourceType.ENCOUNTER if encounter else ResourceType.RESIDENT,
        resource_id=encounter.pk if encounter else resident.pk,
        subject_ids=[resident.pk],
    )
    return last_measurements(resident=resident, before=encounter)


@dataclass
class Timeline:
    resident: Resident
    encounters: list[Encounter]
    conditions: list[Condition]
    bp_points: list[tuple[date, int, int]] = field(default_factory=list)
    weight_points: list[tuple[date, float]] = field(default_factory=list)
    can_capture: bool = False

    @property
    def active_conditions(self) -> list[Condition]:
        return [c for c in self.conditions if c.status == ConditionStatus.ACTIVE]

    @property
    def past_conditions(self) -> list[Condition]:
        return [c for c in self.conditions if c.status != ConditionStatus.ACTIVE]


def resident_timeline(*, context: AuditContext, resident_id: int) -> Timeline:
    """Everything clinical about one person in time order: visits, diagnoses, problem list, BP and weight
    series. Immunisations and programme enrolments join here as those apps arrive. Audited as a ``view`` of
    the resident, ``{"view": "timeline"}``."""
    resident = get_resident_for(context, resident_id)
    encounters = list(_visits().filter(resident=resident))
    for encounter in encounters:
        encounter.resident = resident
        encounter.alerts = encounter_alerts(encounter)
    conditions = list(Condition.objects.filter(resident=resident).order_by("status", "-onset_date", "pk"))
    chronological = sorted(encounters, key=lambda e: e.occurred_at)
    timeline = Timeline(
        resident=resident,
        encounters=encounters,
        conditions=conditions,
        bp_points=[
            (timezone.localtime(e.occurred_at).date(), e.systolic, e.diastolic)
            for e in chronological
            if e.systolic is not None and e.diastolic is not None
        ],
        weight_points=[
            (timezone.localtime(e.occurred_at).date(), e.weight_kg) for e in chronological if e.weight_kg is not None
        ],
        can_capture=may_capture(context.actor, resident),
    )
    audit_record(
        context=context,
        action="view",
        resource_type=ResourceType.RESIDENT,
        resource_id=resident.pk,
        subject_ids=[resident.pk],
        changes={"view": "timeline"},
    )
    return timeline
