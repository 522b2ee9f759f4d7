"""The web and read tests' unit tree, and users who log in with a known password."""

import functools

import factory
from django.contrib.auth.hashers import make_password

from ytcs.accounts.tests import factories as accounts_factories
from ytcs.orgunits.models import OrgUnit
from ytcs.orgunits.tests.factories import OrgUnitFactory
from ytcs.people.tests import factories as people_factories
from ytcs.people.tests.factories import HouseholdFactory

__all__ = ["PASSWORD", "HouseholdFactory", "ResidentFactory", "UserFactory", "unit_tree"]


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


class UserFactory(accounts_factories.UserFactory):
    """A user whose password is ``PASSWORD`` (hashed once, so the web tests can log in through the form)."""

    password = factory.LazyFunction(_password_hash)


class ResidentFactory(people_factories.ResidentFactory):
    """Every resident is "Nguyễn Văn An" unless told otherwise: the search and dedup tests count on the clash."""

    given_name = "An"
