"""The register's JSON API, mounted at /api/people/.

Thin: each endpoint coerces the body with the same form the web page uses, calls the same service,
and answers 422 ``{"errors": [{"field", "code", "message"}]}`` in the user's language (Accept-Language)
when either refuses the input. Reads call the selectors of ``list_selectors`` and ``record_selectors``,
which open records through the access module (404 outside scope, a refusal audited) and write the audit
row naming every resident returned. Identifiers leave as :func:`ytcs.accounts.masking.masker_for` decides
for the reader: :class:`ResidentOut` masks them for whoever asks.
"""

from typing import Annotated, Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from fhir.resources.R4B.patient import Patient
from ninja import Body, Field, Query, Router, Schema, Status

from ytcs.accounts.masking import masker_for
from ytcs.accounts.scope import capture_commune
from ytcs.audit.context import AuditContext
from ytcs.core.api import ErrorOut
from ytcs.orgunits.models import OrgUnit
from ytcs.people import forms as people_forms
from ytcs.people import list_selectors, record_selectors
from ytcs.people.access import get_resident_for, scoped_households
from ytcs.people.dedup.registration import DifferentPeople, DuplicatesFound
from ytcs.people.exports import section_data
from ytcs.people.identifiers import FieldError
from ytcs.people.life_events import birth_register, death_register, residence_move
from ytcs.people.models import Household, Resident
from ytcs.people.services import (
    LIST_SECTIONS,
    ONE_TO_ONE_SECTIONS,
    RegisterError,
    household_create,
    household_register,
    household_update,
    resident_create,
    resident_update,
    section_entry_add,
    section_entry_remove,
    section_save,
)

router = Router(tags=["people"])


class ResidentIn(Schema):
    """Resident fields; dates as YYYY-MM-DD, ``village`` and ``household`` as ids. Omitted = unchanged (PATCH).

    ``commune`` defaults to the user's own commune (after a merger, the one it became).
    """

    commune: int | None = None
    family_name: str | None = None
    middle_name: str | None = None
    given_name: str | None = None
    sex: str | None = None
    birth_date: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    occupation: str | None = None
    cccd: str | None = None
    phone: str | None = None
    household: int | None = None
    village: int | None = None
    relationship_to_head: str | None = None
    bhyt_card_number: str | None = None
    social_insurance_number: str | None = None
    bhyt_group_code: str | None = None
    bhyt_benefit_level: int | None = None
    bhyt_valid_from: str | None = None
    bhyt_valid_to: str | None = None
    bhyt_primary_care_facility_code: str | None = None
    bhyt_primary_care_facility_name: str | None = None
    emergency_contact_name: str | None = None
    emergency_contact_relationship: str | None = None
    emergency_contact_phone: str | None = None
    # The answer "another person" to the likely duplicates a 409 named (registration only): their ids, and why.
    not_duplicate_of: list[int] | None = None
    not_duplicate_reason: str | None = None


ANSWER_FIELDS = {"not_duplicate_of", "not_duplicate_reason"}


class DuplicatesOut(Schema):
    """409: likely duplicates the user may open; send again with ``not_duplicate_of`` and a reason to save."""

    errors: list[dict]
    candidates: list[dict]


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


class HouseholdIn(Schema):
    commune: int | None = None
    village: int | None = None
    code: str | None = None
    address: str | None = None
    head: int | None = None
    members: list[ResidentIn] = []


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


class BirthIn(Schema):
    child: dict
    birth_condition: dict = {}


class DeathIn(Schema):
    died_on: str
    cause_icd10: str
    note: str = ""


class MoveIn(Schema):
    moved_on: str
    to_commune_code: str
    to_village_code: str = ""


def _form_errors(form: Any, *, prefix: str = "") -> list[FieldError]:
    return [FieldError(prefix + name, error.code or "invalid", " ".join(error.messages))
            for name, items in form.errors.as_data().items() for error in items]


