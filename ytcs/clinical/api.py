"""JSON API for visits, the problem list and the ICD-10 catalogue, mounted at /api/clinical/.

Bodies are the typed schemas of ``inputs.py`` (the same models the visit form builds), answers are the
schemas below. The design reason for the shape of refusals: a wrong type ("12a" for a pulse) and an
implausible value (a pulse of 400) must come back alike, as one 422 body naming the field as the client sent
it, in the user's language::

    {"errors": [{"field": "pulse", "code": "out_of_range", "message": "..."}]}

ninja refuses a wrong type before the endpoint runs, and the API-wide handler (``ytcs.core.api``,
``schema_errors``) gives it that body (``pulse``, ``diagnoses.0.code``); the services refuse implausible values
with a ``DomainError`` the same handler answers, so the endpoints only raise. Out of scope is 404; a resident
the user can open but may not write to (an administrator, a provincial viewer) is 403.
"""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import field_serializer

from ytcs.audit.context import AuditContext
from ytcs.clinical import selectors, services
from ytcs.clinical.icd10 import Icd10Entry, icd10_search, icd10_title
from ytcs.clinical.inputs import ConditionIn, EncounterIn, VoidIn
from ytcs.clinical.models import Condition, Diagnosis, Encounter, PrescriptionLine
from ytcs.clinical.vitals import Alert
from ytcs.core.api import ErrorOut

router = Router(tags=["clinical"])

READ_ERRORS = {404: ErrorOut}
WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class DiagnosisOut(Schema):
    code: str
    title: str
    is_primary: bool
    note: str

    @staticmethod
    def resolve_code(diagnosis: Diagnosis) -> str:
        return diagnosis.icd10_code

    @staticmethod
    def resolve_title(diagnosis: Diagnosis) -> str:
        return icd10_title(diagnosis.icd10_code)


class PrescriptionOut(Schema):
    drug_name: str
    strength: str
    dose_instructions: str
    quantity: int
    unit: str
    days: int | None


class VitalAlertOut(Schema):
    level: str
    field: str
    message: str


class EncounterOut(Schema):
    id: int
    resident_id: int
    commune_id: int
    occurred_at: datetime
    facility_name: str
    practitioner_name: str
    reason: str
    payer: str
    outcome: str
    advice: str
    follow_up_on: date | None
    glucose_fasting: bool | None
    bmi: float | None
    voided: bool
    void_reason: str
    diagnoses: list[DiagnosisOut]
    prescriptions: list[PrescriptionOut]
    alerts: list[VitalAlertOut]
    systolic: int | None
    diastolic: int | None
    pulse: int | None
    temperature: float | None
    respiratory_rate: int | None
    spo2: int | None
    weight_kg: float | None
    height_cm: float | None
    waist_cm: float | None
    glucose_mmol: float | None

    @staticmethod
    def resolve_voided(encounter: Encounter) -> bool:
        return encounter.is_voided

    @staticmethod
    def resolve_diagnoses(encounter: Encounter) -> list[Diagnosis]:
        return list(encounter.diagnoses.all())

    @staticmethod
    def resolve_prescriptions(encounter: Encounter) -> list[PrescriptionLine]:
        return list(encounter.prescription_lines.all())

    @staticmethod
    def resolve_alerts(encounter: Encounter) -> list[Alert]:
        return selectors.encounter_alerts(encounter)

    @field_serializer("occurred_at")
    def _iso(self, value: datetime) -> str:
        """With its offset and microseconds, as recorded (the JSON encoder would shorten both)."""
        return value.isoformat()


class VoidOut(Schema):
    id: int
    voided: bool


class ConditionOut(Schema):
    id: int
    icd10_code: str
    title: str
    onset_date: date | None
    status: str
    resolved_on: date | None
    source: str

    @staticmethod
    def resolve_title(condition: Condition) -> str:
        return icd10_title(condition.icd10_code)


class IcdOut(Schema):
    code: str
    title: str
    title_vi: str
    title_en: str
    common_at_commune: bool
    is_leaf: bool


@router.get("/icd10", response=list[IcdOut], summary="Search ICD-10 codes by code or words (vi/en)")
def icd10(request: HttpRequest, q: str = "", limit: int = Query(20, ge=1, le=100)) -> list[Icd10Entry]:
    return icd10_search(q, limit)


@router.post(
    "/residents/{resident_id}/encounters", response={201: EncounterOut, **WRITE_ERRORS}, summary="Record a visit"
)
def encounter_create(request: HttpRequest, resident_id: int, payload: EncounterIn) -> Status:
    context = AuditContext.from_request(request)
    resident = selectors.resident_for_write(context=context, resident_id=resident_id)
    encounter = services.encounter_record(context=context, resident=resident, data=payload)
    encounter.resident = resident
    return Status(201, encounter)


@router.get(
    "/residents/{resident_id}/encounters",
    response={200: list[EncounterOut], **READ_ERRORS},
    summary="A resident's visits, newest first",
)
def encounter_index(request: HttpRequest, resident_id: int) -> list[Encounter]:
    return selectors.encounter_list(context=AuditContext.from_request(request), resident_id=resident_id)


@router.get("/encounters/{encounter_id}", response={200: EncounterOut, **READ_ERRORS}, summary="One visit")
def encounter_detail(request: HttpRequest, encounter_id: int) -> Encounter:
    return selectors.encounter_get(context=AuditContext.from_request(request), encounter_id=encounter_id)


@router.put(
    "/encounters/{encounter_id}",
    response={200: EncounterOut, **WRITE_ERRORS},
    summary="Correct a visit (full replacement)",
)
def encounter_replace(request: HttpRequest, encounter_id: int, payload: EncounterIn) -> Encounter:
    context = AuditContext.from_request(request)
    encounter = selectors.encounter_for_write(context=context, encounter_id=encounter_id)
    return services.encounter_update(context=context, encounter=encounter, data=payload)


@router.post(
    "/encounters/{encounter_id}/void",
    response={200: VoidOut, **WRITE_ERRORS},
    summary="Void a visit entered in error",
)
def encounter_cancel(request: HttpRequest, encounter_id: int, payload: VoidIn) -> VoidOut:
    context = AuditContext.from_request(request)
    encounter = selectors.encounter_for_write(context=context, encounter_id=encounter_id)
    encounter = services.encounter_void(context=context, encounter=encounter, reason=payload.reason)
    return VoidOut(id=encounter.pk, voided=True)


@router.get(
    "/residents/{resident_id}/conditions",
    response={200: list[ConditionOut], **READ_ERRORS},
    summary="The problem list",
)
def condition_index(request: HttpRequest, resident_id: int) -> list[Condition]:
    return selectors.condition_list(context=AuditContext.from_request(request), resident_id=resident_id)


@router.post(
    "/residents/{resident_id}/conditions",
    response={201: ConditionOut, **WRITE_ERRORS},
    summary="Add a problem-list entry",
)
def condition_create(request: HttpRequest, resident_id: int, payload: ConditionIn) -> Status:
    context = AuditContext.from_request(request)
    resident = selectors.resident_for_write(context=context, resident_id=resident_id)
    return Status(201, services.condition_add(context=context, resident=resident, data=payload))


@router.post(
    "/conditions/{condition_id}/resolve",
    response={200: ConditionOut, **WRITE_ERRORS},
    summary="Mark a problem-list entry resolved",
)
def condition_close(request: HttpRequest, condition_id: int) -> Condition:
    context = AuditContext.from_request(request)
    condition = selectors.condition_for_write(context=context, condition_id=condition_id)
    return services.condition_resolve(context=context, condition=condition)
