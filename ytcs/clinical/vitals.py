"""Vital signs: plausibility bounds (blocking), clinical alert thresholds (warnings) and BMI.

The bounds reject values that cannot be a real measurement (typing slips such as 1200 for 120);
alerts flag real but alarming values for the clinician and never block saving. Both are data here
so a province can review them without reading the validation code.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ytcs.core.errors import FieldError


@dataclass(frozen=True)
class VitalSpec:
    field: str
    label: Promise
    unit: str
    minimum: float
    maximum: float
    decimals: int  # 0 = whole numbers only


VITALS: tuple[VitalSpec, ...] = (
    VitalSpec("systolic", _("Huyết áp tâm thu"), "mmHg", 60, 300, 0),
    VitalSpec("diastolic", _("Huyết áp tâm trương"), "mmHg", 30, 200, 0),
    VitalSpec("pulse", _("Mạch"), _("lần/phút"), 20, 250, 0),
    VitalSpec("temperature", _("Nhiệt độ"), "°C", 30, 45, 1),
    VitalSpec("respiratory_rate", _("Nhịp thở"), _("lần/phút"), 5, 80, 0),
    VitalSpec("spo2", _("SpO2"), "%", 50, 100, 0),
    VitalSpec("weight_kg", _("Cân nặng"), "kg", 0.5, 300, 2),
    VitalSpec("height_cm", _("Chiều cao"), "cm", 30, 250, 1),
    VitalSpec("waist_cm", _("Vòng eo"), "cm", 30, 250, 1),
    VitalSpec("glucose_mmol", _("Đường huyết mao mạch"), "mmol/L", 1.0, 40, 1),
)
VITALS_BY_FIELD = {spec.field: spec for spec in VITALS}
# The encounter columns a vitals reading fills: every measured value, plus whether the glucose was taken fasting.
VITAL_FIELDS: tuple[str, ...] = (*VITALS_BY_FIELD, "glucose_fasting")
BMI_PLAUSIBLE = (8.0, 80.0)


def _num(value: float) -> str:
    return number_format(value, decimal_pos=None if value != int(value) else 0)


def bounds_errors(values: dict[str, float | None]) -> list[FieldError]:
    """Errors for vitals outside their plausibility bounds and for inconsistent pairs."""
    errors = []
    for spec in VITALS:
        value = values.get(spec.field)
        if value is None:
            continue
        if not spec.minimum <= value <= spec.maximum:
            errors.append(
                FieldError(
                    spec.field,
                    "out_of_range",
                    gettext("%(label)s phải trong khoảng %(min)s–%(max)s %(unit)s")
                    % {"label": spec.label, "min": _num(spec.minimum), "max": _num(spec.maximum), "unit": spec.unit},
                )
            )
    systolic, diastolic = values.get("systolic"), values.get("diastolic")
    if (systolic is None) != (diastolic is None):
        missing = "diastolic" if diastolic is None else "systolic"
        errors.append(FieldError(missing, "required", gettext("Cần nhập cả huyết áp tâm thu và tâm trương")))
    elif systolic is not None and diastolic is not None and diastolic >= systolic:
        errors.append(
            FieldError("diastolic", "inconsistent", gettext("Huyết áp tâm trương phải nhỏ hơn huyết áp tâm thu"))
        )
    bmi = bmi_of(values.get("weight_kg"), values.get("height_cm"))
    if (
        bmi is not None
        and not BMI_PLAUSIBLE[0] <= bmi <= BMI_PLAUSIBLE[1]
        and not any(e.field in ("weight_kg", "height_cm") for e in errors)
    ):
        errors.append(
            FieldError(
                "weight_kg",
                "inconsistent",
                gettext("BMI tính ra %(bmi)s kg/m² là không hợp lý: kiểm tra lại cân nặng và chiều cao")
                % {"bmi": _num(bmi)},
            )
        )
    return errors


def bmi_of(weight_kg: float | None, height_cm: float | None) -> float | None:
    """Body-mass index in kg/m², one decimal; ``None`` unless both measurements are present."""
    if not weight_kg or not height_cm:
        return None
    return round(weight_kg / (height_cm / 100) ** 2, 1)


@dataclass(frozen=True)
class Alert:
    level: str  # "danger" | "warning" | "info"
    field: str
    message: str


def bp_grade(systolic: int | None, diastolic: int | None) -> int | None:
    """Office-BP grade per QĐ 3192/QĐ-BYT (2010): 0 below 140/90, else 1–3; the higher of the two wins."""
    if systolic is None or diastolic is None:
        return None

    def grade(value: int, cut1: int, cut2: int, cut3: int) -> int:
        return 3 if value >= cut3 else 2 if value >= cut2 else 1 if value >= cut1 else 0

    return max(grade(systolic, 140, 160, 180), grade(diastolic, 90, 100, 110))


def _age_in_months(birth: date | None, on: date) -> int | None:
    if birth is None:
        return None
    return (on.year - birth.year) * 12 + on.month - birth.month - (on.day < birth.day)


def vitals_alerts(values: dict[str, float | None], *, birth_date: date | None, on: date) -> list[Alert]:
    """Clinically alarming values to show beside the visit (never blocking).

    Thresholds: BP grades from QĐ 3192/QĐ-BYT; glucose from the WHO diagnostic criteria (fasting
    ≥ 7.0, random ≥ 11.1, hypoglycaemia < 3.9 mmol/L); fast breathing from WHO IMCI (≥ 60/50/40 by
    age under 5); BMI cut-offs for Asian adults (WHO WPRO 2000: ≥ 23 overweight, ≥ 25 obese). The
    SpO2, temperature and pulse thresholds are common clinical practice, marked as assumptions in
    docs/clinical.md.
    """
    alerts: list[Alert] = []
    systolic, diastolic = values.get("systolic"), values.get("diastolic")
    grade = bp_grade(systolic, diastolic)
    if grade == 3:
        alerts.append(Alert("danger", "systolic", gettext("Tăng huyết áp độ 3 — cần xử trí/chuyển tuyến")))
    elif grade == 2:
        alerts.append(Alert("warning", "systolic", gettext("Tăng huyết áp độ 2")))
    elif grade == 1:
        alerts.append(Alert("info", "systolic", gettext("Tăng huyết áp độ 1 (≥ 140/90 mmHg)")))
    elif systolic is not None and systolic < 90:
        alerts.append(Alert("warning", "systolic", gettext("Huyết áp thấp (tâm thu < 90 mmHg)")))
    spo2 = values.get("spo2")
    if spo2 is not None and spo2 < 90:
        alerts.append(Alert("danger", "spo2", gettext("SpO2 < 90% — cần thở oxy/chuyển tuyến")))
    elif spo2 is not None and spo2 < 94:
        alerts.append(Alert("warning", "spo2", gettext("SpO2 thấp (< 94%)")))
    temperature = values.get("temperature")
    if temperature is not None and temperature >= 39.0:
        alerts.append(Alert("warning", "temperature", gettext("Sốt cao (≥ 39 °C)")))
    elif temperature is not None and temperature >= 37.5:
        alerts.append(Alert("info", "temperature", gettext("Sốt (≥ 37,5 °C)")))
    elif temperature is not None and temperature < 35.0:
        alerts.append(Alert("danger", "temperature", gettext("Hạ thân nhiệt (< 35 °C)")))
    glucose = values.get("glucose_mmol")
    if glucose is not None:
        if glucose < 3.9:
            alerts.append(Alert("danger", "glucose_mmol", gettext("Hạ đường huyết (< 3,9 mmol/L)")))
        elif values.get("glucose_fasting") and glucose >= 7.0:
            alerts.append(Alert("warning", "glucose_mmol", gettext("Đường huyết lúc đói ≥ 7,0 mmol/L")))
        elif glucose >= 11.1:
            alerts.append(Alert("warning", "glucose_mmol", gettext("Đường huyết ≥ 11,1 mmol/L")))
    months = _age_in_months(birth_date, on)
    rate = values.get("respiratory_rate")
    if rate is not None and months is not None and months < 60:
        limit = 60 if months < 2 else 50 if months < 12 else 40
        if rate >= limit:
            alerts.append(
                Alert(
                    "warning",
                    "respiratory_rate",
                    gettext("Thở nhanh theo IMCI (≥ %(limit)s lần/phút)") % {"limit": limit},
                )
            )
    adult = months is None or months >= 18 * 12
    pulse = values.get("pulse")
    if adult and pulse is not None and (pulse > 120 or pulse < 50):
        alerts.append(Alert("warning", "pulse", gettext("Mạch bất thường (< 50 hoặc > 120 lần/phút)")))
    bmi = bmi_of(values.get("weight_kg"), values.get("height_cm"))
    if adult and bmi is not None:
        if bmi >= 25:
            alerts.append(Alert("info", "weight_kg", gettext("Béo phì (BMI ≥ 25, ngưỡng cho người châu Á)")))
        elif bmi >= 23:
            alerts.append(Alert("info", "weight_kg", gettext("Thừa cân (BMI ≥ 23, ngưỡng cho người châu Á)")))
        elif bmi < 18.5:
            alerts.append(Alert("info", "weight_kg", gettext("Thiếu cân (BMI < 18,5)")))
    return alerts
