"""JSON API for visits, the problem list and the ICD-10 catalogue, mounted at /api/clinical/.

Write bodies are parsed by ``inputs.parse_encounter`` rather than by a strict pydantic schema, so a
wrong type ("12a" for a pulse) and an implausible value (pulse 400) come back in the same structured
422: ``{"errors": [{"field": "pulse", "code": "out_of_range", "message": "..."}]}``, in the user's
language. The schemas below document the bodies in OpenAPI.
"""

import json
from datetime import date

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from ytcs.clinical import selectors, services
from ytcs.clinical.errors import ClinicalValidationError, FieldError
from ytcs.clinical.icd10 import icd10_search, icd10_title
from ytcs.clinical.inputs import EncounterData, parse_encounter
from ytcs.clinical.models import Condition, Encounter
from ytcs.clinical.validation import encounter_errors
from ytcs.clinical.vitals import VITALS
from ytcs.core.datetimes import LocalDateTime
from ytcs.people.access import get_resident_for
from ytcs.people.models import Resident

router = Router(tags=["clinical"])


class DiagnosisIn(Schema):
    code: str = Field(..., description="ICD-10 (WHO 2019) code, e.g. I10 or E11.9")
    is_primary: bool = False
    note: str = ""


class PrescriptionIn(Schema):
    drug_name: str
    strength: str = ""
    dose_instructions: str = ""
    quantity: int
    unit: str = "viên"
    days: int | None = None


class EncounterIn(Schema):
    occurred_at: LocalDateTime
    payer: str = Field(..., description="bhyt | self_pay | other")
    outcome: str = Field("treated", description="treated | referred | observation | died")
    reason: str = ""
    practitioner_name: str = ""
    facility_name: str = ""
    advice: str = ""
    follow_up_on: date | None = None
    systolic: int | None = Field(None, description="mmHg, 60–300")
    diastolic: int | None = Field(None, description="mmHg, 30–200, below systolic")
    pulse: int | None = Field(None, description="beats/min, 20–250")
    temperature: float | None = Field(None, description="°C, 30–45")
    respiratory_rate: int | None = Field(None, description="breaths/min, 5–80")
    spo2: int | None = Field(None, description="%, 50–100")
    weight_kg: float | None = Field(None, description="kg, 0.5–300")
    height_cm: float | None = Field(None, description="cm, 30–250")
    waist_cm: float | None = Field(None, description="cm, 30–250")
    glucose_mmol: float | None = Field(None, description="capillary glucose, mmol/L, 1.0–40")
    glucose_fasting: bool | None = None
    diagnoses: list[DiagnosisIn]
    prescriptions: list[PrescriptionIn] = []


class FieldErrorOut(Schema):
    field: str
    code: str
    message: str


class ErrorsOut(Schema):
    errors: list[FieldErrorOut]


class VoidIn(Schema):
    reason: str


class ConditionIn(Schema):
    icd10_code: str
    onset_date: date | None = None
    note: str = ""


class ConditionOut(Schema):
    id: int
    icd10_code: str
    title: str
    onset_date: date | None
    status: str
    resolved_on: date | None
    source: str


class IcdOut(Schema):
    code: str
    title: str
    title_vi: str
    title_en: str
    common_at_commune: bool
    is_leaf: bool


def _body_schema(schema: type[Schema]) -> dict:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema.model_json_schema()}}}}


def _errors(errors: list[FieldError], status: int = 422) -> JsonResponse:
    return JsonResponse({"errors": [e.as_dict() for e in errors]}, status=status)


def _json_body(request: HttpRequest) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ClinicalValidationError(
            [FieldError("body", "invalid_json", gettext("Nội dung gửi lên không phải JSON hợp lệ"))]
        ) from exc
    if not isinstance(body, dict):
        raise ClinicalValidationError(
            [FieldError("body", "invalid_json", gettext("Nội dung gửi lên phải là một đối tượng JSON"))]
        )
    return body


def _parsed(request: HttpRequest, resident: Resident) -> EncounterData:
    data, errors = parse_encounter(_json_body(request))
    if errors:
        raise ClinicalValidationError(errors + encounter_errors(data, resident=resident))
    return data


def encounter_out(encounter: Encounter) -> dict:
    out = {
        "id": encounter.pk,
        "resident_id": encounter.resident_id,
        "commune_id": encounter.commune_id,
        "occurred_at": encounter.occurred_at.isoformat(),
        "facility_name": encounter.facility_name,
        "practitioner_name": encounter.practitioner_name,
        "reason": encounter.reason,
        "payer": encounter.payer,
        "outcome": encounter.outcome,
        "advice": encounter.advice,
        "follow_up_on": encounter.follow_up_on.isoformat() if encounter.follow_up_on else None,
        "glucose_fasting": encounter.glucose_fasting,
        "bmi": encounter.bmi,
        "voided": encounter.is_voided,
        "void_reason": encounter.void_reason,
        "diagnoses": [
            {"code": d.icd10_code, "title": icd10_title(d.icd10_code), "is_primary": d.is_primary, "note": d.note}
            for d in encounter.diagnoses.all()
        ],
        "prescriptions": [
            {
                "drug_name": p.drug_name,
                "strength": p.strength,
                "dose_instructions": p.dose_instructions,
                "quantity": p.quantity,
                "unit": p.unit,
                "days": p.days,
            }
            for p in encounter.prescription_lines.all()
        ],
        "alerts": [
            {"level": a.level, "field": a.field, "message": a.message} for a in selectors.encounter_alerts(encounter)
        ],
    }
    out.update({spec.field: getattr(encounter, spec.field) for spec in VITALS})
    return out


