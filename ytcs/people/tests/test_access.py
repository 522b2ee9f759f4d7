"""The door to residents, households and per-person records: 404 outside the search scope, refusals audited."""

import pytest
from django.http import Http404

from ytcs.accounts.models import Role
from ytcs.accounts.tests.factories import UserFactory, build_world
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction, AuditEvent
from ytcs.clinical.models import Encounter
from ytcs.clinical.tests.factories import EncounterFactory
from ytcs.people.access import (
    get_household_for,
    get_resident_for,
    get_resident_record_for,
    scoped_households,
    scoped_residents,
)
from ytcs.people.tests.factories import HouseholdFactory, residents_per_place

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def residents(world):
    return residents_per_place(world)


def denied() -> list[tuple]:
    return [
        (e.actor_id, e.resource_type, e.resource_id, e.outcome, list(e.subjects.values_list("resident_id", flat=True)))
        for e in AuditEvent.objects.filter(action=AuditAction.DENIED).order_by("pk")
    ]


def test_get_resident_for_answers_404_alike_for_absent_out_of_scope_and_malformed_ids(world, residents):
    user = UserFactory(role=Role.STATION_STAFF, org_unit=world.commune_b)
    assert get_resident_for(AuditContext(user), str(residents["b"].pk)) == residents["b"]
    for pk in (residents["a1"].pk, 10**9, "abc", None, "1 OR 1=1"):
        with pytest.raises(Http404):
            get_resident_for(AuditContext(user), pk)


def test_refused_attempt_on_an_existing_record_is_audited_and_absent_one_is_not(world, residents):
    user = UserFactory(role=Role.STATION_STAFF, org_unit=world.commune_b)
    with pytest.raises(Http404):
        get_resident_for(AuditContext(user), residents["c1"].pk)
    with pytest.raises(Http404):
        get_resident_for(AuditContext(user), 10**9)
    assert denied() == [(user.pk, "people.Resident", str(residents["c1"].pk), "denied", [residents["c1"].pk])]


def test_households_follow_the_same_scope_and_a_refusal_names_no_person(world):
    h1 = HouseholdFactory(village=world.village_a1)
    h2 = HouseholdFactory(village=world.village_a2)
    vhw = UserFactory(role=Role.VILLAGE_HEALTH_WORKER, org_unit=world.village_a1)
    staff = UserFactory(role=Role.STATION_STAFF, org_unit=world.commune_a)
    assert list(scoped_households(vhw)) == [h1]
    assert set(scoped_households(staff)) == {h1, h2}
    assert get_household_for(AuditContext(vhw), h1.pk) == h1
    with pytest.raises(Http404):
        get_household_for(AuditContext(vhw), h2.pk)
    assert denied() == [(vhw.pk, "people.Household", str(h2.pk), "denied", [])]


def test_a_per_person_record_answers_as_its_resident_and_its_refusal_names_the_resident(world, residents):
    inside = EncounterFactory(resident=residents["a1"])
    outside = EncounterFactory(resident=residents["c1"])
    staff = UserFactory(role=Role.STATION_STAFF, org_unit=world.commune_a)
    opened = get_resident_record_for(AuditContext(staff), Encounter.objects.all(), inside.pk)
    assert opened == inside and opened.resident == residents["a1"]
    for pk in (outside.pk, 10**9, "x"):
        with pytest.raises(Http404):
            get_resident_record_for(AuditContext(staff), Encounter.objects.all(), pk)
    assert denied() == [(staff.pk, "clinical.Encounter", str(outside.pk), "denied", [residents["c1"].pk])]


def test_the_door_opens_what_the_search_scope_covers(world, residents):
    vhw = UserFactory(role=Role.VILLAGE_HEALTH_WORKER, org_unit=world.village_a1)
    assert list(scoped_residents(vhw)) == [residents["a1"]]
    assert get_resident_for(AuditContext(vhw), residents["a1"].pk).village == world.village_a1
