"""Residents and households per province and per commune of one province (the national home page)."""

import datetime

import pytest

from ytcs.accounts.models import Role
from ytcs.orgunits.models import OrgUnit, OrgUnitRollup
from ytcs.people.area_selectors import province_commune_table, province_table
from ytcs.people.tests.factories import HouseholdFactory, OrgUnitFactory, ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db
L = OrgUnit.Level


@pytest.fixture
def country():
    """Two current provinces: P01 (communes A and B) and P02 (commune C), and an abolished commune split
    half into A and half into C by the 2025 crosswalk."""
    vn = OrgUnitFactory(name="Việt Nam", level=L.COUNTRY)
    p1 = OrgUnitFactory(name="Tỉnh Một", code="01", level=L.PROVINCE, parent=vn)
    p2 = OrgUnitFactory(name="Tỉnh Hai", code="02", level=L.PROVINCE, parent=vn)
    units = {"country": vn, "p1": p1, "p2": p2}
    for key, name, parent in (("a", "Xã A", p1), ("b", "Xã B", p1), ("c", "Xã C", p2)):
        units[key] = OrgUnitFactory(name=name, level=L.COMMUNE, parent=parent)
        units[f"v{key}"] = OrgUnitFactory(name=f"Bản {key}", level=L.VILLAGE, parent=units[key])
    old_province = OrgUnitFactory(name="Tỉnh Cũ", code="99", level=L.PROVINCE, parent=vn,
                                  valid_from=datetime.date(2008, 1, 1), valid_to=datetime.date(2025, 7, 1))
    units["old"] = OrgUnitFactory(name="Xã Cũ", level=L.COMMUNE, parent=old_province,
                                  valid_from=datetime.date(2008, 1, 1), valid_to=datetime.date(2025, 7, 1))
    OrgUnitRollup.objects.create(unit=units["old"], current_unit=units["a"], weight=0.5)
    OrgUnitRollup.objects.create(unit=units["old"], current_unit=units["c"], weight=0.5)
    return units


def _people(units):
    for village, n in (("va", 3), ("vb", 1), ("vc", 2)):
        for _ in range(n):
            ResidentFactory(village=units[village])
    ResidentFactory(village=units["va"], date_of_death=datetime.date(2024, 1, 1))  # not counted
    ResidentFactory(commune=units["old"], village=None)
    ResidentFactory(commune=units["old"], village=None)
    HouseholdFactory(village=units["va"])
    HouseholdFactory(village=units["vc"])


def test_province_table_sums_communes_and_carries_old_units_through_the_crosswalk(country):
    _people(country)
    national = UserFactory(role=Role.NATIONAL_VIEWER, org_unit=country["country"])
    rows = province_table(actor=national)
    assert [(r.name, r.communes, r.residents, r.households) for r in rows] == [
        ("Tỉnh Một", 2, 4 + 1, 1),  # A 3 + B 1, plus half of the two people of the abolished commune
        ("Tỉnh Hai", 1, 2 + 1, 1),
    ]


def test_provinces_with_equal_figures_keep_their_official_code_order(country):
    national = UserFactory(role=Role.NATIONAL_VIEWER, org_unit=country["country"])
    assert [r.unit.code for r in province_table(actor=national)] == ["01", "02"]


def test_a_province_lists_only_its_own_communes_largest_first(country):
    _people(country)
    national = UserFactory(role=Role.NATIONAL_VIEWER, org_unit=country["country"])
    rows = province_commune_table(actor=national, province=country["p1"])
    assert [(r.name, r.residents, r.households) for r in rows] == [("Xã A", 3 + 1, 1), ("Xã B", 1, 0)]
    rows = province_commune_table(actor=national, province=country["p2"])
    assert [(r.name, r.residents) for r in rows] == [("Xã C", 3)]


def test_tables_stay_inside_the_aggregate_scope(country):
    _people(country)
    provincial = UserFactory(role=Role.PROVINCIAL, org_unit=country["p1"])
    assert [r.name for r in province_table(actor=provincial)] == ["Tỉnh Một"]
    assert province_commune_table(actor=provincial, province=country["p2"]) == []


@pytest.mark.parametrize("extra_provinces", [0, 5])
def test_the_tables_take_a_fixed_number_of_queries(country, extra_provinces, django_assert_num_queries):
    """Grouped aggregates, not a query per province or commune: the count does not grow with the tree."""
    for i in range(extra_provinces):
        province = OrgUnitFactory(name=f"Tỉnh {i}", code=f"{10 + i}", level=L.PROVINCE, parent=country["country"])
        commune = OrgUnitFactory(name=f"Xã {i}", level=L.COMMUNE, parent=province)
        ResidentFactory(village=OrgUnitFactory(level=L.VILLAGE, parent=commune))
    _people(country)
    national = UserFactory(role=Role.NATIONAL_VIEWER, org_unit=country["country"])
    with django_assert_num_queries(8):  # provinces; 3 per rollup of residents and of households; communes
        province_table(actor=national)
    with django_assert_num_queries(7):  # communes; 3 per rollup of residents and of households
        province_commune_table(actor=national, province=country["p1"])
