"""The register's writes in the JSON API (mounted with the reads of ``people.api`` at /api/people/).

Thin: each endpoint turns its ninja schema into the typed input of :mod:`ytcs.people.inputs` (ids of units
and records looked up, records through the door) and calls the same service the web form calls, with the
request's ``AuditContext``. Nothing here builds an error: the services raise ``DomainError`` (422),
``OutOfScope`` (404) and ``NotAllowed`` (403) and the handlers of ``ytcs.core.api`` answer with the one
error body in the user's language. The one extension is the registration's 409: the body has the usual
``errors`` and the likely duplicates as ``candidates`` (:class:`DuplicatesOut`), to be answered with
``not_duplicate_of`` and ``not_duplicate_reason``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pydantic
from django.http import HttpRequest
from ninja import Body, Schema, Status
from ninja.errors import ValidationError

from ytcs.audit.context import AuditContext
from ytcs.core.api import ErrorItem, ErrorOut
from ytcs.core.errors import OutOfScope
from ytcs.orgunits.models import OrgUnit
from ytcs.people.access import get_household_for, get_resident_for
from ytcs.people.api import HouseholdOut, ResidentOut, household_with_members, router
from ytcs.people.capture import registration_commune, require_capture_of_record
from ytcs.people.dedup.registration import DifferentPeople, DuplicatesFound
from ytcs.people.exports import section_data
from ytcs.people.inputs import (
    LIST_SECTIONS,
    ONE_TO_ONE_SECTIONS,
    HouseholdFields,
    Input,
    ResidentFields,
    move_destination,
    section_input,
    section_values,
)
from ytcs.people.life_events import birth_register, death_register, residence_move
from ytcs.people.models import HealthProfile, Household, Resident
from ytcs.people.sections import section_entry_add, section_entry_remove, section_save
from ytcs.people.services import (
    household_create,
    household_register,
    household_update,
    resident_create,
    resident_update,
)

REFUSALS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ResidentIn(Schema):
    """Resident fields; dates as YYYY-MM-DD, ``village`` and ``household`` as ids. Omitted = unchanged (PATCH).

    ``commune`` defaults to the user's own commune (after a merger, the one it became).
    """

    commune: int | None = None
    family_name: str | None = None
    middle_name: str | None = None
    given_name: str | None = None
    sex: str | None = None
    birth_date: datetime.date | None = None
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
    bhyt_valid_from: datetime.date | None = None
    bhyt_valid_to: datetime.date | None = None
    bhyt_primary_care_facility_code: str | None = None
    bhyt_primary_care_facility_name: str | None = None
    emergency_contact_name: str | None = None
    emergency_contact_relationship: str | None = None
    emergency_contact_phone: str | None = None
    residence_status: str | None = None  # permanent (thường trú), temporary (tạm trú), absent (tạm vắng)
    residence_status_from: datetime.date | None = None
    residence_status_to: datetime.date | None = None
    # The answer "another person" to the likely duplicates a 409 named (registration only): their ids, and why.
    not_duplicate_of: list[int] | None = None
    not_duplicate_reason: str | None = None


NOT_FIELDS = {"commune", "not_duplicate_of", "not_duplicate_reason"}


class HouseholdIn(Schema):
    commune: int | None = None
    village: int | None = None
    code: str | None = None
    address: str | None = None
    head: int | None = None
    members: list[ResidentIn] = []


class ReasonOut(Schema):
    code: str
    label: str
    points: float


class CandidateOut(Schema):
    """A likely duplicate the user may open: who, where, how likely and why; no identifier."""

    member: int | None = None  # the index of the household member it is a candidate for
    id: int
    full_name: str
    sex: str
    birth_date: str
    commune_id: int
    village_id: int | None
    village: str
    household_id: int | None
    household_code: str
    level: str
    score: float
    reasons: list[ReasonOut]


class DuplicatesOut(Schema):
    """409: the one error body plus the likely duplicates the user may open; send again with
    ``not_duplicate_of`` (their ids) and ``not_duplicate_reason`` to register another person."""

    errors: list[ErrorItem]
    candidates: list[CandidateOut]


class ChildIn(Schema):
    family_name: str | None = None
    middle_name: str | None = None
    given_name: str | None = None
    sex: str | None = None
    birth_date: datetime.date | None = None


class BirthConditionIn(Schema):
    """The QĐ 831 condition at birth, kept on the child's health profile."""

    birth_weight_g: int | None = None
    birth_length_cm: Decimal | None = None
    birth_delivery: str | None = None
    birth_preterm: bool | None = None
    birth_asphyxia: bool | None = None
    birth_defects: str | None = None
    birth_other_problems: str | None = None


