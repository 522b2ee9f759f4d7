"""The national home page: provinces first, then the communes of one province (``?province=<code>``)."""

import pytest
from django.urls import reverse

from ytcs.accounts.models import Role
from ytcs.orgunits.models import OrgUnit
from ytcs.orgunits.tests.factories import OrgUnitFactory
from ytcs.web.tests.factories import HouseholdFactory, ResidentFactory, UserFactory, unit_tree

pytestmark = pytest.mark.django_db
L = OrgUnit.Level


@pytest.fixture
def units():
    """The shell's tree (Cao Bằng: Hoà An, Nguyên Bình) plus a second province, Lạng Sơn, with one commune."""
    tree = unit_tree()
    tree["province"].code = "04"
    tree["province"].save(update_fields=["code"])
    tree["other_province"] = OrgUnitFactory(name="Lạng Sơn", code="20", level=L.PROVINCE, parent=tree["country"])
    tree["commune_c"] = OrgUnitFactory(name="Tân Thanh", level=L.COMMUNE, parent=tree["other_province"])
    tree["village_c"] = OrgUnitFactory(name="Bản Ngòa", level=L.VILLAGE, parent=tree["commune_c"])
    for village, n in (("village_a", 2), ("village_b", 1), ("village_c", 3)):
        for _ in range(n):
            ResidentFactory(village=tree[village])
    HouseholdFactory(village=tree["village_a"])
    HouseholdFactory(village=tree["village_c"])
    return tree


@pytest.fixture
def national(client, units):
    client.force_login(UserFactory(role=Role.NATIONAL_VIEWER, org_unit=units["country"]))
    return client


def test_national_home_lists_provinces_not_communes(national):
    response = national.get(reverse("home"))
    rows = [(r.name, r.communes, r.residents, r.households) for r in response.context["provinces"]]
    assert rows == [("Cao Bằng", 2, 3, 1), ("Lạng Sơn", 1, 3, 1)]  # equal: official code order
    assert response.context["communes"] == []
    body = response.content.decode()
    assert 'href="?province=04"' in body and 'href="?province=20"' in body
    assert "Hoà An" not in body and "Tân Thanh" not in body


def test_a_province_drills_down_to_its_own_communes_with_a_way_back(national):
    response = national.get(reverse("home"), {"province": "04"})
    assert response.context["province"].name == "Cao Bằng"
    assert [(r.name, r.residents) for r in response.context["province_communes"]] == [
        ("Hoà An", 2), ("Nguyên Bình", 1)]
    assert response.context["provinces"] == []
    body = response.content.decode()
    assert "Tân Thanh" not in body
    assert f'<nav class="crumbs" aria-label="Vị trí"><a href="{reverse("home")}">Việt Nam</a> › Cao Bằng</nav>' in body


def test_an_unknown_province_code_is_a_404(national):
    for code in ("77", "0\x004", "'; --"):  # a NUL byte is a PostgreSQL error unless refused first
        assert national.get(reverse("home"), {"province": code}).status_code == 404


def test_the_province_users_home_is_unchanged_and_ignores_the_parameter(client, units):
    client.force_login(UserFactory(role=Role.PROVINCIAL, org_unit=units["province"]))
    for query in ({}, {"province": "20"}):
        response = client.get(reverse("home"), query)
        assert [r.name for r in response.context["communes"]] == ["Hoà An", "Nguyên Bình"]
        assert response.context["provinces"] == [] and response.context["province"] is None
        assert "Lạng Sơn" not in response.content.decode()


@pytest.mark.parametrize("extra_provinces", [0, 4])
def test_national_home_takes_a_fixed_number_of_queries(national, units, extra_provinces,
                                                       django_assert_num_queries):
    for i in range(extra_provinces):
        province = OrgUnitFactory(name=f"Tỉnh {i}", code=f"{40 + i}", level=L.PROVINCE, parent=units["country"])
        ResidentFactory(village=OrgUnitFactory(level=L.VILLAGE, parent=OrgUnitFactory(parent=province)))
    # Session, user and unit (3), area counts (4), the province table (8), the alert banner (1).
    with django_assert_num_queries(16):
        national.get(reverse("home"))
    # The same, with the province looked up (1) and its commune table (7) instead of the province table.
    with django_assert_num_queries(16):
        national.get(reverse("home"), {"province": "04"})
