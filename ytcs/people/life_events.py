"""Births, deaths and moves: the events that keep a commune's register true.

Each is a service in the sense of :mod:`ytcs.people.services` (keyword-only, an ``AuditContext``, one
transaction, the refusal rule of :mod:`ytcs.people.capture` on the person's record, ``DomainError`` naming
every bad field, audit). A move rewrites ``Resident.commune``, which is what the access scope follows, so
after a move out the record is visible to the new commune and no longer to the old one; ``ResidenceHistory``
keeps the half-open periods so the old commune still counts the person for the time they lived there.
"""

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.errors import DomainError, FieldError
from ytcs.orgunits.models import OrgUnit
from ytcs.people.capture import require_capture_of_record
from ytcs.people.inputs import Input, ResidentFields
from ytcs.people.models import Household, LifeEvent, Relationship, ResidenceHistory, Resident
from ytcs.people.sections import section_save
from ytcs.people.services import resident_create
from ytcs.people.validation import normalise_icd10
from ytcs.people.writes import audit_value, refresh_completeness

MIN_MOTHER_AGE_YEARS = 10
T = TypeVar("T")
NOTE_MAX_LENGTH = LifeEvent._meta.get_field("note").max_length

# The newborn's relationship to the head, from the mother's.
_CHILD_RELATIONSHIP = {
    Relationship.HEAD: Relationship.CHILD,
    Relationship.SPOUSE: Relationship.CHILD,
    Relationship.CHILD: Relationship.GRANDCHILD,
    Relationship.CHILD_IN_LAW: Relationship.GRANDCHILD,
}


def birth_register(*, context: AuditContext, mother: Resident, child: ResidentFields,
                   birth_condition: Input | None = None) -> Resident:
    """Register a newborn in the mother's household, village and commune, linked to the mother.

    ``child`` holds the resident fields (names, sex, birth date at least; household, village, relationship to
    the head and ethnicity default to the mother's); ``birth_condition`` the QĐ 831 condition at birth
    (``section_input(HealthProfile)``: weight, delivery…), saved on the child's health profile. Errors name
    the fields as ``child.<field>`` and ``birth_condition.<field>``, as the API receives them.
    """
    require_capture_of_record(context, mother)
    errors = []
    born = child.birth_date
    if mother.sex != "F":
        errors.append(FieldError(None, "mother_not_female", _("Người mẹ phải là nữ.")))
    if mother.date_of_death and born and born > mother.date_of_death:
        errors.append(FieldError("child.birth_date", "mother_deceased", _("Ngày sinh sau ngày mất của người mẹ.")))
    if born and born.year - mother.birth_date.year < MIN_MOTHER_AGE_YEARS:
        errors.append(FieldError("child.birth_date", "mother_too_young", _(
            "Ngày sinh của trẻ không hợp lý so với năm sinh của mẹ (%(year)s).") % {"year": mother.birth_year}))
    if errors:
        raise DomainError(errors)
    defaults = {
        "household": mother.household, "village": mother.village, "ethnicity": mother.ethnicity,
        "relationship_to_head": _CHILD_RELATIONSHIP.get(mother.relationship_to_head, Relationship.OTHER)
        if mother.household_id else "",
    }
    fields = ResidentFields(**(defaults | child.given()))
    with transaction.atomic():
        # A newborn is registered from the mother's record, so it is not checked for duplicates here: the
        # household form and the scan find a child registered twice.
        resident = _nested("child", resident_create, context=context, commune=mother.commune, fields=fields,
                           mother=mother, registered_on=born, check_duplicates=False)
        LifeEvent.objects.filter(resident=resident, kind=LifeEvent.Kind.REGISTERED).update(kind=LifeEvent.Kind.BIRTH)
        if birth_condition is not None and birth_condition.given():
            _nested("birth_condition", section_save, context=context, resident=resident, fields=birth_condition)
            refresh_completeness(resident)
        audit_record(context=context, action=AuditAction.UPDATE, resource_type=ResourceType.RESIDENT,
                     resource_id=mother.pk, subject_ids=[mother.pk, resident.pk],
                     changes={"child_registered": [None, resident.pk]})
    return resident