class BirthIn(Schema):
    child: ChildIn
    birth_condition: BirthConditionIn = BirthConditionIn()


class DeathIn(Schema):
    died_on: datetime.date
    cause_icd10: str
    note: str = ""


class MoveIn(Schema):
    moved_on: datetime.date
    to_commune_code: str
    to_village_code: str = ""


# --- from the schemas to the typed inputs ---


def _unit(pk: int | None, level: int) -> OrgUnit | None:
    """The unit an id in a body names (404 for none at that level, like an unknown record)."""
    if pk is None:
        return None
    unit = OrgUnit.objects.filter(pk=pk, level=level).first()
    if unit is None:
        raise OutOfScope
    return unit


def _resident_fields(request: HttpRequest, payload: ResidentIn, *, member: bool = False) -> ResidentFields:
    """The fields the client sent; the village by id, the household through the door (404 outside scope).

    A household ``member`` lives in the household being registered: its own village and household are not read.
    """
    values = payload.dict(exclude_unset=True, exclude=NOT_FIELDS | ({"village", "household"} if member else set()))
    if "village" in values:
        values["village"] = _unit(values["village"], OrgUnit.Level.VILLAGE)
    if values.get("household") is not None:
        values["household"] = get_household_for(AuditContext.from_request(request), values["household"])
    return ResidentFields(**values)


def _answer(payload: ResidentIn) -> DifferentPeople | None:
    if payload.not_duplicate_of is None:
        return None
    return DifferentPeople(frozenset(payload.not_duplicate_of), payload.not_duplicate_reason or "")


def _conflict(exc: DuplicatesFound, *, members: bool) -> Status:
    """409 with the candidates (residents the user may open); for a household each names its ``member``."""
    candidates = [CandidateOut(member=index if members else None, **match.as_dict())
                  for index, matches in exc.matches.items() for match in matches]
    return Status(409, DuplicatesOut(errors=[ErrorItem(**e.as_dict()) for e in exc.errors], candidates=candidates))


def _for_writing(request: HttpRequest, resident_id: int) -> tuple[AuditContext, Resident]:
    """The resident a write is about: 404 outside the search scope, 403 where the user may not capture."""
    context = AuditContext.from_request(request)
    resident = get_resident_for(AuditContext.from_request(request), resident_id)
    require_capture_of_record(context, resident)
    return context, resident


def _section_fields(section: str, payload: dict[str, Any], sections: dict) -> Input:
    """A section's input from the body; 404 for a section name not in ``sections``, 422 for a bad field."""
    if section not in sections:
        raise OutOfScope
    try:
        return section_values(section, payload)
    except pydantic.ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False, include_input=False)
        raise ValidationError([{**e, "loc": ("body", "payload", *e["loc"])} for e in errors]) from exc


# --- residents ---


@router.post("/residents", response={201: ResidentOut, 409: DuplicatesOut, **REFUSALS})
def resident_post(request: HttpRequest, payload: ResidentIn) -> Status:
    """Register one person; 409 with the likely duplicates unless ``not_duplicate_of`` answers for each."""
    fields = _resident_fields(request, payload)
    village = fields.village or (fields.household.village if fields.household else None)
    commune = registration_commune(request.user, payload.commune, village=village)
    try:
        resident = resident_create(context=AuditContext.from_request(request), commune=commune, fields=fields,
                                   different_from=_answer(payload))
    except DuplicatesFound as exc:
        return _conflict(exc, members=False)
    return Status(201, resident)


@router.patch("/residents/{resident_id}", response={200: ResidentOut, **REFUSALS})
def resident_patch(request: HttpRequest, resident_id: int, payload: ResidentIn) -> Resident:
    """Change the fields sent (``commune`` is not one of them: a move is ``events/move``)."""
    context, resident = _for_writing(request, resident_id)
    return resident_update(context=context, resident=resident, fields=_resident_fields(request, payload))


@router.put("/residents/{resident_id}/sections/{section}", response={200: dict, **REFUSALS})
def section_put(request: HttpRequest, resident_id: int, section: str,
                payload: dict[str, Any] = Body(...)) -> dict:  # noqa: B008 - ninja's way to declare a body
    """Replace a one-to-one section: ``health_profile``, ``risk_factors`` or ``reproductive_history``.

    The body holds the section's fields (those of the section's part of ``GET …/record``); omitted ones are
    emptied.
    """
    context, resident = _for_writing(request, resident_id)
    section_save(context=context, resident=resident, fields=_section_fields(section, payload, ONE_TO_ONE_SECTIONS))
    return section_data(resident, section)


