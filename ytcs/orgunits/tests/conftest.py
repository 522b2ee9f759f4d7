from datetime import date

import pytest

from ytcs.orgunits.dataset import read_dataset
from ytcs.orgunits.loader import orgunits_load
from ytcs.orgunits.models import OrgUnit
from ytcs.orgunits.selectors import province_lookup

BEFORE = date(2024, 6, 30)
AFTER = date(2025, 9, 1)


@pytest.fixture(scope="session")
def dataset():
    """The package data, read once per session (the database load still happens per test)."""
    return read_dataset()


@pytest.fixture
def cao_bang(db, dataset) -> OrgUnit:
    """Cao Bằng: one of the 11 provinces not merged in 2025."""
    orgunits_load(provinces=["04"], dataset=dataset)
    return province_lookup("04", as_of=AFTER)


@pytest.fixture
def three_provinces(db, dataset):
    """Cao Bằng (unchanged), Lào Cai (Lào Cai + Yên Bái merged) and Quảng Ninh (has split communes)."""
    return orgunits_load(provinces=["04", "15", "22"], dataset=dataset)


def commune(code: str, *, old: bool) -> OrgUnit:
    return OrgUnit.objects.get(level=OrgUnit.Level.COMMUNE, code=code, valid_to__isnull=not old)
