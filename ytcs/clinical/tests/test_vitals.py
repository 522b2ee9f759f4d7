from datetime import date

import pytest

from ytcs.clinical.vitals import VITALS, bmi_of, bounds_errors, bp_grade, vitals_alerts


def _values(**kwargs):
    return {spec.field: None for spec in VITALS} | kwargs


@pytest.mark.parametrize("spec", VITALS, ids=lambda s: s.field)
def test_each_vital_accepts_its_bounds_and_rejects_just_outside(spec):
    step = 1 if spec.decimals == 0 else 0.1
    pair = {"systolic": 300, "diastolic": 30} if spec.field in ("systolic", "diastolic") else {}
    for inside in (spec.minimum, spec.maximum):
        values = _values(**({**pair, spec.field: inside}))
        if spec.field == "systolic":
            values["diastolic"] = 30
        if spec.field == "diastolic":
            values["systolic"] = 300
        assert [e for e in bounds_errors(values) if e.field == spec.field and e.code == "out_of_range"] == []
    for outside in (spec.minimum - step, spec.maximum + step):
        errors = [e for e in bounds_errors(_values(**{spec.field: outside})) if e.code == "out_of_range"]
        assert len(errors) == 1
        assert errors[0].field == spec.field
        assert str(spec.label) in errors[0].message


def test_systolic_message_names_field_range_and_unit():
    (error,) = [e for e in bounds_errors(_values(systolic=400, diastolic=80)) if e.field == "systolic"]
    assert error.message == "Huyết áp tâm thu phải trong khoảng 60–300 mmHg"


def test_diastolic_must_be_below_systolic_and_both_are_needed():
    assert [e.code for e in bounds_errors(_values(systolic=120, diastolic=120))] == ["inconsistent"]
    assert [(e.field, e.code) for e in bounds_errors(_values(systolic=120))] == [("diastolic", "required")]


def test_bmi_is_weight_over_height_squared_and_implausible_bmi_is_refused():
    assert bmi_of(62.5, 160) == 24.4
    assert bmi_of(62.5, None) is None
    errors = bounds_errors(_values(weight_kg=250, height_cm=100))
    assert [(e.field, e.code) for e in errors] == [("weight_kg", "inconsistent")]


@pytest.mark.parametrize(
    ("systolic", "diastolic", "grade"),
    [
        (118, 78, 0),
        (139, 89, 0),
        (140, 80, 1),
        (120, 90, 1),
        (165, 85, 2),
        (150, 105, 2),
        (180, 100, 3),
        (130, 110, 3),
    ],
)
def test_bp_grades_follow_qd_3192(systolic, diastolic, grade):
    assert bp_grade(systolic, diastolic) == grade


def test_alerts_flag_grade_3_hypertension_low_spo2_and_fast_breathing_in_infants():
    adult = vitals_alerts(
        _values(systolic=185, diastolic=100, spo2=88), birth_date=date(1950, 1, 1), on=date(2026, 1, 1)
    )
    assert ("danger", "Tăng huyết áp độ 3 — cần xử trí/chuyển tuyến") in [(a.level, a.message) for a in adult]
    assert any(a.field == "spo2" and a.level == "danger" for a in adult)
    infant = vitals_alerts(_values(respiratory_rate=52), birth_date=date(2025, 9, 1), on=date(2026, 1, 1))
    assert [a.field for a in infant] == ["respiratory_rate"]
    calm = vitals_alerts(
        _values(systolic=118, diastolic=76, temperature=36.8), birth_date=date(1990, 1, 1), on=date(2026, 1, 1)
    )
    assert calm == []
