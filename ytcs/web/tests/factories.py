"""Factories for the web and people read tests: org units with real paths, users, households, residents.

Paths follow the OrgUnit contract: the country is "/<pk>/", a child is ``parent.path + f"{pk}/"``.
"""

import datetime
import functools

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from ytcs.accounts.models import Role, User
from ytcs.core.text import fold
from ytcs.orgunits.models import OrgUnit
from ytcs.people.models import Household, Resident


class OrgUnitFactory(DjangoModelFactory):
    class Meta:
        model = OrgUnit
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    level = OrgUnit.Level.COUNTRY
    parent = None
    valid_from = datetime.date(2025, 7, 1)
    name_folded = factory.LazyAttribute(lambda o: fold(o.name))

    @factory.post_generation
    def materialise_path(obj: OrgUnit, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        obj.path = (obj.parent.path if obj.parent else "/") + f"{obj.pk}/"
        if create:
            OrgUnit.objects.filter(pk=obj.pk).update(path=obj.path)


def unit_tree() -> dict[str, OrgUnit]:
    """A country with one province holding two communes, each with one village."""
    country = OrgUnitFactory(name="Việt Nam", level=OrgUnit.Level.COUNTRY)
    province = OrgUnitFactory(name="Cao Bằng", level=OrgUnit.Level.PROVINCE, parent=country, unit_type="Tỉnh")
    commune_a = OrgUnitFactory(name="Hoà An", level=OrgUnit.Level.COMMUNE, parent=province, unit_type="Xã")
    commune_b = OrgUnitFactory(name="Nguyên Bình", level=OrgUnit.Level.COMMUNE, parent=province, unit_type="Xã")
    village_a = OrgUnitFactory(name="Bản Giang", level=OrgUnit.Level.VILLAGE, parent=commune_a, unit_type="Bản")
    village_b = OrgUnitFactory(name="Bản Tấn", level=OrgUnit.Level.VILLAGE, parent=commune_b, unit_type="Bản")
    return {
        "country": country, "province": province, "commune_a": commune_a, "commune_b": commune_b,
        "village_a": village_a, "village_b": village_b,
    }


PASSWORD = "Mat-khau-2026"


@functools.cache
def _password_hash() -> str:
    """Hashed once per test run: Argon2 is slow on purpose."""
    return make_password(PASSWORD)


class UserFactory(DjangoModelFactory):
    """A user whose password is ``PASSWORD``."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.STATION_STAFF
    password = factory.LazyFunction(_password_hash)


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
    given_name = "An"
    full_name = factory.LazyAttribute(lambda o: " ".join(p for p in (o.family_name, o.middle_name, o.given_name) if p))
    name_folded = factory.LazyAttribute(lambda o: fold(o.full_name))
    sex = "M"
    birth_date = datetime.date(1980, 5, 17)
    birth_year = factory.LazyAttribute(lambda o: o.birth_date.year)
    village = None
    commune = factory.LazyAttribute(lambda o: o.village.parent if o.village else None)
