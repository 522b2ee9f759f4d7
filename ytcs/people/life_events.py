"""Births, deaths and moves: the events that keep a commune's register true.

Each is a service in the sense of :mod:`ytcs.people.services` (keyword-only, one transaction, capture
scope, audit). A move rewrites ``Resident.commune``, which is what the access scope follows, so after a
move out the record is visible to the new commune and no longer to the old one; ``ResidenceHistory``
keeps the half-open periods so the old commune still counts the person for the time they lived there.
"""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ytcs.accounts.models import User
from ytcs.audit.services import audit_record
from ytcs.orgunits.models import OrgUnit
from ytcs.people.identifiers import FieldError
from ytcs.people.models import Household, LifeEvent, Relationship, ResidenceHistory, Resident
from ytcs.people.services import (
    RegisterError,
    audit_value,
    check_capture,
    normalise_icd10,
    refresh_completeness,
    resident_create,
    section_save,
)

MIN_MOTHER_AGE_YEARS = 10
BIRTH_CONDITION_FIELDS = ("birth_delivery", "birth_preterm", "birth_asphyxia", "birth_weight_g", "birth_length_cm",
                          "birth_defects", "birth_other_problems")

# The newborn's relationship to the head, from the mother's.
_CHILD_RELATIONSHIP = {
    Relationship.HEAD: Relationship.CHILD,
    Relationship.SPOUSE: Relationship.CHILD,
    Relationship.CHILD: Relationship.GRANDCHILD,
    Relationship.CHILD_IN_LAW: Relationship.GRANDCHILD,
}


def birth_register(*, actor: User, mother: Resident, child: dict[str, Any],
                   birth_condition: dict[str, Any] | None = None, request: Any = None) -> Resident:
    """Register a newborn in the mother's household, village and commune, linked to the mother.

    ``child`` holds the resident fields (names, sex, birth date at least); ``birth_condition`` the
    QĐ 831 condition-at-birth fields (weight, delivery…), saved on the child's health profile.
    """
    check_capture(actor, mother.commune)
    errors = []
    born = child.get("birth_date")
    if mother.sex != "F":
        errors.append(FieldError("mother", "mother_not_female", _("Người mẹ phải là nữ.")))
    if mother.date_of_death and born and born > mother.date_of_death:
        errors.append(FieldError("birth_date", "mother_deceased", _("Ngày sinh sau ngày mất của người mẹ.")))
    if born and born.year - mother.birth_date.year < MIN_MOTHER_AGE_YEARS:
        errors.append(FieldError("birth_date", "mother_too_young", _(
            "Ngày sinh của trẻ không hợp lý so với năm sinh của mẹ (%(year)s).") % {"year": mother.birth_year}))
    if errors:
        raise RegisterError(errors)
    data = {"household": mother.household, "village": mother.village, **child}
    data.setdefault("relationship_to_head",
                    _CHILD_RELATIONSHIP.get(mother.relationship_to_head, Relationship.OTHER) if mother.household_id
                    else "")
    data.setdefault("ethnicity", mother.ethnicity)
    with transaction.atomic():
        # A newborn is registered from the mother's record, so it is not checked for duplicates here: the
        # household form and the scan find a child registered twice.
        resident = resident_create(actor=actor, commune=mother.commune, data=data, mother=mother,
                                   registered_on=born, check_duplicates=False, request=request)
        LifeEvent.objects.filter(resident=resident, kind=LifeEvent.Kind.REGISTERED).update(kind=LifeEvent.Kind.BIRTH)
        if birth_condition:
            section_save(actor=actor, resident=resident, section="health_profile",
                         data={k: v for k, v in birth_condition.items() if k in BIRTH_CONDITION_FIELDS},
                         request=request)
            refresh_completeness(resident)
        audit_record(actor=actor, action="update", resource_type="people.Resident", resource_id=mother.pk,
                     subject_ids=[mother.pk, resident.pk], changes={"child_registered": [None, resident.pk]},
                     request=request)
    return resident


