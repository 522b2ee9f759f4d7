"""Org units, users, residents and visits for clinical tests (materialised paths set as the app does)."""

from dataclasses import dataclass
from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from ytcs.accounts.models import Role, User
from ytcs.clinical.models import Encounter
from ytcs.core.text import fold
from ytcs.orgunits.models import OrgUnit, OrgUnitRollup
from ytcs.people.models import Resident


class OrgUnitFactory(DjangoModelFactory):
    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"K{n:05d}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    level = OrgUnit.Level.COMMUNE
    parent = None
    valid_from = date(2025, 7, 1)
    name_folded = factory.LazyAttribute(lambda o: fold(o.name))
    path = ""

    @classmethod
    def _create(cls, model_class: type[OrgUnit], *args: object, **kwargs: object) -> OrgUnit:
        unit = super()._create(model_class, *args, **kwargs)
        unit.path = (unit.parent.path if unit.parent else "/") + f"{unit.pk}/"
        model_class.objects.filter(pk=unit.pk).update(path=unit.path)
        OrgUnitRollup.objects.create(unit=unit, current_unit=unit, weight=1.0)
        return unit


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"clinician{n}")
    first_name = "Lan"
    last_name = "Trần Thị"
    role = Role.STATION_STAFF
    org_unit = None
    password = factory.PostGeneration(
        lambda user, create, value: (
            (user.set_password(value) if value else user.set_unusable_password())
            or (user.save(update_fields=["password"]) if create else None)
        )
    )


class ResidentFactory(DjangoModelFactory):
    class Meta:
        model = Resident

    commune = factory.LazyAttribute(lambda o: o.village.parent)
    family_name = "Nguyễn"
    middle_name = "Văn"
    given_name = factory.Sequence(lambda n: f"Bình{n}")
    full_name = factory.LazyAttribute(lambda o: f"{o.family_name} {o.middle_name} {o.given_name}")
    name_folded = factory.LazyAttribute(lambda o: fold(o.full_name))
    sex = "M"
    birth_date = date(1960, 3, 12)
    birth_year = factory.LazyAttribute(lambda o: o.birth_date.year)
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
