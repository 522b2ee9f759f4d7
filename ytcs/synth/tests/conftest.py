"""The domains' test places, for the synthesis of each domain (fixtures of the same names as theirs)."""

import pytest

from ytcs.clinical.tests.factories import Place, build_place
from ytcs.orgunits.dataset import read_dataset
from ytcs.orgunits.loader import orgunits_load
from ytcs.orgunits.models import OrgUnit
from ytcs.orgunits.selectors import province_lookup
from ytcs.orgunits.tests.conftest import AFTER
from ytcs.surveillance.tests.factories import Tree


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def place(db) -> Place:
    """Province P with communes A and B (``clinical.tests``)."""
    return build_place()


@pytest.fixture
def tree(db) -> Tree:
    """The surveillance tests' province A (``surveillance.tests``)."""
    return Tree()


@pytest.fixture(scope="session")
def dataset():
    return read_dataset()


@pytest.fixture
def cao_bang(db, dataset) -> OrgUnit:
    """Cao Bằng as the real loader builds it (``orgunits.tests``)."""
    orgunits_load(provinces=["04"], dataset=dataset)
    return province_lookup("04", as_of=AFTER)