def death_register(*, actor: User, resident: Resident, died_on: datetime.date, cause_icd10: str,
                   note: str = "", request: Any = None) -> Resident:
    """Record a death with its ICD-10 (WHO 2019) underlying cause; the person stays on the register, marked dead."""
    check_capture(actor, resident.commune)
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
    if errors:
        raise RegisterError(errors)
    with transaction.atomic():
        resident.date_of_death = died_on
        resident.cause_of_death_icd10 = cause
        resident.save(update_fields=["date_of_death", "cause_of_death_icd10", "updated_at"])
        LifeEvent.objects.create(resident=resident, kind=LifeEvent.Kind.DEATH, occurred_on=died_on,
                                 commune=resident.commune, cause_icd10=cause, note=note, recorded_by=actor)
        refresh_completeness(resident)
        audit_record(actor=actor, action="update", resource_type="people.Resident", resource_id=resident.pk,
                     subject_ids=[resident.pk], request=request,
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
        errors.append(FieldError("resident", "deceased", _("Không thể chuyển cư cho người đã mất.")))
    if moved_on > timezone.localdate() or (current is not None and moved_on <= current.valid_from):
        errors.append(FieldError("moved_on", "move_date_range", _(
            "Ngày chuyển phải sau ngày bắt đầu cư trú hiện tại (%(since)s) và không sau hôm nay.")
            % {"since": current.valid_from.strftime("%d/%m/%Y") if current else "-"}))
    return errors


def residence_move(*, actor: User, resident: Resident, to_commune: OrgUnit, moved_on: datetime.date,
                   to_village: OrgUnit | None = None, to_household: Household | None = None,
                   relationship_to_head: str = "", request: Any = None) -> Resident:
    """Move a person to another village/household or commune; the record follows them.

    Recorded by the commune the person leaves (it is the one that can see them). The current
    residence period is closed at ``moved_on`` and a new one opened from that day.
    """
    check_capture(actor, resident.commune)
    current = ResidenceHistory.objects.filter(resident=resident, valid_to__isnull=True).first()
    errors = _move_errors(resident, to_commune, to_village, to_household, moved_on, current)
    if relationship_to_head and relationship_to_head not in Relationship.values:
        errors.append(FieldError("relationship_to_head", "relationship_unknown", _("Quan hệ với chủ hộ không hợp lệ.")))
    if errors:
        raise RegisterError(errors)
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
                                     commune=to_commune, recorded_by=actor)
        else:
            LifeEvent.objects.bulk_create([
                LifeEvent(resident=resident, kind=LifeEvent.Kind.MOVE_OUT, occurred_on=moved_on,
                          commune=from_commune, other_commune=to_commune, recorded_by=actor),
                LifeEvent(resident=resident, kind=LifeEvent.Kind.MOVE_IN, occurred_on=moved_on,
                          commune=to_commune, other_commune=from_commune, recorded_by=actor),
            ])
        refresh_completeness(resident)
        after = {"commune": to_commune.pk, "village": resident.village_id, "household": resident.household_id}
        audit_record(actor=actor, action="update", resource_type="people.Resident", resource_id=resident.pk,
                     subject_ids=[resident.pk], request=request,
                     changes={k: [audit_value(k, before[k]), audit_value(k, after[k])]
                              for k in before if before[k] != after[k]} | {"moved_on": [None, moved_on.isoformat()]})
    return resident


def residents_living_in(*, commune: OrgUnit, on: datetime.date):  # noqa: ANN201 - a queryset of Resident
    """Everyone whose residence period in ``commune`` covers ``on`` and who was alive that day.

    Not scoped: for indicators (aggregate counts), never for showing people.
    """
    periods = ResidenceHistory.objects.filter(commune=commune, valid_from__lte=on).exclude(valid_to__lte=on)
    return Resident.objects.filter(pk__in=periods.values("resident_id")).exclude(date_of_death__lt=on)
