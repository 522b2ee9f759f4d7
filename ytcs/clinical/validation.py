"""The rules a visit must satisfy before it is stored; called by the services for every write path.

The input arrives typed (``inputs.EncounterIn``, from the API body or the visit form); these are the rules
about what the values mean. Each broken rule is a ``ytcs.core.errors.FieldError`` named by the field as the
client sent it (``systolic``, ``diagnoses.0.code``, ``prescriptions.1.quantity``).
"""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext

from ytcs.clinical.icd10 import icd10_get, normalise_code
from ytcs.clinical.inputs import EncounterIn
from ytcs.clinical.models import Outcome, Payer
from ytcs.clinical.vitals import Alert, bounds_errors, vitals_alerts
from ytcs.core.errors import FieldError
from ytcs.people.models import Resident, Sex

CLOCK_SKEW = timedelta(minutes=10)
MAX_QUANTITY = 10_000
MAX_DAYS = 365
_TEXT_LIMITS = {"reason": 500, "practitioner_name": 200, "facility_name": 200, "advice": 5000}

# ICD-10 categories restricted to one sex (WHO ICD-10 Volume 2, 4.2.5), as inclusive ranges of 3-character
# categories plus single subcategories.
_FEMALE_ONLY = (
    ("O00", "O99"),
    ("Z32", "Z36"),
    ("Z39", "Z39"),
    ("N70", "N98"),
    ("C51", "C58"),
    ("D06", "D06"),
    ("D25", "D27"),
    ("E28", "E28"),
    ("A34", "A34"),
    ("B37.3", "B37.3"),
    ("P96.4", "P96.4"),
)
_MALE_ONLY = (
    ("N40", "N51"),
    ("C60", "C63"),
    ("D29", "D29"),
    ("D40", "D40"),
    ("E29", "E29"),
    ("D07.4", "D07.6"),
    ("B26.0", "B26.0"),
    ("Z12.5", "Z12.5"),
)


def _in_ranges(code: str, ranges: tuple[tuple[str, str], ...]) -> bool:
    return any(low <= code[: len(low)] <= high for low, high in ranges)


def sex_mismatch(code: str, sex: str) -> bool:
    if sex == Sex.MALE:
        return _in_ranges(code, _FEMALE_ONLY)
    if sex == Sex.FEMALE:
        return _in_ranges(code, _MALE_ONLY)
    return False


def encounter_errors(data: EncounterIn, *, resident: Resident) -> list[FieldError]:
    """Every rule the visit breaks; an empty list means it may be stored."""
    errors: list[FieldError] = []
    at = data.occurred_at
    if at is not None:
        if at > timezone.now() + CLOCK_SKEW:
            errors.append(FieldError("occurred_at", "in_future", gettext("Thời điểm khám không được ở tương lai")))
        day = timezone.localtime(at).date()
        if day < resident.birth_date:
            errors.append(
                FieldError("occurred_at", "before_birth", gettext("Thời điểm khám trước ngày sinh của người bệnh"))
            )
        if resident.date_of_death and day > resident.date_of_death:
            errors.append(
                FieldError("occurred_at", "after_death", gettext("Thời điểm khám sau ngày mất của người bệnh"))
            )
        if data.follow_up_on and data.follow_up_on < day:
            errors.append(FieldError("follow_up_on", "before_visit", gettext("Ngày hẹn tái khám phải sau ngày khám")))
        if data.payer == Payer.BHYT and not bhyt_valid_on(resident, day):
            errors.append(
                FieldError("payer", "no_valid_card", gettext("Người bệnh không có thẻ BHYT còn hạn vào ngày khám"))
            )
    if data.payer not in Payer.values:
        errors.append(
            FieldError("payer", "invalid_choice", gettext("Chọn đối tượng: BHYT, tự chi trả hoặc nguồn khác"))
        )
    if data.outcome not in Outcome.values:
        errors.append(FieldError("outcome", "invalid_choice", gettext("Kết quả khám không hợp lệ")))
    for name, limit in _TEXT_LIMITS.items():
        if len(getattr(data, name)) > limit:
            errors.append(FieldError(name, "too_long", gettext("Tối đa %(limit)s ký tự") % {"limit": limit}))
    errors += bounds_errors(data.vitals)
    errors += _diagnosis_errors(data, resident=resident)
    errors += _prescription_errors(data)
    return errors


