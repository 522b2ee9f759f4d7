"""The register's JSON API, mounted at /api/people/.

Thin. The reads are here; the writes, in :mod:`ytcs.people.api_register`, are added to the same router at
the end of this module. Refusals are answered by the handlers of ``ytcs.core.api`` with the one error body
in the user's language. Reads call the selectors of ``list_selectors`` and ``record_selectors``,
which open records through the access module (404 outside scope, a refusal audited) and write the audit
row naming every resident returned. Identifiers leave as :func:`ytcs.accounts.masking.masker_for` decides
for the reader: :class:`ResidentOut` masks them for whoever asks.
"""

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from fhir.resources.R4B.patient import Patient
from ninja import Field, Query, Router, Schema

from ytcs.accounts.masking import masker_for
from ytcs.audit.context import AuditContext
from ytcs.core.api import ErrorOut
from ytcs.people import list_selectors, record_selectors
from ytcs.people.models import Household, Resident

router = Router(tags=["people"])


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
    residence_status: str
    residence_status_from: str | None
    residence_status_to: str | None
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
    def resolve_residence_status_from(obj: Resident) -> str | None:
        return obj.residence_status_from.isoformat() if obj.residence_status_from else None

    @staticmethod
    def resolve_residence_status_to(obj: Resident) -> str | None:
        return obj.residence_status_to.isoformat() if obj.residence_status_to else None

    @staticmethod
    def resolve_date_of_death(obj: Resident) -> str | None:
        return obj.date_of_death.isoformat() if obj.date_of_death else None

    @staticmethod
    def resolve_warnings(obj: Resident) -> list[dict]:
        return [w.as_dict() for w in getattr(obj, "warnings", [])]

    @staticmethod
    def resolve_cccd(obj: Resident, context: dict | None) -> str | None:
        return _shown(obj, "cccd", context)

    @staticmethod
    def resolve_phone(obj: Resident, context: dict | None) -> str:
        return _shown(obj, "phone", context)

    @staticmethod
    def resolve_bhyt_card_number(obj: Resident, context: dict | None) -> str:
        return _shown(obj, "bhyt_card_number", context)

    @staticmethod
    def resolve_social_insurance_number(obj: Resident, context: dict | None) -> str | None:
        return _shown(obj, "social_insurance_number", context)

    @staticmethod
    def resolve_emergency_contact_phone(obj: Resident, context: dict | None) -> str:
        return _shown(obj, "emergency_contact_phone", context)


def _shown(resident: Resident, field: str, context: dict | None) -> Any:
    """``field`` of ``resident`` as the reader of the response may see it; masked when there is no reader.

    The decision depends only on the reader and the person's place, so a response asks it once per place
    (a list of 200 residents of one village: once, not a thousand times).
    """
    maskers = context.setdefault("maskers", {}) if context is not None else {}
    place = (resident.commune_id, resident.village_id)
    if place not in maskers:
        request = (context or {}).get("request")
        maskers[place] = masker_for(getattr(request, "user", None), resident)
    return maskers[place](field, getattr(resident, field))


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


class ResidentPage(Schema):
    count: int
    items: list[ResidentOut]


class HouseholdPage(Schema):
    count: int
    items: list[HouseholdOut]


RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]  # a database id: a filter outside it is bad input, not a 500


class ListParams(Schema):
    """Filters by unit or household id; ``limit`` (at most 200) and ``offset`` are clamped, never refused."""

    commune: RecordId | None = None
    village: RecordId | None = None
    household: RecordId | None = None
    limit: int = 50
    offset: int = 0


def _window(params: ListParams) -> list_selectors.Window:
    return list_selectors.Window(limit=params.limit, offset=params.offset)


@router.get("/residents", response={200: ResidentPage, 422: ErrorOut})
def resident_list(request: HttpRequest, params: Query[ListParams]) -> list_selectors.ListPage:
    """Residents the user may open, oldest record first (at most 200 a page); each is named in the audit row."""
    return list_selectors.resident_list(context=AuditContext.from_request(request), window=_window(params),
                                        commune=params.commune, village=params.village, household=params.household)


@router.get("/residents/{resident_id}", response={200: ResidentOut, 404: ErrorOut})
def resident_get(request: HttpRequest, resident_id: int) -> Resident:
    return record_selectors.resident_view(context=AuditContext.from_request(request), pk=resident_id)


@router.get("/residents/{resident_id}/record", response={200: dict, 404: ErrorOut})
def resident_record(request: HttpRequest, resident_id: int) -> dict:
    """The whole QĐ 831 record (same content as the JSON export)."""
    return record_selectors.resident_record(context=AuditContext.from_request(request), pk=resident_id)


FHIR_200 = {"200": {"description": "A FHIR R4 Patient resource",
                    "content": {"application/fhir+json": {"schema": {"type": "object"}}}}}


@router.get("/residents/{resident_id}/fhir", response={404: ErrorOut}, openapi_extra={"responses": FHIR_200})
def resident_fhir(request: HttpRequest, resident_id: int) -> HttpResponse:
    """The resident as a validated FHIR R4 (R4B models) Patient resource."""
    patient = Patient.model_validate(record_selectors.resident_fhir(context=AuditContext.from_request(request),
                                                                   pk=resident_id))
    return HttpResponse(patient.model_dump_json(), content_type="application/fhir+json")


@router.get("/households", response={200: HouseholdPage, 422: ErrorOut})
def household_list(request: HttpRequest, params: Query[ListParams]) -> list_selectors.ListPage:
    """Households the user may open (members are listed by ``GET /households/{id}``)."""
    return list_selectors.household_list(context=AuditContext.from_request(request), window=_window(params),
                                         commune=params.commune, village=params.village)


def household_with_members(request: HttpRequest, household: Household) -> Household:
    """``household`` with the members the user may open, for the output schema."""
    household.shown_members = list_selectors.household_members(request.user, household)
    return household


@router.get("/households/{household_id}", response={200: HouseholdOut, 404: ErrorOut})
def household_get(request: HttpRequest, household_id: int) -> Household:
    return list_selectors.household_view(context=AuditContext.from_request(request), pk=household_id)


from ytcs.people import api_register  # noqa: E402, F401  (the writes, on the same router)