def _unprocessable(errors: list[FieldError]) -> tuple[int, dict]:
    return Status(422, {"errors": [e.as_dict() for e in errors]})


def _as_form_data(values: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        data[key] = str(value)
    return data


def _commune_for_capture(request: HttpRequest, commune_id: int | None) -> OrgUnit:
    """``commune_id``, or by default the user's own commune (after a merger, the one it became); 404 elsewhere."""
    return capture_commune(request.user, commune_id)


def _answer(payload: ResidentIn) -> DifferentPeople | None:
    if payload.not_duplicate_of is None:
        return None
    return DifferentPeople(frozenset(payload.not_duplicate_of), payload.not_duplicate_reason or "")


def _conflict(exc: DuplicatesFound, *, members: bool) -> Status:
    """409 with the candidates (``Match.as_dict``: residents the user may open); each names its ``member``."""
    candidates = [{**({"member": index} if members else {}), **match.as_dict()}
                  for index, matches in exc.matches.items() for match in matches]
    return Status(409, {"errors": [e.as_dict() for e in exc.errors], "candidates": candidates})


def _resident_form_values(resident: Resident) -> dict:
    values = {}
    for name in people_forms.RESIDENT_FIELDS:
        value = getattr(resident, name + "_id", None) if name in ("household", "village") else getattr(resident, name)
        values[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return values


def _window(params: ListParams) -> list_selectors.Window:
    return list_selectors.Window(limit=params.limit, offset=params.offset)


@router.get("/residents", response={200: ResidentPage, 422: ErrorOut})
def resident_list(request: HttpRequest, params: Query[ListParams]) -> list_selectors.ListPage:
    """Residents the user may open, oldest record first (at most 200 a page); each is named in the audit row."""
    return list_selectors.resident_list(context=AuditContext.from_request(request), window=_window(params),
                                        commune=params.commune, village=params.village, household=params.household)


@router.post("/residents", response={201: ResidentOut, 409: DuplicatesOut, 422: ErrorOut})
def resident_post(request: HttpRequest, payload: ResidentIn) -> Status:
    """Register one person; 409 with the likely duplicates unless ``not_duplicate_of`` answers for each."""
    commune = _commune_for_capture(request, payload.commune)
    form = people_forms.ResidentForm(_as_form_data(payload.dict(exclude={"commune", *ANSWER_FIELDS})),
                                     commune=commune)
    if not form.is_valid():
        return _unprocessable(_form_errors(form))
    try:
        resident = resident_create(actor=request.user, commune=commune, data=form.data_for_service(),
                                   different_from=_answer(payload), request=request)
    except DuplicatesFound as exc:
        return _conflict(exc, members=False)
    except RegisterError as exc:
        return _unprocessable(exc.errors)
    return Status(201, resident)


@router.get("/residents/{resident_id}", response={200: ResidentOut, 404: ErrorOut})
def resident_get(request: HttpRequest, resident_id: int) -> Resident:
    return record_selectors.resident_view(context=AuditContext.from_request(request), pk=resident_id)


@router.patch("/residents/{resident_id}", response={200: ResidentOut, 422: ErrorOut})
def resident_patch(request: HttpRequest, resident_id: int, payload: ResidentIn) -> Status:
    resident = get_resident_for(request.user, resident_id)
    changed = payload.dict(exclude_unset=True, exclude={"commune", *ANSWER_FIELDS})
    form = people_forms.ResidentForm(_as_form_data(_resident_form_values(resident) | changed),
                                     commune=resident.commune)
    if not form.is_valid():
        return _unprocessable(_form_errors(form))
    data = {k: v for k, v in form.data_for_service().items() if k in changed}
    try:
        resident = resident_update(actor=request.user, resident=resident, data=data, request=request)
    except RegisterError as exc:
        return _unprocessable(exc.errors)
    return Status(200, resident)


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


@router.put("/residents/{resident_id}/sections/{section}", response={200: dict, 422: ErrorOut})
def section_put(request: HttpRequest, resident_id: int, section: str, payload: dict = Body(...)) -> Status:  # noqa: B008
    """Replace a one-to-one section: ``health_profile``, ``risk_factors`` or ``reproductive_history``."""
    resident = get_resident_for(request.user, resident_id)
    if section not in ONE_TO_ONE_SECTIONS:
        raise Http404
    form = people_forms.SECTION_FORMS[section](_as_form_data(payload))
    if not form.is_valid():
        return _unprocessable(_form_errors(form))
    data = {k: v for k, v in form.cleaned_data.items() if k in payload or k in form.fields}
    try:
        section_save(actor=request.user, resident=resident, section=section, data=data, request=request)
    except RegisterError as exc:
        return _unprocessable(exc.errors)
    return Status(200, section_data(resident, section))


@router.post("/residents/{resident_id}/sections/{section}/entries", response={201: dict, 422: ErrorOut})
def entry_post(request: HttpRequest, resident_id: int, section: str, payload: dict = Body(...)) -> Status:  # noqa: B008
    """Add a row to ``allergies``, ``disabilities``, ``medical_history`` or ``surgeries``."""
    resident = get_resident_for(request.user, resident_id)
    if section not in LIST_SECTIONS:
        raise Http404
    form = people_forms.ENTRY_FORMS[section](_as_form_data(payload))
    if not form.is_valid():
        return _unprocessable(_form_errors(form))
    try:
        entry = section_entry_add(actor=request.user, resident=resident, section=section, data=form.cleaned_data,
                                  request=request)
    except RegisterError as exc:
        return _unprocessable(exc.errors)
    return Status(201, next(e for e in section_data(resident, section) if e["id"] == entry.pk))


@router.delete("/residents/{resident_id}/sections/{section}/entries/{entry_id}", response={204: None})
def entry_delete(request: HttpRequest, resident_id: int, section: str, entry_id: int) -> Status:
    resident = get_resident_for(request.user, resident_id)
    if section not in LIST_SECTIONS:
        raise Http404
    section_entry_remove(actor=request.user, resident=resident, section=section, entry_id=entry_id, request=request)
    return Status(204, None)


@router.post("/residents/{resident_id}/events/birth", response={201: ResidentOut, 422: ErrorOut})
def event_birth(request: HttpRequest, resident_id: int, payload: BirthIn) -> Status:
    """Register a newborn of this (female) resident."""
    mother = get_resident_for(request.user, resident_id)
    form = people_forms.BirthForm(_as_form_data(payload.child | payload.birth_condition))
    if not form.is_valid():
        return _unprocessable(_form_errors(form))
    try:
        child = birth_register(actor=request.user, mother=mother, child=form.child(),
                               birth_condition=form.birth_condition(), request=request)
    except RegisterError as exc:
        return _unprocessable(exc.errors)
    return Status(201, child)


@router.post("/residents/{resident_id}/events/death", response={200: ResidentOut, 422: ErrorOut})
def event_death(request: HttpRequest, resident_id: int, payload: DeathIn) -> Status:
    resident = get_resident_for(request.user, resident_id)
    form = people_forms.DeathForm(_as_form_data(payload.dict()))
    if not form.is_valid():
        return _unprocessable(_form_errors(form))
    try:
        resident = death_register(actor=request.user, resident=resident, request=request, **form.cleaned_data)
    except RegisterError as exc:
        return _unprocessable(exc.errors)
    return Status(200, resident)


@router.post("/residents/{resident_id}/events/move", response={200: ResidentOut, 422: ErrorOut})
def event_move(request: HttpRequest, resident_id: int, payload: MoveIn) -> Status:
    """Move a resident; after a move to another commune the record is no longer visible to this one."""
    resident = get_resident_for(request.user, resident_id)
    form = people_forms.MoveForm(_as_form_data(payload.dict()))
    if not form.is_valid():
        return _unprocessable(_form_errors(form))
    try:
        resident = residence_move(actor=request.user, resident=resident, moved_on=form.cleaned_data["moved_on"],
                                  to_commune=form.cleaned_data["to_commune"],
                                  to_village=form.cleaned_data["to_village"], request=request)
    except RegisterError as exc:
        return _unprocessable(exc.errors)
    return Status(200, resident)


@router.get("/households", response={200: HouseholdPage, 422: ErrorOut})
def household_list(request: HttpRequest, params: Query[ListParams]) -> list_selectors.ListPage:
    """Households the user may open (members are listed by ``GET /households/{id}``)."""
    return list_selectors.household_list(context=AuditContext.from_request(request), window=_window(params),
                                         commune=params.commune, village=params.village)


def household_with_members(request: HttpRequest, household: Household) -> Household:
    """``household`` with the members the user may open, for the output schema."""
    household.shown_members = list_selectors.household_members(request.user, household)
    return household


@router.post("/households", response={201: HouseholdOut, 409: DuplicatesOut, 422: ErrorOut})
def household_post(request: HttpRequest, payload: HouseholdIn) -> Status:
    """A household, with its members in the same request (all or nothing) when ``members`` is given.

    409 with the likely duplicates of its members (each candidate names its ``member`` index) unless each
    such member answers with ``not_duplicate_of`` and ``not_duplicate_reason``.
    """
    commune = _commune_for_capture(request, payload.commune)
    form = people_forms.HouseholdForm(_as_form_data(payload.dict(include={"code", "village", "address"})),
                                      commune=commune)
    errors = [] if form.is_valid() else _form_errors(form)
    members = []
    for i, member in enumerate(payload.members):
        member_form = people_forms.ResidentForm(_as_form_data(member.dict(exclude={"commune", *ANSWER_FIELDS})),
                                                commune=commune)
        if member_form.is_valid():
            members.append(member_form.data_for_service())
        else:
            errors += _form_errors(member_form, prefix=f"members.{i}.")
    if errors:
        return _unprocessable(errors)
    try:
        if members:
            answers = {i: a for i, m in enumerate(payload.members) if (a := _answer(m)) is not None}
            household = household_register(actor=request.user, commune=commune, members=members, request=request,
                                           different_from=answers, **form.cleaned_data)
        else:
            household = household_create(actor=request.user, commune=commune, request=request, **form.cleaned_data)
    except DuplicatesFound as exc:
        return _conflict(exc, members=True)
    except RegisterError as exc:
        return _unprocessable(exc.errors)
    return Status(201, household_with_members(request, household))


@router.get("/households/{household_id}", response={200: HouseholdOut, 404: ErrorOut})
def household_get(request: HttpRequest, household_id: int) -> Household:
    return list_selectors.household_view(context=AuditContext.from_request(request), pk=household_id)


@router.patch("/households/{household_id}", response={200: HouseholdOut, 422: ErrorOut})
def household_patch(request: HttpRequest, household_id: int, payload: HouseholdIn) -> Status:
    household = get_object_or_404(scoped_households(request.user), pk=household_id)
    changed = payload.dict(exclude_unset=True, include={"code", "village", "address", "head"})
    data: dict[str, Any] = {}
    errors = []
    if "village" in changed:
        data["village"] = people_forms.villages_of(household.commune).filter(pk=changed["village"]).first()
        if data["village"] is None:
            errors.append(FieldError("village", "village_not_in_commune", _(
                "Thôn/bản không thuộc xã/phường của hộ.")))
    if "head" in changed:
        data["head"] = household.members.filter(pk=changed["head"]).first() if changed["head"] else None
        if changed["head"] and data["head"] is None:
            errors.append(FieldError("head", "head_not_member", _("Chủ hộ phải là thành viên của hộ.")))
    for name in ("code", "address"):
        if name in changed:
            data[name] = changed[name] or ""
    if errors:
        return _unprocessable(errors)
    try:
        household = household_update(actor=request.user, household=household, data=data, request=request)
    except RegisterError as exc:
        return _unprocessable(exc.errors)
    return Status(200, household_with_members(request, household))
