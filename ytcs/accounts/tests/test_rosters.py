"""Staff rosters are personal data: listed inside the aggregate scope only, every listing and refusal audited."""

import pytest
from django.http import Http404

from ytcs.accounts.models import Role
from ytcs.accounts.rosters import facility_staff_list
from ytcs.accounts.tests.factories import UserFactory
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction, AuditEvent
from ytcs.orgunits.models import FacilityKind
from ytcs.orgunits.tests.factories import HealthFacilityFactory, StaffMemberFactory


@pytest.fixture
def stations(world):
    """A station in commune A (two staff), one in commune B, one in province Q; a hospital of province P."""
    a = HealthFacilityFactory(org_unit=world.commune_a)
    StaffMemberFactory(facility=a, full_name="Hoàng Thị Lan")
    StaffMemberFactory(facility=a, full_name="Nông Văn Bình")
    b = HealthFacilityFactory(org_unit=world.commune_b)
    StaffMemberFactory(facility=b)
    c = HealthFacilityFactory(org_unit=world.commune_c)
    hospital = HealthFacilityFactory(org_unit=world.province_p, kind=FacilityKind.PROVINCIAL_GENERAL_HOSPITAL)
    return {"a": a, "b": b, "c": c, "hospital": hospital}


def listed(user, facility) -> list[str]:
    return [m.full_name for m in facility_staff_list(context=AuditContext(actor=user), facility_id=facility.pk)]


def test_station_staff_list_their_own_station_and_the_listing_is_audited(world, stations):
    nurse = UserFactory(role=Role.STATION_STAFF, org_unit=world.commune_a)
    roster = facility_staff_list(context=AuditContext(actor=nurse), facility_id=stations["a"].pk)
    assert sorted(m.full_name for m in roster) == ["Hoàng Thị Lan", "Nông Văn Bình"]
    event = AuditEvent.objects.get(action=AuditAction.LIST)
    assert (event.actor_id, event.resource_type, event.resource_id) == (
        nurse.pk, "orgunits.StaffMember", str(stations["a"].pk))
    assert sorted(event.changes["staff"]) == sorted(m.pk for m in roster)


def test_a_facility_outside_the_aggregate_scope_is_404_and_the_refusal_is_audited(world, stations):
    nurse = UserFactory(role=Role.STATION_STAFF, org_unit=world.commune_a)
    for facility in (stations["b"], stations["c"], stations["hospital"]):
        with pytest.raises(Http404):
            listed(nurse, facility)
    with pytest.raises(Http404):
        facility_staff_list(context=AuditContext(actor=nurse), facility_id=10**9)
    refusals = AuditEvent.objects.filter(action=AuditAction.DENIED).order_by("pk")
    assert [(e.resource_type, e.resource_id) for e in refusals] == [
        ("orgunits.HealthFacility", str(stations[k].pk)) for k in ("b", "c", "hospital")
    ]
    assert not AuditEvent.objects.filter(action=AuditAction.LIST).exists()


def test_the_province_lists_every_facility_of_the_province_and_no_other(world, stations):
    provincial = UserFactory(role=Role.PROVINCIAL, org_unit=world.province_p)
    assert len(listed(provincial, stations["a"])) == 2
    assert len(listed(provincial, stations["b"])) == 1
    assert listed(provincial, stations["hospital"]) == []
    with pytest.raises(Http404):
        listed(provincial, stations["c"])


def test_village_health_workers_and_unattached_users_list_no_station(world, stations):
    vhw = UserFactory(role=Role.VILLAGE_HEALTH_WORKER, org_unit=world.village_a1)
    for user in (vhw, UserFactory(org_unit=None)):
        with pytest.raises(Http404):
            listed(user, stations["a"])