def bhyt_valid_on(resident: Resident, day: date) -> bool:
    """Whether the resident holds a health-insurance card valid on ``day`` (decides the default payer)."""
    if not resident.bhyt_card_number:
        return False
    if resident.bhyt_valid_from and day < resident.bhyt_valid_from:
        return False
    return not (resident.bhyt_valid_to and day > resident.bhyt_valid_to)


def _diagnosis_errors(data: EncounterIn, *, resident: Resident) -> list[FieldError]:
    errors: list[FieldError] = []
    if not data.diagnoses:
        return [FieldError("diagnoses", "required", gettext("Cần ít nhất một chẩn đoán (mã ICD-10)"))]
    seen: set[str] = set()
    for index, diagnosis in enumerate(data.diagnoses):
        name = f"diagnoses.{index}.code"
        entry = icd10_get(diagnosis.code)
        if entry is None:
            errors.append(
                FieldError(
                    name,
                    "unknown_code",
                    gettext("Mã ICD-10 “%(code)s” không có trong danh mục WHO ICD-10") % {"code": diagnosis.code},
                )
            )
            continue
        diagnosis.code = entry.code
        if entry.code in seen:
            errors.append(FieldError(name, "duplicate", gettext("Mã %(code)s đã được nhập") % {"code": entry.code}))
        seen.add(entry.code)
        if sex_mismatch(entry.code, resident.sex):
            errors.append(
                FieldError(
                    name,
                    "sex_mismatch",
                    gettext("Mã %(code)s không dùng cho giới tính của người bệnh") % {"code": entry.code},
                )
            )
        if len(diagnosis.note) > 300:
            errors.append(
                FieldError(f"diagnoses.{index}.note", "too_long", gettext("Tối đa %(limit)s ký tự") % {"limit": 300})
            )
    primaries = [d for d in data.diagnoses if d.is_primary]
    if len(primaries) > 1:
        errors.append(FieldError("diagnoses", "several_primary", gettext("Chỉ được chọn một bệnh chính")))
    elif not primaries:
        data.diagnoses[0].is_primary = True
    return errors


def _prescription_errors(data: EncounterIn) -> list[FieldError]:
    errors: list[FieldError] = []
    for index, line in enumerate(data.prescriptions):
        prefix = f"prescriptions.{index}"
        if not 1 <= line.quantity <= MAX_QUANTITY:
            errors.append(
                FieldError(
                    f"{prefix}.quantity",
                    "out_of_range",
                    gettext("Số lượng phải trong khoảng 1–%(max)s") % {"max": MAX_QUANTITY},
                )
            )
        if line.days is not None and not 1 <= line.days <= MAX_DAYS:
            errors.append(
                FieldError(
                    f"{prefix}.days",
                    "out_of_range",
                    gettext("Số ngày dùng thuốc phải trong khoảng 1–%(max)s") % {"max": MAX_DAYS},
                )
            )
        for name, limit in (("drug_name", 200), ("strength", 60), ("dose_instructions", 300), ("unit", 20)):
            if len(getattr(line, name)) > limit:
                errors.append(
                    FieldError(f"{prefix}.{name}", "too_long", gettext("Tối đa %(limit)s ký tự") % {"limit": limit})
                )
    return errors


def encounter_warnings(data: EncounterIn, *, resident: Resident) -> list[Alert]:
    """Non-blocking flags: alarming vitals and diagnoses coded at category level where a subcategory exists."""
    day = timezone.localtime(data.occurred_at).date() if data.occurred_at else timezone.localdate()
    values = {**data.vitals, "glucose_fasting": data.glucose_fasting}
    alerts = vitals_alerts(values, birth_date=resident.birth_date, on=day)
    for index, diagnosis in enumerate(data.diagnoses):
        entry = icd10_get(diagnosis.code) if diagnosis.code else None
        if entry is not None and not entry.is_leaf:
            alerts.append(
                Alert(
                    "info",
                    f"diagnoses.{index}.code",
                    gettext("Mã %(code)s còn mã chi tiết hơn (4 ký tự); nên chọn mã chi tiết")
                    % {"code": normalise_code(entry.code)},
                )
            )
    return alerts
