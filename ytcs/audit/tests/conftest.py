from ytcs.accounts.tests.conftest import fast_password_hasher, residents, world  # noqa: F401
