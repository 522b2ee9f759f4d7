import pytest

from ytcs.accounts.tests.factories import World, build_world
from ytcs.people.tests.factories import ResidentFactory


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Argon2 costs ~0.1 s a hash by design; tests that do not test hashing use a fast one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def residents(world):
    """One resident per place: a1, a2, commune A without village, B, C (c1)."""
    return {
        "a1": ResidentFactory(village=world.village_a1),
        "a2": ResidentFactory(village=world.village_a2),
        "a": ResidentFactory(commune=world.commune_a),
        "b": ResidentFactory(commune=world.commune_b),
        "c1": ResidentFactory(village=world.village_c1),
    }
