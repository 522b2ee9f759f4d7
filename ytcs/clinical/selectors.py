"""Reads: a resident's visits, one visit, the person timeline. Each takes the actor, applies the
search scope through ``accounts.scope`` and writes an audit row naming the resident shown.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from ytcs.accounts.models import User
from ytcs.accounts.scope import capture_scope
from ytcs.audit.services import audit_record
from ytcs.clinical.models import Condition, ConditionStatus, Diagnosis, Encounter, PrescriptionLine
from ytcs.clinical.vitals import VITAL_FIELDS, Alert, vitals_alerts
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
    """Whether the UI should offer "record a visit" for ``resident``."""
    return capture_scope(actor).covers_place(resident.commune, resident.village)


def encounter_list(*, actor: User, resident_id: int, request: HttpRequest | None = None) -> list[Encounter]:
    """The resident's visits, newest first (voided ones left out). 404 outside the actor's search scope."""
    resident = get_resident_for(actor, resident_id, request=request)
    visits = list(_visits().filter(resident=resident))
    for visit in visits:
        visit.resident = resident
    audit_record(
        actor=actor,
        action="list",
        resource_type="encounter",
        resource_id=resident.pk,
        subject_ids=[resident.pk],
        request=request,
    )
    return visits


def encounter_get(*, actor: User, encounter_id: int, request: HttpRequest | None = None) -> Encounter:
    """One visit (voided ones too, marked); 404 when absent or its resident is outside the search scope."""
    encounter = get_resident_record_for(
        actor, Encounter.objects.prefetch_related("diagnoses", "prescription_lines"), encounter_id, request=request
    )
    audit_record(
        actor=actor,
        action="view",
        resource_type="encounter",
        resource_id=encounter.pk,
        subject_ids=[encounter.resident_id],
        request=request,
    )
    return encounter


def encounter_for_write(*, actor: User, encounter_id: int) -> Encounter:
    """A visit the actor may open, for a correction or a void (the write itself is audited, not this read)."""
    return get_resident_record_for(actor, Encounter.objects.all(), encounter_id)


def condition_list(*, actor: User, resident_id: int, request: HttpRequest | None = None) -> list[Condition]:
    resident = get_resident_for(actor, resident_id, request=request)
    conditions = list(Condition.objects.filter(resident=resident).order_by("status", "-onset_date", "pk"))
    audit_record(
        actor=actor,
        action="list",
        resource_type="condition",
        resource_id=resident.pk,
        subject_ids=[resident.pk],
        request=request,
    )
    return conditions


def condition_get(*, actor: User, condition_id: int) -> Condition:
    """A problem-list entry whose resident the actor may open (for writes; the write is audited)."""
    return get_resident_record_for(actor, Condition.objects.all(), condition_id)


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
    *, actor: User, resident: Resident, encounter: Encounter | None = None, request: HttpRequest | None = None
) -> dict[str, LastMeasurement]:
    """Audit the opening of the visit form and return its hints (``last_measurements``).

    The form shows the resident's name, birth date and earlier measurements (and, when editing, the visit),
    so opening it is a read like the visit page: ``view`` of the resident for a new visit, of the visit when
    editing one. Call it after the capture check, so a refused user leaves only the ``denied`` row.
    """
    audit_record(
        actor=actor,
        action="view",
        resource_type="encounter" if encounter else "resident",
        resource_id=encounter.pk if encounter else resident.pk,
        subject_ids=[resident.pk],
        request=request,
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


def resident_timeline(*, actor: User, resident_id: int, request: HttpRequest | None = None) -> Timeline:
    """Everything clinical about one person in time order: visits, diagnoses, problem list, BP and weight
    series. Immunisations and programme enrolments join here as those apps arrive."""
    resident = get_resident_for(actor, resident_id, request=request)
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
        can_capture=may_capture(actor, resident),
    )
    audit_record(
        actor=actor,
        action="view",
        resource_type="resident_timeline",
        resource_id=resident.pk,
        subject_ids=[resident.pk],
        request=request,
    )
    return timeline