@router.post("/residents/{resident_id}/sections/{section}/entries", response={201: dict, **REFUSALS})
def entry_post(request: HttpRequest, resident_id: int, section: str,
               payload: dict[str, Any] = Body(...)) -> Status:  # noqa: B008 - ninja's way to declare a body
    """Add a row to ``allergies``, ``disabilities``, ``medical_history`` or ``surgeries``."""
    context, resident = _for_writing(request, resident_id)
    entry = section_entry_add(context=context, resident=resident,
                              fields=_section_fields(section, payload, LIST_SECTIONS))
    return Status(201, next(e for e in section_data(resident, section) if e["id"] == entry.pk))


@router.delete("/residents/{resident_id}/sections/{section}/entries/{entry_id}", response={204: None, **REFUSALS})
def entry_delete(request: HttpRequest, resident_id: int, section: str, entry_id: int) -> Status:
    context, resident = _for_writing(request, resident_id)
    section_entry_remove(context=context, resident=resident, section=section, entry_id=entry_id)
    return Status(204, None)


# --- life events ---


@router.post("/residents/{resident_id}/events/birth", response={201: ResidentOut, **REFUSALS})
def event_birth(request: HttpRequest, resident_id: int, payload: BirthIn) -> Status:
    """Register a newborn of this (female) resident."""
    context, mother = _for_writing(request, resident_id)
    condition = section_input(HealthProfile)(**payload.birth_condition.dict(exclude_unset=True))
    child = birth_register(context=context, mother=mother, birth_condition=condition,
                           child=ResidentFields(**payload.child.dict(exclude_unset=True)))
    return Status(201, child)


@router.post("/residents/{resident_id}/events/death", response={200: ResidentOut, **REFUSALS})
def event_death(request: HttpRequest, resident_id: int, payload: DeathIn) -> Resident:
    context, resident = _for_writing(request, resident_id)
    return death_register(context=context, resident=resident, died_on=payload.died_on,
                          cause_icd10=payload.cause_icd10, note=payload.note)


@router.post("/residents/{resident_id}/events/move", response={200: ResidentOut, **REFUSALS})
def event_move(request: HttpRequest, resident_id: int, payload: MoveIn) -> Resident:
    """Move a resident; after a move to another commune the record is no longer visible to this one."""
    context, resident = _for_writing(request, resident_id)
    to_commune, to_village = move_destination(payload.to_commune_code, payload.to_village_code)
    return residence_move(context=context, resident=resident, moved_on=payload.moved_on, to_commune=to_commune,
                          to_village=to_village)


# --- households ---


@router.post("/households", response={201: HouseholdOut, 409: DuplicatesOut, **REFUSALS})
def household_post(request: HttpRequest, payload: HouseholdIn) -> Status:
    """A household, with its members in the same request (all or nothing) when ``members`` is given.

    409 with the likely duplicates of its members (each candidate names its ``member`` index) unless each
    such member answers with ``not_duplicate_of`` and ``not_duplicate_reason``.
    """
    context = AuditContext.from_request(request)
    village = _unit(payload.village, OrgUnit.Level.VILLAGE)
    commune = registration_commune(request.user, payload.commune, village=village)
    place = {"commune": commune, "village": village, "code": payload.code or "", "address": payload.address or ""}
    if not payload.members:
        return Status(201, household_with_members(request, household_create(context=context, **place)))
    members = [_resident_fields(request, member, member=True) for member in payload.members]
    answers = {i: a for i, m in enumerate(payload.members) if (a := _answer(m)) is not None}
    try:
        household = household_register(context=context, members=members, different_from=answers, **place)
    except DuplicatesFound as exc:
        return _conflict(exc, members=True)
    return Status(201, household_with_members(request, household))


@router.patch("/households/{household_id}", response={200: HouseholdOut, **REFUSALS})
def household_patch(request: HttpRequest, household_id: int, payload: HouseholdIn) -> Household:
    """Change the household's code, village, address or head (a member, by id)."""
    context = AuditContext.from_request(request)
    household = get_household_for(AuditContext.from_request(request), household_id)
    require_capture_of_record(context, household)
    values = payload.dict(exclude_unset=True, include={"code", "village", "address", "head"})
    if "village" in values:
        values["village"] = _unit(values["village"], OrgUnit.Level.VILLAGE)
    if values.get("head") is not None:
        values["head"] = get_resident_for(AuditContext.from_request(request), values["head"])
    household = household_update(context=context, household=household, fields=HouseholdFields(**values))
    return household_with_members(request, household)
