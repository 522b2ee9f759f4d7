"""One masking rule: full identifiers for the people who capture the person's data, the last four for others."""

import pytest

from ytcs.accounts.masking import mask, masker_for
from ytcs.accounts.models import Role
from ytcs.accounts.tests.factories import UserFactory
from ytcs.people.tests.factories import ResidentFactory, make_world

pytestmark = pytest.mark.django_db


def test_mask_keeps_the_last_four_characters():
    assert mask("004203616622") == "••••••••6622"
    assert mask("") == "" and mask(None) == ""
    assert mask("123") == "123"


def test_station_sees_full_admin_and_other_roles_see_masked():
    world = make_world()
    resident = ResidentFactory(village=world["village_a"], cccd="004080001234", phone="0912345678")
    admin = UserFactory(role=Role.SYSTEM_ADMIN, org_unit=world["country"])
    vhw_elsewhere = UserFactory(role=Role.VILLAGE_HEALTH_WORKER, org_unit=world["village_a2"])
    assert masker_for(world["nurse_a"], resident)("cccd", resident.cccd) == "004080001234"
    assert masker_for(admin, resident)("cccd", resident.cccd) == "••••••••1234"
    assert masker_for(world["provincial"], resident)("phone", resident.phone) == "••••••5678"
    assert masker_for(vhw_elsewhere, resident)("cccd", resident.cccd) == "••••••••1234"
    assert masker_for(admin, resident)("given_name", resident.given_name) == resident.given_name
    masked = masker_for(admin, resident).record({"cccd": resident.cccd, "sex": "M"})
    assert masked == {"cccd": "••••••••1234", "sex": "M"}
