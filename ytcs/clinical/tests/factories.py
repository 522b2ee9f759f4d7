"""Patients, visits and a small place with staff for the clinical tests."""

from dataclasses import dataclass
from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from ytcs.accounts.models import Role, User
from ytcs.accounts.tests import factories as accounts_factories
from ytcs.clinical.models import Encounter
from ytcs.orgunits.models import OrgUnit
from ytcs.orgunits.tests.factories import OrgUnitFactory
from ytcs.people.tests import factories as people_factories

__all__ = ["EncounterFactory", "OrgUnitFactory", "Place", "ResidentFactory", "UserFactory", "build_place"]


class UserFactory(accounts_factories.UserFactory):
    """A named clinician: visits record the practitioner's full name."""

    first_name = "Lan"
    last_name = "Trần Thị"


class ResidentFactory(people_factories.ResidentFactory):
    """An older insured patient with identifiers, as a station's chronic-disease list holds."""

    given_name = factory.Sequence(lambda n: f"Bình{n}")
    birth_date = date(1960, 3, 12)
    cccd = factory.Sequence(lambda n: f"0011960{n:05d}")
    phone = "0912345678"
    bhyt_card_number = "GD4010123456789"
    bhyt_valid_from = date(2020, 1, 1)
    bhyt_valid_to = date(2030, 12, 31)


class EncounterFactory(DjangoModelFactory):
    class Meta:
        model = Encounter

    resident = factory.SubFactory(ResidentFactory)
    commune = factory.LazyAttribute(lambda o: o.resident.commune)
    occurred_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    payer = "bhyt"
    outcome = "treated"


@dataclass
class Place:
    """Province P with communes A (village a1) and B; a station user of A, a provincial user of P."""

    province: OrgUnit
    commune_a: OrgUnit
    village_a1: OrgUnit
    commune_b: OrgUnit
    village_b1: OrgUnit
    nurse_a: User
    nurse_b: User
    provincial: User


def build_place() -> Place:
    country = OrgUnitFactory(level=OrgUnit.Level.COUNTRY, name="Việt Nam", code="VN")
    province = OrgUnitFactory(level=OrgUnit.Level.PROVINCE, parent=country, name="Tỉnh Thử")
    a = OrgUnitFactory(level=OrgUnit.Level.COMMUNE, parent=province, name="Xã An Bình")
    a1 = OrgUnitFactory(level=OrgUnit.Level.VILLAGE, parent=a, name="Thôn Một")
    b = OrgUnitFactory(level=OrgUnit.Level.COMMUNE, parent=province, name="Xã Bình Minh")
    b1 = OrgUnitFactory(level=OrgUnit.Level.VILLAGE, parent=b, name="Thôn Hai")
    return Place(
        province=province,
        commune_a=a,
        village_a1=a1,
        commune_b=b,
        village_b1=b1,
        nurse_a=UserFactory(org_unit=a, role=Role.STATION_STAFF),
        nurse_b=UserFactory(org_unit=b, role=Role.STATION_STAFF),
        provincial=UserFactory(org_unit=province, role=Role.PROVINCIAL, may_open_records=True),
    )
