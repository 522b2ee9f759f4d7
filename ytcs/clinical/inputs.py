"""Turning raw input (a JSON body or a posted form) into typed visit data.

Only types are checked here (is it a number, a date); what the values mean is checked by
``validation.py``, which the services call, so the API and the form share every rule.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext

from ytcs.clinical.errors import FieldError
from ytcs.clinical.vitals import VITALS, VITALS_BY_FIELD
from ytcs.core.datetimes import as_vietnam_time


@dataclass
class DiagnosisData:
    code: str
    is_primary: bool = False
    note: str = ""


@dataclass
class PrescriptionData:
    drug_name: str
    strength: str = ""
    dose_instructions: str = ""
    quantity: int | None = None
    unit: str = "viên"
    days: int | None = None


@dataclass
class EncounterData:
    occurred_at: datetime | None
    payer: str = ""
    outcome: str = "treated"
    reason: str = ""
    practitioner_name: str = ""
    facility_name: str = ""
    advice: str = ""
    follow_up_on: date | None = None
    glucose_fasting: bool | None = None
    vitals: dict[str, float | None] = field(default_factory=dict)
    diagnoses: list[DiagnosisData] = field(default_factory=list)
    prescriptions: list[PrescriptionData] = field(default_factory=list)


_TEXT_FIELDS = ("payer", "outcome", "reason", "practitioner_name", "facility_name", "advice")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: Any, *, whole: bool) -> float | int:
    """``"36,5"`` (Vietnamese decimal comma) and ``"36.5"`` both parse; raises ``ValueError``."""
    if isinstance(value, bool):
        raise ValueError
    number = float(value) if isinstance(value, int | float) else float(str(value).strip().replace(",", "."))
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError
    if whole:
        if number != int(number):
            raise ValueError
        return int(number)
    return number


def _bool(value: Any) -> bool | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "on", "yes", "co", "có")


def _datetime(value: Any) -> datetime | None:
    parsed = value if isinstance(value, datetime) else parse_datetime(str(value).strip())
    if parsed is None:
        raise ValueError
    return as_vietnam_time(parsed)


def _date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    parsed = parse_date(str(value).strip())
    if parsed is None:
        raise ValueError
    return parsed


def parse_encounter(raw: Mapping[str, Any]) -> tuple[EncounterData, list[FieldError]]:
    """Typed visit data from ``raw`` plus a type error for every field that could not be read."""
    errors: list[FieldError] = []
    data = EncounterData(occurred_at=None)
    for name in _TEXT_FIELDS:
        if name in raw:
            setattr(data, name, _text(raw[name]))
    if _blank(raw.get("occurred_at")):
        errors.append(FieldError("occurred_at", "required", gettext("Cần nhập thời điểm khám")))
    else:
        try:
            data.occurred_at = _datetime(raw["occurred_at"])
        except (ValueError, TypeError):
            errors.append(FieldError("occurred_at", "invalid", gettext("Thời điểm khám không đúng định dạng")))
    if not _blank(raw.get("follow_up_on")):
        try:
            data.follow_up_on = _date(raw["follow_up_on"])
        except (ValueError, TypeError):
            errors.append(FieldError("follow_up_on", "invalid", gettext("Ngày hẹn tái khám không đúng định dạng")))
    data.glucose_fasting = _bool(raw.get("glucose_fasting"))
    for spec in VITALS:
        value = raw.get(spec.field)
        if _blank(value):
            data.vitals[spec.field] = None
            continue
        try:
            data.vitals[spec.field] = _number(value, whole=spec.decimals == 0)
        except (ValueError, TypeError):
            message = (
                gettext("%(label)s phải là số nguyên") if spec.decimals == 0 else gettext("%(label)s phải là một số")
            )
            errors.append(FieldError(spec.field, "invalid", message % {"label": VITALS_BY_FIELD[spec.field].label}))
    for index, item in enumerate(raw.get("diagnoses") or []):
        if not isinstance(item, Mapping):
            errors.append(FieldError(f"diagnoses.{index}", "invalid", gettext("Chẩn đoán không hợp lệ")))
            continue
        data.diagnoses.append(
            DiagnosisData(
                code=_text(item.get("code")),
                is_primary=bool(_bool(item.get("is_primary"))),
                note=_text(item.get("note")),
            )
        )
    for index, item in enumerate(raw.get("prescriptions") or []):
        if not isinstance(item, Mapping):
            errors.append(FieldError(f"prescriptions.{index}", "invalid", gettext("Dòng đơn thuốc không hợp lệ")))
            continue
        line = PrescriptionData(
            drug_name=_text(item.get("drug_name")),
            strength=_text(item.get("strength")),
            dose_instructions=_text(item.get("dose_instructions")),
            unit=_text(item.get("unit")) or "viên",
        )
        for name in ("quantity", "days"):
            if _blank(item.get(name)):
                continue
            try:
                setattr(line, name, _number(item[name], whole=True))
            except (ValueError, TypeError):
                errors.append(FieldError(f"prescriptions.{index}.{name}", "invalid", gettext("Phải là số nguyên")))
        data.prescriptions.append(line)
    return data, errors