def condition_out(condition: Condition) -> dict:
    return {
        "id": condition.pk,
        "icd10_code": condition.icd10_code,
        "title": icd10_title(condition.icd10_code),
        "onset_date": condition.onset_date,
        "status": condition.status,
        "resolved_on": condition.resolved_on,
        "source": condition.source,
    }


@router.get("/icd10", response=list[IcdOut], summary="Search ICD-10 codes by code or words (vi/en)")
def icd10(request: HttpRequest, q: str = "", limit: int = Query(20, ge=1, le=100)) -> list[dict]:
    return [
        {
            "code": e.code,
            "title": e.title,
            "title_vi": e.title_vi,
            "title_en": e.title_en,
            "common_at_commune": e.common_at_commune,
            "is_leaf": e.is_leaf,
        }
        for e in icd10_search(q, limit)
    ]


@router.post(
    "/residents/{resident_id}/encounters",
    response={201: dict, 422: ErrorsOut},
    openapi_extra=_body_schema(EncounterIn),
    summary="Record a visit",
)
def encounter_create(request: HttpRequest, resident_id: int) -> JsonResponse:
    resident = get_resident_for(request.user, resident_id, request=request)
    services.ensure_capture(request.user, resident)
    try:
        encounter = services.encounter_record(
            actor=request.user, resident=resident, data=_parsed(request, resident), request=request
        )
    except ClinicalValidationError as exc:
        return _errors(exc.errors)
    encounter.resident = resident
    return JsonResponse(encounter_out(encounter), status=201)


@router.get("/residents/{resident_id}/encounters", response=list[dict], summary="A resident's visits, newest first")
def encounter_index(request: HttpRequest, resident_id: int) -> list[dict]:
    return [
        encounter_out(e) for e in selectors.encounter_list(actor=request.user, resident_id=resident_id, request=request)
    ]


@router.get("/encounters/{encounter_id}", response=dict, summary="One visit")
def encounter_detail(request: HttpRequest, encounter_id: int) -> dict:
    return encounter_out(selectors.encounter_get(actor=request.user, encounter_id=encounter_id, request=request))


@router.put(
    "/encounters/{encounter_id}",
    response={200: dict, 422: ErrorsOut},
    openapi_extra=_body_schema(EncounterIn),
    summary="Correct a visit (full replacement)",
)
def encounter_replace(request: HttpRequest, encounter_id: int) -> JsonResponse:
    encounter = selectors.encounter_for_write(actor=request.user, encounter_id=encounter_id)
    services.ensure_capture(request.user, encounter.resident)
    try:
        encounter = services.encounter_update(
            actor=request.user, encounter=encounter, data=_parsed(request, encounter.resident), request=request
        )
    except ClinicalValidationError as exc:
        return _errors(exc.errors)
    return JsonResponse(encounter_out(encounter))


@router.post(
    "/encounters/{encounter_id}/void", response={200: dict, 422: ErrorsOut}, summary="Void a visit entered in error"
)
def encounter_cancel(request: HttpRequest, encounter_id: int, payload: VoidIn) -> JsonResponse:
    encounter = selectors.encounter_for_write(actor=request.user, encounter_id=encounter_id)
    try:
        encounter = services.encounter_void(
            actor=request.user, encounter=encounter, reason=payload.reason, request=request
        )
    except ClinicalValidationError as exc:
        return _errors(exc.errors)
    return JsonResponse({"id": encounter.pk, "voided": True})


@router.get("/residents/{resident_id}/conditions", response=list[ConditionOut], summary="The problem list")
def condition_index(request: HttpRequest, resident_id: int) -> list[dict]:
    return [
        condition_out(c) for c in selectors.condition_list(actor=request.user, resident_id=resident_id, request=request)
    ]


@router.post(
    "/residents/{resident_id}/conditions",
    response={201: ConditionOut, 422: ErrorsOut},
    summary="Add a problem-list entry",
)
def condition_create(request: HttpRequest, resident_id: int, payload: ConditionIn) -> JsonResponse:
    resident = get_resident_for(request.user, resident_id, request=request)
    try:
        condition = services.condition_add(
            actor=request.user,
            resident=resident,
            icd10_code=payload.icd10_code,
            onset_date=payload.onset_date,
            note=payload.note,
            request=request,
        )
    except ClinicalValidationError as exc:
        return _errors(exc.errors)
    return JsonResponse(condition_out(condition), status=201)


@router.post(
    "/conditions/{condition_id}/resolve",
    response={200: ConditionOut, 422: ErrorsOut},
    summary="Mark a problem-list entry resolved",
)
def condition_close(request: HttpRequest, condition_id: int) -> JsonResponse:
    condition = selectors.condition_get(actor=request.user, condition_id=condition_id)
    try:
        condition = services.condition_resolve(actor=request.user, condition=condition, request=request)
    except ClinicalValidationError as exc:
        return _errors(exc.errors)
    return JsonResponse(condition_out(condition))
