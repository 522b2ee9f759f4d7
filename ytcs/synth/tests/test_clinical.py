import random
from datetime import date
from statistics import mean

import pytest
from django.core.management import call_command

from ytcs.clinical.icd10 import icd10_get
from ytcs.clinical.models import Condition, Diagnosis, Encounter, PrescriptionLine
from ytcs.clinical.tests.factories import ResidentFactory
from ytcs.clinical.validation import sex_mismatch
from ytcs.clinical.vitals import VITALS
from ytcs.orgunits.models import HealthFacility
from ytcs.people.models import Resident
from ytcs.synth.clinical import encounters_synthesise, synthetic_residents

END = date(2026, 6, 30)


@pytest.fixture
def population(place):
    rng = random.Random(7)
    for i in range(400):
        born = date(rng.randrange(1930, 2026), rng.randrange(1, 13), rng.randrange(1, 28))
        ResidentFactory(
            village=place.village_a1 if i % 2 else place.village_b1,
            sex="MF"[i % 2],
            birth_date=born,
            bhyt_card_number="" if i % 5 == 0 else "GD4010123456789",
        )
    return Resident.objects.all()


def test_synthetic_history_is_plausible(population):
    created = encounters_synthesise(residents=population, seed=1, years=3, end=END)
    assert created == Encounter.objects.count()
    per_person_year = created / (population.count() * 3)
    assert 0.8 < per_person_year < 4.0
    assert Diagnosis.objects.filter(is_primary=True).count() == created
    assert PrescriptionLine.objects.exists()
    for encounter in Encounter.objects.select_related("resident")[:3000]:
        assert encounter.resident.birth_date <= encounter.occurred_at.date() <= END
        for spec in VITALS:
            value = getattr(encounter, spec.field)
            assert value is None or spec.minimum <= value <= spec.maximum, (spec.field, value)
        if encounter.systolic is not None:
            assert encounter.diastolic < encounter.systolic
        assert encounter.payer == ("self_pay" if not encounter.resident.bhyt_card_number else "bhyt")
    for code, sex in Diagnosis.objects.values_list("icd10_code", "resident__sex").distinct():
        assert icd10_get(code) is not None and not sex_mismatch(code, sex)


def test_hypertensive_cohort_has_higher_bp_and_visits_monthly(population):
    encounters_synthesise(residents=population, seed=3, years=3, end=END)
    cohort = set(Condition.objects.filter(icd10_code="I10").values_list("resident_id", flat=True))
    assert cohort
    adults = Encounter.objects.filter(systolic__isnull=False)
    cohort_sbp = [s for r, s in adults.values_list("resident_id", "systolic") if r in cohort]
    others_sbp = [s for r, s in adults.values_list("resident_id", "systolic") if r not in cohort]
    assert mean(cohort_sbp) > mean(others_sbp) + 8  # others include unmanaged hypertensives
    visits = Encounter.objects.filter(resident_id__in=cohort).count()
    assert visits / len(cohort) > 15  # about monthly over 3 years
    diabetics = set(Condition.objects.filter(icd10_code="E11.9").values_list("resident_id", flat=True))
    if diabetics:
        glucose = Encounter.objects.filter(glucose_mmol__isnull=False)
        assert mean(g for r, g in glucose.values_list("resident_id", "glucose_mmol") if r in diabetics) > mean(
            g for r, g in glucose.values_list("resident_id", "glucose_mmol") if r not in diabetics
        )


def test_same_seed_same_history_and_rerun_adds_nothing(population):
    first = encounters_synthesise(residents=population, seed=5, years=2, end=END)
    signature = list(
        Encounter.objects.order_by("resident_id", "occurred_at").values_list("resident_id", "occurred_at", "systolic")
    )
    assert encounters_synthesise(residents=population, seed=5, years=2, end=END) == 0
    Encounter.objects.all().delete()
    Condition.objects.all().delete()
    assert encounters_synthesise(residents=population, seed=5, years=2, end=END) == first
    assert (
        list(
            Encounter.objects.order_by("resident_id", "occurred_at").values_list(
                "resident_id", "occurred_at", "systolic"
            )
        )
        == signature
    )


def test_command_selects_the_province(population, place, capsys):
    assert synthetic_residents(province_name="tinh thu").count() == 400
    assert synthetic_residents(province_name="Thử").count() == 400
    call_command("synth-visits", province="Tỉnh Thử", years=1, seed=2)
    assert "visits for 400 residents" in capsys.readouterr().out
    assert Encounter.objects.exists()


def test_visits_are_placed_at_the_commune_station(population, place):
    station = HealthFacility.objects.create(code="TYT-A", name="Trạm Y tế xã An Bình", kind="commune_station",
                                            org_unit=place.commune_a, valid_from=date(2025, 7, 1))
    encounters_synthesise(residents=population, seed=1, years=1, end=END)
    assert set(Encounter.objects.filter(commune=place.commune_a).values_list("facility", "facility_name")) == {
        (station.pk, "Trạm Y tế xã An Bình")}
    assert set(Encounter.objects.filter(commune=place.commune_b).values_list("facility", "facility_name")) == {
        (None, "Trạm Y tế Xã Bình Minh")}
