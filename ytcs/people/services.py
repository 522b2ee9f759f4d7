"""Writes to the resident register: residents and households (the QĐ 831 record sections: ``sections``).

Every function is keyword-only and takes the typed input of :mod:`ytcs.people.inputs` and an
``AuditContext`` (who acts, from where; a view, the API, a command or a job alike). Each checks the refusal
rule first (:mod:`ytcs.people.capture`: 404 where the actor cannot see, 403 where they see but may not
write), then every rule of :mod:`ytcs.people.validation` on the server, raising ``DomainError`` with all
the blocking errors at once; it writes in one transaction with one audit row whose ``changes`` hold masked
identifiers only. The web forms, the API and the life-event services all come through here, so a rule is
checked the same way wherever the data was typed.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.errors import DomainError, FieldError
from ytcs.orgunits.models import OrgUnit
from ytcs.people.capture import require_capture_of_place, require_capture_of_record
from ytcs.people.inputs import (
    HOUSEHOLD_FIELDS,
    LIST_SECTIONS,
    ONE_TO_ONE_SECTIONS,
    RESIDENT_FIELDS,
    HouseholdFields,
    ResidentFields,
    section_fields,
)
from ytcs.people.models import Household, LifeEvent, Relationship, ResidenceHistory, Resident
from ytcs.people.sections import section_entry_add, section_entry_remove, section_save
from ytcs.people.validation import (
    duplicate_identifier_errors,
    normalise_icd10,
    validate_household,
    validate_resident,
)
from ytcs.people.writes import diff, open_residence, raise_on_errors, refresh_completeness, snapshot

if TYPE_CHECKING:
    from ytcs.people.dedup.registration import DifferentPeople

# Names other modules import from here (the record export, the page tests): the sections and the shared rules.
__all__ = [
    "HOUSEHOLD_FIELDS", "LIST_SECTIONS", "ONE_TO_ONE_SECTIONS", "RESIDENT_FIELDS", "household_create",
    "household_register", "household_update", "normalise_icd10", "resident_create", "resident_update",
    "section_entry_add", "section_entry_remove", "section_fields", "section_save",
]


# --- residents ---


def _save_resident(context: AuditContext, resident: Resident) -> None:
    try:
        with transaction.atomic():
            resident.save()
    except IntegrityError as exc:  # a concurrent writer took the identifier after the check
        errors = duplicate_identifier_errors(context.actor, resident)
        if errors:
            raise DomainError(errors) from exc
        raise


def _apply(resident: Resident, fields: ResidentFields) -> None:
    for name, value in fields.given().items():
        setattr(resident, name, value)


def _audit_created(context: AuditContext, resident: Resident) -> None:
    audit_record(context=context, action=AuditAction.CREATE, resource_type=ResourceType.RESIDENT,
                 resource_id=resident.pk, subject_ids=[resident.pk], changes=diff({}, resident, RESIDENT_FIELDS))


def _audit_member_added(context: AuditContext, household: Household, resident: Resident) -> None:
    """A household that gains a member has changed: audited naming everyone in it."""
    members = list(household.members.order_by("pk").values_list("pk", flat=True))
    audit_record(context=context, action=AuditAction.UPDATE, resource_type=ResourceType.HOUSEHOLD,
                 resource_id=household.pk, subject_ids=members, changes={"member_added": [None, resident.pk]})


def resident_create(*, context: AuditContext, commune: OrgUnit, fields: ResidentFields,
                    registered_on: datetime.date | None = None, mother: Resident | None = None,
                    different_from: DifferentPeople | None = None, check_duplicates: bool = True) -> Resident:
    """Put a person on ``commune``'s register (and open their residence history).

    Once the input is valid, the person's likely duplicates among the residents the actor may open stop the
    registration (``dedup.registration.DuplicatesFound``) unless ``different_from`` (a ``DifferentPeople``)
    answers "another person" for each of them; the answer is then kept on the review queue.
    ``check_duplicates=False`` only for a caller that checks in its own way (a birth, registered from the
    mother's record). A person registered into a household lives in its village unless another is given. The
    warnings of the checks are left on ``resident.warnings``.
    """
    from ytcs.people.dedup.registration import record_different_people, registration_check

    household = fields.household
    village = fields.village or (household.village if household is not None else None)
    require_capture_of_place(context, commune, village, household=household)
    resident = Resident(commune=commune, mother=mother, village=village)
    _apply(resident, fields)
    resident.village = village
    resident.warnings = raise_on_errors(validate_resident(context.actor, resident))
    answered = registration_check(context=context, residents=[resident], commune=commune, members=False,
                                  answers={0: different_from} if different_from else {}) if check_duplicates else {}
    with transaction.atomic():
        _save_resident(context, resident)
        since = registered_on or timezone.localdate()
        open_residence(resident, since=since)
        LifeEvent.objects.create(resident=resident, kind=LifeEvent.Kind.REGISTERED, occurred_on=since,
                                 commune=commune, recorded_by=context.actor)
        refresh_completeness(resident)
        _audit_created(context, resident)
        if household is not None:
            _audit_member_added(context, household, resident)
        if answered:
            record_different_people(context=context, resident=resident, matches=answered[0], answer=different_from)
    return resident


def resident_update(*, context: AuditContext, resident: Resident, fields: ResidentFields) -> Resident:
    """Change the fields given in ``fields``; a new village or household starts a new residence-history period."""
    require_capture_of_record(context, resident)
    before = snapshot(resident, RESIDENT_FIELDS)
    _apply(resident, fields)
    with transaction.atomic():
        resident.warnings = raise_on_errors(validate_resident(context.actor, resident))
        changes = diff(before, resident, RESIDENT_FIELDS)
        if not changes:
            return resident
        _save_resident(context, resident)
        if "village" in changes or "household" in changes:
            today = timezone.localdate()
            ResidenceHistory.objects.filter(resident=resident, valid_to__isnull=True).update(valid_to=today)
            ResidenceHistory.objects.filter(resident=resident, valid_from=today, valid_to=today).delete()
            open_residence(resident, since=today)
            LifeEvent.objects.create(resident=resident, kind=LifeEvent.Kind.MOVE_WITHIN, occurred_on=today,
                                     commune=resident.commune, recorded_by=context.actor)
        refresh_completeness(resident)
        audit_record(context=context, action=AuditAction.UPDATE, resource_type=ResourceType.RESIDENT,
                     resource_id=resident.pk, subject_ids=[resident.pk], changes=changes)
    return resident


# --- households ---


def household_create(*, context: AuditContext, commune: OrgUnit, village: OrgUnit | None, code: str = "",
                     address: str = "") -> Household:
    """A household with no members yet (members come through ``resident_create`` or ``household_register``)."""
    require_capture_of_place(context, commune, village)
    household = Household(commune=commune, village=village, code=code, address=address)
    with transaction.atomic():
        raise_on_errors(validate_household(household))
        household.save()
        audit_record(context=context, action=AuditAction.CREATE, resource_type=ResourceType.HOUSEHOLD,
                     resource_id=household.pk, changes=diff({}, household, HOUSEHOLD_FIELDS))
    return household


def household_update(*, context: AuditContext, household: Household, fields: HouseholdFields) -> Household:
    """Change the fields given in ``fields`` (code, village, address, head)."""
    require_capture_of_record(context, household)
    before = snapshot(household, HOUSEHOLD_FIELDS)
    for name, value in fields.given().items():
        setattr(household, name, value)
    with transaction.atomic():
        raise_on_errors(validate_household(household))
        household.save()
        members = list(household.members.values_list("pk", flat=True))
        audit_record(context=context, action=AuditAction.UPDATE, resource_type=ResourceType.HOUSEHOLD,
                     resource_id=household.pk, subject_ids=members,
                     changes=diff(before, household, HOUSEHOLD_FIELDS))
    return household


def household_register(*, context: AuditContext, commune: OrgUnit, village: OrgUnit | None, code: str = "",
                       address: str = "", members: list[ResidentFields],
                       different_from: dict[int, DifferentPeople] | None = None) -> Household:
    """A household and all its members in one go, as a nurse copies them from the household book.

    All rows are checked before anything is written; errors name the member as ``members.<i>.<field>``.
    Exactly one member must be the head of household. Then each member's likely duplicates stop the
    registration as in ``resident_create``; ``different_from`` maps a member's index to its answer.
    Members live in the household's village: their own ``household`` and ``village`` are not read.
    """
    from ytcs.people.dedup.registration import record_different_people, registration_check

    require_capture_of_place(context, commune, village)
    household = Household(commune=commune, village=village, code=code, address=address)
    errors = validate_household(household)
    heads = [i for i, m in enumerate(members) if m.relationship_to_head == Relationship.HEAD]
    if not members:
        errors.append(FieldError("members", "household_no_members", _("Hộ phải có ít nhất một thành viên.")))
    elif len(heads) != 1:
        index = heads[1] if len(heads) > 1 else 0
        errors.append(FieldError(f"members.{index}.relationship_to_head", "household_head_count", _(
            "Mỗi hộ phải có đúng một chủ hộ (đang có %(count)s)."
        ) % {"count": len(heads)}))
    residents: list[Resident] = []
    taken: dict[str, set[str]] = {}
    for i, member in enumerate(members):
        resident = Resident(commune=commune, village=village)
        for name, value in member.given().items():
            if name not in ("household", "village"):
                setattr(resident, name, value)
        errors += [e.prefixed(f"members.{i}") for e in validate_resident(context.actor, resident, taken=taken)]
        residents.append(resident)
    raise_on_errors(errors)
    answers = different_from or {}
    answered = registration_check(context=context, residents=residents, commune=commune, answers=answers,
                                  members=True)
    with transaction.atomic():
        household.save()
        today = timezone.localdate()
        for resident in residents:
            resident.household = household
            _save_resident(context, resident)
            open_residence(resident, since=today)
            LifeEvent.objects.create(resident=resident, kind=LifeEvent.Kind.REGISTERED, occurred_on=today,
                                     commune=commune, recorded_by=context.actor)
            refresh_completeness(resident)
        household.head = residents[heads[0]]
        household.save(update_fields=["head"])
        audit_record(context=context, action=AuditAction.CREATE, resource_type=ResourceType.HOUSEHOLD,
                     resource_id=household.pk, subject_ids=[r.pk for r in residents],
                     changes=diff({}, household, HOUSEHOLD_FIELDS))
        for resident in residents:
            _audit_created(context, resident)
        for index, matches in answered.items():
            record_different_people(context=context, resident=residents[index], matches=matches,
                                    answer=answers[index])
    return household
