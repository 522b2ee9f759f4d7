"""The register's JSON API, mounted at /api/people/: the reads here, the writes in ``people.api_register``.

Thin: reads go through ``ytcs.accounts.scope`` (404 outside scope) and write an audit row naming every
resident returned. Refusals are answered by the handlers of ``ytcs.core.api`` with the one error body.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from fhir.resources.R4B.patient import Patient
from ninja import Query, Router, Schema

from ytcs.accounts.scope import get_resident_for, scoped_households, scoped_residents
from ytcs.audit.services import audit_record
from ytcs.people.exports import record_data
from ytcs.people.fhir import patient_resource
from ytcs.people.models import Household, Resident

router = Router(tags=["people"])
MAX_LIMIT = 200


class ResidentOut(Schema):
    id: int
    commune_id: int
    village_id: int | None
    household_id: int | None
    mother_id: int | None
    full_name: str
    family_name: str
    middle_name: str
    given_name: str
    sex: str
    birth_date: str
    ethnicity: str
    religion: str
    occupation: str
    cccd: str | None
    phone: str
    relationship_to_head: str
    bhyt_card_number: str
    social_insurance_number: str | None
    bhyt_group_code: str
    bhyt_benefit_level: int | None
    bhyt_valid_from: str | None
    bhyt_valid_to: str | None
    bhyt_primary_care_facility_code: str
    bhyt_primary_care_facility_name: str
    emergency_contact_name: str
    emergency_contact_relationship: str
    emergency_contact_phone: str
    date_of_death: str | None
    cause_of_death_icd10: str
    completeness_pct: int
    warnings: list[dict] = []

    @staticmethod
    def resolve_birth_date(obj: Resident) -> str:
        return obj.birth_date.isoformat()

    @staticmethod
    def resolve_bhyt_valid_from(obj: Resident) -> str | None:
        return obj.bhyt_valid_from.isoformat() if obj.bhyt_valid_from else None

    @staticmethod
    def resolve_bhyt_valid_to(obj: Resident) -> str | None:
        return obj.bhyt_valid_to.isoformat() if obj.bhyt_valid_to else None

    @staticmethod
    def resolve_date_of_death(obj: Resident) -> str | None:
        return obj.date_of_death.isoformat() if obj.date_of_death else None

    @staticmethod
    def resolve_warnings(obj: Resident) -> list[dict]:
        return [w.as_dict() for w in getattr(obj, "warnings", [])]


class HouseholdOut(Schema):
    id: int
    code: str
    commune_id: int
    village_id: int
    address: str
    head_id: int | None
    members: list[ResidentOut] = []

    @staticmethod
    def resolve_members(obj: Household) -> list[Resident]:
        return list(getattr(obj, "shown_members", []))


class Page(Schema):
    count: int
    items: list[Any]


class ListParams(Schema):
    commune: int | None = None
    village: int | None = None
    household: int | None = None
    limit: int = 50
    offset: int = 0


@router.get("/residents", response=Page)
def resident_list(request: HttpRequest, params: Query[ListParams]) -> dict:
    """Residents the user may open, oldest record first; every one returned is named in the audit row."""
    rows = scoped_residents(request.user)
    for name in ("commune", "village", "household"):
        if getattr(params, name):
            rows = rows.filter(**{f"{name}_id": getattr(params, name)})
    limit = max(1, min(params.limit, MAX_LIMIT))
    page = list(rows.order_by("pk")[max(0, params.offset): max(0, params.offset) + limit])
    audit_record(actor=request.user, action="list", resource_type="people.Resident",
                 subject_ids=[r.pk for r in page], request=request)
    return {"count": rows.count(), "items": [ResidentOut.from_orm(r).dict() for r in page]}


@router.get("/residents/{resident_id}", response=ResidentOut)
def resident_get(request: HttpRequest, resident_id: int) -> Resident:
    resident = get_resident_for(request.user, resident_id)
    audit_record(actor=request.user, action="view", resource_type="people.Resident", resource_id=resident.pk,
                 subject_ids=[resident.pk], request=request)
    return resident


@router.get("/residents/{resident_id}/record")
def resident_record(request: HttpRequest, resident_id: int) -> dict:
    """The whole QĐ 831 record (same content as the JSON export)."""
    resident = get_resident_for(request.user, resident_id)
    audit_record(actor=request.user, action="view", resource_type="people.Resident.record", resource_id=resident.pk,
                 subject_ids=[resident.pk], request=request)
    return record_data(resident)


@router.get("/residents/{resident_id}/fhir")
def resident_fhir(request: HttpRequest, resident_id: int) -> HttpResponse:
    """The resident as a validated FHIR R4 (R4B models) Patient resource."""
    resident = get_resident_for(request.user, resident_id)
    patient = Patient.model_validate(patient_resource(resident))
    audit_record(actor=request.user, action="view", resource_type="people.Resident.fhir", resource_id=resident.pk,
                 subject_ids=[resident.pk], request=request)
    return HttpResponse(patient.model_dump_json(), content_type="application/fhir+json")


@router.get("/households", response=Page)
def household_list(request: HttpRequest, params: Query[ListParams]) -> dict:
    rows = scoped_households(request.user)
    if params.commune:
        rows = rows.filter(commune_id=params.commune)
    if params.village:
        rows = rows.filter(village_id=params.village)
    limit = max(1, min(params.limit, MAX_LIMIT))
    page = list(rows.order_by("pk")[max(0, params.offset): max(0, params.offset) + limit])
    audit_record(actor=request.user, action="list", resource_type="people.Household",
                 subject_ids=[h.head_id for h in page if h.head_id], request=request)
    return {"count": rows.count(), "items": [HouseholdOut.from_orm(h).dict() for h in page]}


def household_with_members(request: HttpRequest, household: Household) -> Household:
    household.shown_members = list(scoped_residents(request.user).filter(household=household).order_by("pk"))
    return household


@router.get("/households/{household_id}", response=HouseholdOut)
def household_get(request: HttpRequest, household_id: int) -> Household:
    household = household_with_members(request, get_object_or_404(scoped_households(request.user), pk=household_id))
    audit_record(actor=request.user, action="view", resource_type="people.Household", resource_id=household.pk,
                 subject_ids=[m.pk for m in household.shown_members], request=request)
    return household


# The writes register on the same router (one URL per path, whatever the method); imported last, as they use
# the output schemas above.
from ytcs.people import api_register  # noqa: E402, F401
