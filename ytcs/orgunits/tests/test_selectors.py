from datetime import date

import pytest

from ytcs.orgunits.models import HealthFacility, OrgUnit, OrgUnitSuccession
from ytcs.orgunits.selectors import (
    current_units_for,
    province_lookup,
    province_lookup_any_era,
    rollup_totals,
    unit_by_code,
    unit_search,
    units_under,
)

from .conftest import AFTER, BEFORE
from .factories import HealthFacilityFactory

Level = OrgUnit.Level


def test_province_lookup_ignores_case_marks_and_tone_placement(three_provinces):
    cao_bang = province_lookup("Cao Bằng")
    assert cao_bang.code == "04"
    assert province_lookup("cao bang") == province_lookup("CAO BẰNG") == province_lookup("Tỉnh Cao Bằng") == cao_bang
    assert province_lookup("4") == cao_bang
    assert province_lookup("Yên Bái") is None
    assert province_lookup("yen bai", as_of=BEFORE).valid_to == date(2025, 7, 1)
    assert province_lookup_any_era("Yên Bái").name == "Tỉnh Lào Cai"
    assert province_lookup("Quảng Ninh") == province_lookup("quang ninh")


def test_current_units_for_an_old_commune_is_one_query(three_provinces, django_assert_num_queries):
    edge = OrgUnitSuccession.objects.filter(predecessor__level=Level.COMMUNE).select_related("predecessor").first()
    with django_assert_num_queries(1):
        targets = current_units_for(edge.predecessor)
    assert edge.successor in targets
    assert all(t.valid_to is None for t in targets)
    new = edge.successor
    with django_assert_num_queries(0):
        assert current_units_for(new) == [new]


def test_units_under_current_province_before_and_after_the_reorganisation(three_provinces):
    lao_cai = province_lookup("Lào Cai")
    after = units_under(lao_cai, as_of=AFTER)
    assert set(after.values_list("valid_to", flat=True)) == {None}
    assert after.filter(level=Level.COMMUNE).count() == lao_cai.children.count()
    before = units_under(lao_cai, as_of=BEFORE)
    assert set(before.filter(level=Level.PROVINCE).values_list("name", flat=True)) == {"Tỉnh Lào Cai", "Tỉnh Yên Bái"}
    assert before.filter(level=Level.COMMUNE).count() == OrgUnit.objects.filter(
        level=Level.COMMUNE, valid_to__isnull=False, parent__parent__code__in=["10", "15"]).count()
    assert not before.filter(parent__parent__code="04").exists()


def test_units_under_old_district_in_its_own_time_and_after(three_provinces):
    district = OrgUnit.objects.filter(level=Level.DISTRICT, parent__code="15").first()
    in_2024 = units_under(district, as_of=BEFORE)
    assert set(in_2024) == {district, *district.children.all()}
    in_2026 = set(units_under(district, as_of=AFTER))
    assert in_2026 == set(current_units_for(district))
    assert all(u.level == Level.COMMUNE and u.valid_to is None for u in in_2026)


def test_units_under_new_commune_in_2024_are_its_predecessors(three_provinces):
    edge = OrgUnitSuccession.objects.filter(weight_source="equal").select_related("successor").first()
    new_commune = edge.successor
    olds = set(units_under(new_commune, as_of=BEFORE).filter(level=Level.COMMUNE))
    assert olds == {e.predecessor for e in new_commune.predecessions.filter(predecessor__level=Level.COMMUNE)}
    assert edge.predecessor in olds


def test_units_under_is_a_single_query(three_provinces, django_assert_num_queries):
    lao_cai = province_lookup("Lào Cai")
    with django_assert_num_queries(1):
        list(units_under(lao_cai, as_of=BEFORE))


def test_fact_recorded_against_old_commune_in_2024_counts_toward_new_commune_and_province(three_provinces):
    whole = OrgUnitSuccession.objects.filter(weight_source="whole", predecessor__level=Level.COMMUNE,
                                             predecessor__parent__parent__code="15").first()
    HealthFacilityFactory(org_unit=whole.predecessor, beds=12, valid_from=date(2024, 3, 1))
    facts = HealthFacility.objects.all()
    by_commune = rollup_totals(facts, unit_field="org_unit", level=Level.COMMUNE, value="beds")
    by_province = rollup_totals(facts, unit_field="org_unit", level=Level.PROVINCE, value="beds")
    assert by_commune.for_unit(whole.successor) == 12
    assert by_province.for_unit(province_lookup("Lào Cai")) == 12
    assert by_province.unplaced == 0


def test_fact_of_a_split_commune_is_divided_by_weight(three_provinces):
    split = OrgUnitSuccession.objects.filter(weight_source="equal").first().predecessor
    HealthFacilityFactory(org_unit=split, beds=10, valid_from=date(2024, 3, 1))
    HealthFacilityFactory(org_unit=split, beds=20, valid_from=date(2024, 3, 1))
    totals = rollup_totals(HealthFacility.objects.all(), unit_field="org_unit", level=Level.COMMUNE, value="beds")
    edges = list(split.successions.all())
    assert len(edges) > 1
    for edge in edges:
        assert totals.for_unit(edge.successor) == pytest.approx(30 * edge.weight)
    counted = rollup_totals(HealthFacility.objects.all(), unit_field="org_unit", level=Level.PROVINCE)
    assert counted.for_unit(province_lookup("Quảng Ninh")) == pytest.approx(2)


def test_fact_against_an_old_province_is_unplaced_at_commune_level(three_provinces):
    old = province_lookup("Yên Bái", as_of=BEFORE)
    HealthFacilityFactory(org_unit=old, beds=7, valid_from=date(2024, 3, 1))
    facts = HealthFacility.objects.all()
    assert rollup_totals(facts, unit_field="org_unit", level=Level.COMMUNE, value="beds").unplaced == 7
    assert rollup_totals(facts, unit_field="org_unit", level=Level.PROVINCE, value="beds").for_unit(
        province_lookup("Lào Cai")) == 7


def test_lookup_by_code_depends_on_the_date(three_provinces):
    old = unit_by_code("15", level=Level.PROVINCE, as_of=BEFORE)
    new = unit_by_code("15", level=Level.PROVINCE, as_of=AFTER)
    assert (old.name, new.name) == ("Tỉnh Yên Bái", "Tỉnh Lào Cai")
    assert unit_search(query="yen bai", level=Level.PROVINCE).count() == 0
    assert list(unit_search(query="yen bai", level=Level.PROVINCE, as_of=BEFORE)) == [old]
