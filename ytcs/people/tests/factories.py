"""Households and residents for every app's tests, plus the register tests' unit tree and world."""

import datetime
from typing import Any

import factory
from factory.django import DjangoModelFactory

from ytcs.accounts.models import Role
from ytcs.accounts.tests.factories import UserFactory
from ytcs.audit.context import AuditContext
from ytcs.core.text import fold
from ytcs.orgunits.models import OrgUnit
from ytcs.orgunits.tests.factories import OrgUnitFactory
from ytcs.people.inputs import ResidentFields
from ytcs.people.models import Household, Resident

__all__ = ["HouseholdFactory", "OrgUnitFactory", "ResidentFactory", "UserFactory", "acting", "make_world", "person",
           "person_fields", "unit_tree"]


def unit_tree() -> dict[str, OrgUnit]:
    """A country, one province, two communes (A with two villages, B with one)."""
    country = OrgUnitFactory(name="Việt Nam", level=OrgUnit.Level.COUNTRY)
    province = OrgUnitFactory(name="Cao Bằng", level=OrgUnit.Level.PROVINCE, parent=country)
    commune_a = OrgUnitFactory(name="Xã Hoà An", level=OrgUnit.Level.COMMUNE, parent=province)
    commune_b = OrgUnitFactory(name="Xã Nguyên Bình", level=OrgUnit.Level.COMMUNE, parent=province)
    return {
        "country": country, "province": province, "commune_a": commune_a, "commune_b": commune_b,
        "village_a": OrgUnitFactory(name="Bản Giang", level=OrgUnit.Level.VILLAGE, parent=commune_a),
        "village_a2": OrgUnitFactory(name="Bản Chang", level=OrgUnit.Level.VILLAGE, parent=commune_a),
        "village_b": OrgUnitFactory(name="Bản Tấn", level=OrgUnit.Level.VILLAGE, parent=commune_b),
    }


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household

    code = factory.Sequence(lambda n: f"HGD{n:06d}")
    village = factory.SubFactory(OrgUnitFactory, level=OrgUnit.Level.VILLAGE)
    commune = factory.LazyAttribute(lambda o: o.village.parent)
    address = "Xóm 1"


class ResidentFactory(DjangoModelFactory):
    class Meta:
        model = Resident

    family_name = "Nguyễn"
    middle_name = "Văn"
    given_name = factory.Sequence(lambda n: f"An{n}")
    full_name = factory.LazyAttribute(lambda o: " ".join(p for p in (o.family_name, o.middle_name, o.given_name) if p))
    name_folded = factory.LazyAttribute(lambda o: fold(o.full_name))
    sex = "M"
    birth_date = datetime.date(1980, 5, 1)
    birth_year = factory.LazyAttribute(lambda o: o.birth_date.year)
    ethnicity = "Tày"
    commune = factory.LazyAttribute(lambda o: o.village.parent if o.village else None)
    village = None


def make_world() -> dict:
    """The unit tree plus a station nurse in each commune and a provincial viewer."""
    world = unit_tree()
    world["nurse_a"] = UserFactory(username="nurse_a", role=Role.STATION_STAFF, org_unit=world["commune_a"])
    world["nurse_b"] = UserFactory(username="nurse_b", role=Role.STATION_STAFF, org_unit=world["commune_b"])
    world["provincial"] = UserFactory(username="province", role=Role.PROVINCIAL, org_unit=world["province"])
    return world


def person(**overrides: object) -> dict:
    """Valid resident input for the services: a man born 1980 with a matching CCCD (Cao Bằng, 004)."""
    data = {
        "family_name": "Nông", "middle_name": "Văn", "given_name": "Dền", "sex": "M",
        "birth_date": datetime.date(1980, 3, 2), "ethnicity": "Tày", "cccd": "004080001234",
        "phone": "0912345678",
    }
    data.update(overrides)
    return data


def person_fields(**overrides: object) -> ResidentFields:
    """:func:`person` as the services' typed input."""
    return ResidentFields(**person(**overrides))


def acting(user: object) -> AuditContext:
    """The audit context of ``user`` acting from a test (no address, no client)."""
    return AuditContext(actor=user)


def residents_per_place(world: Any) -> dict[str, Resident]:
    """One resident per place of the accounts test world: a1, a2, commune A without village, B, C (c1)."""
    return {
        "a1": ResidentFactory(village=world.village_a1),
        "a2": ResidentFactory(village=world.village_a2),
        "a": ResidentFactory(commune=world.commune_a),
        "b": ResidentFactory(commune=world.commune_b),
        "c1": ResidentFactory(village=world.village_c1),
    }