def _nested(prefix: str, service: Callable[..., T], **kwargs: Any) -> T:
    """Call ``service``; its input errors renamed for the part of the input they came from."""
    try:
        return service(**kwargs)
    except DomainError as exc:
        if type(exc) is not DomainError:
            raise
        raise DomainError([e.prefixed(prefix) for e in exc.errors]) from exc


def death_register(*, context: AuditContext, resident: Resident, died_on: datetime.date, cause_icd10: str,
                   note: str = "") -> Resident:
    """Record a death with its ICD-10 (WHO 2019) underlying cause; the person stays on the register, marked dead."""
    require_capture_of_record(context, resident)
    errors = []
    if resident.date_of_death:
        died = resident.date_of_death.strftime("%d/%m/%Y")
        errors.append(FieldError("died_on", "already_deceased", _(
            "Người này đã được ghi nhận tử vong ngày %(date)s.") % {"date": died}))
    if died_on < resident.birth_date or died_on > timezone.localdate():
        errors.append(FieldError("died_on", "death_date_range", _(
            "Ngày mất phải từ ngày sinh đến hôm nay.")))
    cause, icd_errors = normalise_icd10(cause_icd10, field="cause_icd10")
    errors += icd_errors
    if not cause and not icd_errors:
        errors.append(FieldError("cause_icd10", "cause_required", _(
            "Hãy ghi nguyên nhân tử vong bằng mã ICD-10 (dùng R99 nếu không rõ nguyên nhân).")))
    if len(note) > NOTE_MAX_LENGTH:
        errors.append(FieldError("note", "max_length", _("Dài quá %(limit)s ký tự.") % {"limit": NOTE_MAX_LENGTH}))
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        resident.date_of_death = died_on
        resident.cause_of_death_icd10 = cause
        resident.save(update_fields=["date_of_death", "cause_of_death_icd10", "updated_at"])
        LifeEvent.objects.create(resident=resident, kind=LifeEvent.Kind.DEATH, occurred_on=died_on,
                                 commune=resident.commune, cause_icd10=cause, note=note, recorded_by=context.actor)
        refresh_completeness(resident)
        audit_record(context=context, action=AuditAction.UPDATE, resource_type=ResourceType.RESIDENT,
                     resource_id=resident.pk, subject_ids=[resident.pk],
                     changes={"date_of_death": [None, died_on.isoformat()], "cause_of_death_icd10": [None, cause]})
    return resident


def _move_errors(resident: Resident, to_commune: OrgUnit, to_village: OrgUnit | None, to_household: Household | None,
                 moved_on: datetime.date, current: ResidenceHistory | None) -> list[FieldError]:
    errors = []
    if to_commune.level != OrgUnit.Level.COMMUNE or not to_commune.is_current:
        errors.append(FieldError("to_commune", "commune_invalid", _(
            "Nơi chuyển đến phải là một xã/phường/đặc khu đang tồn tại.")))
    if to_village is not None and (to_village.parent_id != to_commune.pk or to_village.level != OrgUnit.Level.VILLAGE):
        errors.append(FieldError("to_village", "village_not_in_commune", _(
            "Thôn/bản “%(village)s” không thuộc xã/phường “%(commune)s”.")
            % {"village": to_village.name, "commune": to_commune.name}))
    if to_household is not None and to_household.commune_id != to_commune.pk:
        errors.append(FieldError("to_household", "household_not_in_commune", _(
            "Hộ “%(code)s” không thuộc xã/phường “%(commune)s”.") % {"code": to_household.code,
                                                                      "commune": to_commune.name}))
    if resident.date_of_death:
        errors.append(FieldError(None, "deceased", _("Không thể chuyển cư cho người đã mất.")))
    if moved_on > timezone.localdate() or (current is not None and moved_on <= current.valid_from):
        errors.append(FieldError("moved_on", "move_date_range", _(
            "Ngày chuyển phải sau ngày bắt đầu cư trú hiện tại (%(since)s) và không sau hôm nay.")
            % {"since": current.valid_from.strftime("%d/%m/%Y") if current else "-"}))
    return errors


