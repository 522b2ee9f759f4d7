"""The refusal rule for the register's writes: 404 where the user cannot see, 403 where they see but may not write."""

import pytest

from ytcs.accounts.models import Role
from ytcs.audit.models import AuditEvent
from ytcs.core.errors import NotAllowed, OutOfScope
from ytcs.orgunits.tests.factories import OrgUnitFactory, abolished_unit
from ytcs.people.capture import (
    register_commune,
    registration_commune,
    require_capture_of,
    require_capture_of_place,
    require_capture_of_record,
)
from ytcs.people.tests.factories import HouseholdFactory, ResidentFactory, UserFactory, acting, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = make_world()
    world["vhw"] = UserFactory(username="vhw", role=Role.VILLAGE_HEALTH_WORKER, org_unit=world["village_a"])
    world["admin"] = UserFactory(username="admin", role=Role.SYSTEM_ADMIN, org_unit=world["country"])
    world["epidemiologist"] = UserFactory(username="epi", role=Role.PROVINCIAL, org_unit=world["province"],
                                          may_open_records=True)
    world["elsewhere"] = OrgUnitFactory(level=world["commune_a"].level,
                                        parent=OrgUnitFactory(level=world["province"].level))
    return world


@pytest.mark.parametrize(("user", "commune", "village", "answer"), [
    ("nurse_a", "commune_a", None, None),
    ("nurse_a", "commune_a", "village_a2", None),
    ("vhw", "commune_a", "village_a", None),  # a village health worker writes in their own village
    ("nurse_b", "commune_a", None, OutOfScope),  # another commune's station cannot see commune A
    ("vhw", "commune_a", "village_a2", OutOfScope),  # nor can a village health worker see the next village
    ("vhw", "commune_a", None, OutOfScope),
    ("provincial", "commune_a", "village_a", NotAllowed),  # the province sees its communes, writes in none
    ("admin", "commune_a", None, NotAllowed),
    ("provincial", "elsewhere", None, OutOfScope),  # another province's commune
])
def test_a_place_is_written_to_seen_and_refused_or_unseen(world, user, commune, village, answer):
    place = (world[commune], world[village] if village else None)
    if answer is None:
        require_capture_of(world[user], *place)
    else:
        with pytest.raises(answer):
            require_capture_of(world[user], *place)


def test_a_unit_that_no_longer_exists_is_a_404_even_for_its_own_station(world):
    old = abolished_unit({world["commune_a"]: 1.0}, name="Phường Sông Hiến")
    with pytest.raises(OutOfScope):
        require_capture_of(world["nurse_a"], old)
    with pytest.raises(OutOfScope):
        require_capture_of(world["provincial"], old)


def test_the_village_named_decides_where_the_write_lands(world):
    """(commune A, a village of B): the village is outside the nurse of A's scope, so a 404 like any unit there;
    the province sees it, so a 403. Only a village the user writes in, of another of their communes, is left to
    the input checks (a 422 naming ``village``)."""
    with pytest.raises(OutOfScope):
        require_capture_of(world["nurse_a"], world["commune_a"], world["village_b"])
    with pytest.raises(NotAllowed):
        require_capture_of(world["provincial"], world["commune_a"], world["village_b"])
    split = UserFactory(role=Role.STATION_STAFF, org_unit=abolished_unit(
        {world["commune_a"]: 0.5, world["commune_b"]: 0.5}, name="Xã Chia Đôi"))
    require_capture_of(split, world["commune_a"], world["village_b"])


@pytest.mark.parametrize(("user", "answer"), [
    ("nurse_b", OutOfScope), ("provincial", OutOfScope),  # they may not open the record at all
    ("epidemiologist", NotAllowed), ("admin", NotAllowed),  # they may open it, not change it
])
def test_a_refused_write_on_a_record_is_audited_naming_the_person(world, user, answer):
    resident = ResidentFactory(village=world["village_a"])
    with pytest.raises(answer):
        require_capture_of_record(acting(world[user]), resident)
    event = AuditEvent.objects.get()
    assert (event.action, event.outcome, event.resource_type) == ("denied", "denied", "people.Resident")
    assert (event.actor, event.resource_id) == (world[user], str(resident.pk))
    assert list(event.subjects.values_list("resident_id", flat=True)) == [resident.pk]


def test_a_record_in_the_users_capture_scope_is_written_without_a_trace_of_refusal(world):
    resident = ResidentFactory(village=world["village_a"])
    for user in ("nurse_a", "vhw"):
        require_capture_of_record(acting(world[user]), resident)
    assert not AuditEvent.objects.exists()


def test_a_refused_registration_into_a_household_names_its_members(world):
    household = HouseholdFactory(village=world["village_a"])
    members = [ResidentFactory(village=world["village_a"], household=household) for _ in range(2)]
    with pytest.raises(NotAllowed):
        require_capture_of_place(acting(world["epidemiologist"]), world["commune_a"], world["village_a"],
                                 household=household)
    event = AuditEvent.objects.get()
    assert (event.action, event.resource_type, event.resource_id) == ("denied", "people.Household", str(household.pk))
    assert sorted(event.subjects.values_list("resident_id", flat=True)) == sorted(m.pk for m in members)


def test_the_commune_a_registration_goes_to(world):
    assert registration_commune(world["nurse_a"]) == world["commune_a"]
    assert registration_commune(world["nurse_a"], str(world["commune_b"].pk)) == world["commune_b"]  # checked later
    assert registration_commune(world["vhw"], village=world["village_a"]) == world["commune_a"]
    assert registration_commune(world["nurse_a"], village=world["village_b"]) == world["commune_b"]  # then a 404
    for chosen in ("x", world["village_a"].pk, 10**9):
        with pytest.raises(OutOfScope):
            registration_commune(world["nurse_a"], chosen)
    with pytest.raises(NotAllowed):  # nothing to go by: the province registers nowhere
        registration_commune(world["provincial"])


def test_the_commune_wide_register_pages_are_for_station_users(world):
    assert register_commune(world["nurse_a"]) == world["commune_a"]
    with pytest.raises(OutOfScope):
        register_commune(world["nurse_a"], world["commune_b"].pk)
    with pytest.raises(NotAllowed):
        register_commune(world["provincial"], world["commune_a"].pk)
    with pytest.raises(NotAllowed):
        register_commune(world["vhw"])
