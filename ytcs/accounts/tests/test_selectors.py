"""The list of users still attached to abolished units, for system administrators."""

import pytest
from django.http import Http404

from ytcs.accounts.models import Role
from ytcs.accounts.selectors import users_to_move
from ytcs.accounts.tests.factories import UserFactory
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditEvent
from ytcs.orgunits.tests.factories import MERGER_DAY, abolished_unit


def test_lists_active_users_of_abolished_units_with_their_successors(world):
    merged = UserFactory(username="merged", org_unit=world.old_commune)
    split_unit = abolished_unit({world.commune_b: 0.25, world.commune_a: 0.75}, name="Xã S (cũ)",
                                parent=world.old_district)
    split = UserFactory(username="split", role=Role.STATION_HEAD, org_unit=split_unit)
    UserFactory(username="gone", org_unit=world.old_commune, is_active=False)
    UserFactory(username="current", org_unit=world.commune_a)
    admin = UserFactory(role=Role.SYSTEM_ADMIN, org_unit=world.country)
    rows = users_to_move(context=AuditContext(admin))
    assert [(r.user, r.old_unit, r.successors, r.since) for r in rows] == [
        (merged, world.old_commune, (world.commune_a,), MERGER_DAY),
        (split, split_unit, (world.commune_a, world.commune_b), MERGER_DAY),
    ]
    event = AuditEvent.objects.get(action="list", resource_type="accounts.User")
    assert (event.actor, event.resource_id) == (admin, "to-move")


def test_an_administrator_sees_only_users_of_their_area_and_others_get_404(world):
    UserFactory(username="merged", org_unit=world.old_commune)
    command_line = AuditContext.system("users to-move")
    assert [r.user.username for r in users_to_move(context=command_line)] == ["merged"]
    elsewhere = UserFactory(role=Role.SYSTEM_ADMIN, org_unit=world.province_q)
    assert users_to_move(context=AuditContext(elsewhere)) == []
    for role, unit in ((Role.STATION_STAFF, world.commune_a), (Role.PROVINCIAL, world.province_p)):
        with pytest.raises(Http404):
            users_to_move(context=AuditContext(UserFactory(role=role, org_unit=unit)))
