"""Users for every app's tests, and the org-unit world of the access tests (merged old units included)."""

from dataclasses import dataclass
from datetime import date

import factory
from factory.django import DjangoModelFactory

from ytcs.accounts.models import Role, User
from ytcs.orgunits.models import OrgUnit
from ytcs.orgunits.tests.factories import MERGER_DAY, OrgUnitFactory, abolished_unit


class UserFactory(DjangoModelFactory):
    """Users without a usable password unless one is given (hashing is slow on purpose)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.STATION_STAFF
    org_unit = None
    password = factory.PostGeneration(
        lambda user, create, value: (user.set_password(value) if value else user.set_unusable_password())
        or (user.save(update_fields=["password"]) if create else None)
    )


@dataclass
class World:
    """Country → provinces P and Q. P has current communes A (villages a1, a2) and B, plus an old
    district D whose abolished commune O merged into A on 1 July 2025. Q has commune C (village c1)."""

    country: OrgUnit
    province_p: OrgUnit
    commune_a: OrgUnit
    village_a1: OrgUnit
    village_a2: OrgUnit
    commune_b: OrgUnit
    old_district: OrgUnit
    old_commune: OrgUnit
    province_q: OrgUnit
    commune_c: OrgUnit
    village_c1: OrgUnit


def build_world() -> World:
    country = OrgUnitFactory(level=OrgUnit.Level.COUNTRY, name="Việt Nam", code="VN")
    p = OrgUnitFactory(level=OrgUnit.Level.PROVINCE, parent=country, name="Tỉnh P")
    a = OrgUnitFactory(level=OrgUnit.Level.COMMUNE, parent=p, name="Xã A")
    a1 = OrgUnitFactory(level=OrgUnit.Level.VILLAGE, parent=a, name="Thôn A1")
    a2 = OrgUnitFactory(level=OrgUnit.Level.VILLAGE, parent=a, name="Thôn A2")
    b = OrgUnitFactory(level=OrgUnit.Level.COMMUNE, parent=p, name="Xã B")
    old = {"valid_from": date(2008, 1, 1), "valid_to": MERGER_DAY}
    d = OrgUnitFactory(level=OrgUnit.Level.DISTRICT, parent=p, name="Huyện D (cũ)", **old)
    o = abolished_unit({a: 1.0}, name="Xã O (cũ)", parent=d)
    q = OrgUnitFactory(level=OrgUnit.Level.PROVINCE, parent=country, name="Tỉnh Q")
    c = OrgUnitFactory(level=OrgUnit.Level.COMMUNE, parent=q, name="Xã C")
    c1 = OrgUnitFactory(level=OrgUnit.Level.VILLAGE, parent=c, name="Thôn C1")
    return World(country, p, a, a1, a2, b, d, o, q, c, c1)
