import pytest

from ytcs.accounts.tests.factories import World, build_world
from ytcs.people.tests.factories import residents_per_place


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Argon2 costs ~0.1 s a hash by design; tests that do not test hashing use a fast one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def residents(world):
    return residents_per_place(world)
