import pytest

from ytcs.accounts.models import Role
from ytcs.surveillance.diseases import ensure_diseases_loaded
from ytcs.surveillance.tests.factories import Tree, UserFactory


@pytest.fixture(autouse=True)
def _diseases(db):
    """The disease list is reference data loaded after migrate; a flushed test database gets it back here."""
    ensure_diseases_loaded()


@pytest.fixture
def tree(db):
    return Tree()


@pytest.fixture
def station_user(tree):
    return UserFactory(role=Role.STATION_STAFF, org_unit=tree.commune)


@pytest.fixture
def province_user(tree):
    return UserFactory(role=Role.PROVINCIAL, org_unit=tree.province)


@pytest.fixture
def other_province_user(tree):
    return UserFactory(role=Role.PROVINCIAL, org_unit=tree.other_province)