def residence_move(*, context: AuditContext, resident: Resident, to_commune: OrgUnit, moved_on: datetime.date,
                   to_village: OrgUnit | None = None, to_household: Household | None = None,
                   relationship_to_head: str = "") -> Resident:
    """Move a person to another village/household or commune; the record follows them.

    Recorded by the commune the person leaves (it is the one that can see them). The current
    residence period is closed at ``moved_on`` and a new one opened from that day.
    """
    require_capture_of_record(context, resident)
    current = ResidenceHistory.objects.filter(resident=resident, valid_to__isnull=True).first()
    errors = _move_errors(resident, to_commune, to_village, to_household, moved_on, current)
    if relationship_to_head and relationship_to_head not in Relationship.values:
        errors.append(FieldError("relationship_to_head", "relationship_unknown", _("Quan hệ với chủ hộ không hợp lệ.")))
    if errors:
        raise DomainError(errors)
    from_commune = resident.commune
    before = {"commune": from_commune.pk, "village": resident.village_id, "household": resident.household_id}
    with transaction.atomic():
        if resident.household_id and resident.household.head_id == resident.pk and resident.household != to_household:
            Household.objects.filter(pk=resident.household_id).update(head=None)
        if current is not None:
            current.valid_to = moved_on
            current.save(update_fields=["valid_to"])
        resident.commune, resident.village, resident.household = to_commune, to_village, to_household
        resident.relationship_to_head = relationship_to_head if to_household else ""
        resident.save(update_fields=["commune", "village", "household", "relationship_to_head", "updated_at"])
        ResidenceHistory.objects.create(resident=resident, commune=to_commune, village=to_village,
                                        household=to_household, valid_from=moved_on)
        if from_commune.pk == to_commune.pk:
            LifeEvent.objects.create(resident=resident, kind=LifeEvent.Kind.MOVE_WITHIN, occurred_on=moved_on,
                                     commune=to_commune, recorded_by=context.actor)
        else:
            LifeEvent.objects.bulk_create([
                LifeEvent(resident=resident, kind=LifeEvent.Kind.MOVE_OUT, occurred_on=moved_on,
                          commune=from_commune, other_commune=to_commune, recorded_by=context.actor),
                LifeEvent(resident=resident, kind=LifeEvent.Kind.MOVE_IN, occurred_on=moved_on,
                          commune=to_commune, other_commune=from_commune, recorded_by=context.actor),
            ])
        refresh_completeness(resident)
        after = {"commune": to_commune.pk, "village": resident.village_id, "household": resident.household_id}
        audit_record(context=context, action=AuditAction.UPDATE, resource_type=ResourceType.RESIDENT,
                     resource_id=resident.pk, subject_ids=[resident.pk],
                     changes={k: [audit_value(k, before[k]), audit_value(k, after[k])]
                              for k in before if before[k] != after[k]} | {"moved_on": [None, moved_on.isoformat()]})
    return resident


def residents_living_in(*, commune: OrgUnit, on: datetime.date):  # noqa: ANN201 - a queryset of Resident
    """Everyone whose residence period in ``commune`` covers ``on`` and who was alive that day.

    Not scoped: for indicators (aggregate counts), never for showing people.
    """
    periods = ResidenceHistory.objects.filter(commune=commune, valid_from__lte=on).exclude(valid_to__lte=on)
    return Resident.objects.filter(pk__in=periods.values("resident_id")).exclude(date_of_death__lt=on)
