import pytest
from django.test import Client

from ytcs.accounts.models import Role, User
from ytcs.audit.models import AuditAction, AuditEvent
from ytcs.orgunits.models import OrgUnit
from ytcs.orgunits.selectors import province_lookup

from .conftest import BEFORE
from .factories import HealthFacilityFactory, StaffMemberFactory


@pytest.fixture
def client_in(db) -> Client:
    user = User.objects.create_user(username="sovyte", password="mat-khau-dai-1")
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_requests_are_refused(three_provinces):
    assert Client().get("/api/orgunits/units").status_code == 401


def test_search_defaults_to_current_units_and_accepts_as_of(three_provinces, client_in):
    now = client_in.get("/api/orgunits/units", {"q": "yen bai", "level": 1}).json()
    assert now["count"] == 0
    then = client_in.get("/api/orgunits/units", {"q": "yen bai", "level": 1, "as_of": "2024-06-30"}).json()
    assert [u["name"] for u in then["items"]] == ["Tỉnh Yên Bái"]
    assert then["items"][0]["valid_to"] == "2025-07-01"


def test_unit_with_children_and_crosswalk(three_provinces, client_in):
    old = province_lookup("Yên Bái", as_of=BEFORE)
    body = client_in.get(f"/api/orgunits/units/{old.pk}").json()
    assert {c["level"] for c in body["children"]} == {OrgUnit.Level.DISTRICT}
    assert len(body["children"]) == old.children.count()
    crosswalk = client_in.get(f"/api/orgunits/units/{old.pk}/crosswalk").json()
    assert [(r["current_unit"]["name"], r["weight"]) for r in crosswalk["rolls_up_to"]] == [("Tỉnh Lào Cai", 1.0)]
    assert crosswalk["successors"][0]["weight_source"] == "whole"
    new = province_lookup("Lào Cai")
    back = client_in.get(f"/api/orgunits/units/{new.pk}/crosswalk").json()
    assert sorted(p["unit"]["name"] for p in back["predecessors"]) == ["Tỉnh Lào Cai", "Tỉnh Yên Bái"]
    assert client_in.get("/api/orgunits/units/999999").status_code == 404


def test_facilities_targets_and_roster(cao_bang, client_in):
    commune = cao_bang.children.first()
    station = HealthFacilityFactory(org_unit=commune)
    StaffMemberFactory(facility=station, full_name="Hoàng Thị Lan")
    listed = client_in.get(f"/api/orgunits/units/{cao_bang.pk}/facilities").json()
    assert [f["code"] for f in listed["items"]] == [station.code]
    targets = client_in.get(f"/api/orgunits/units/{cao_bang.pk}/targets").json()
    assert targets["stations_with_permanent_doctor"] == {"total": 1, "covered": 1, "share": 1.0}
    assert Client().get(f"/api/orgunits/facilities/{station.pk}/staff").status_code == 401


def test_a_roster_answers_inside_the_users_aggregate_scope_only_and_is_audited(cao_bang, client_in):
    """Staff are people too: a signed-in user without the facility's unit in scope gets a 404, not the names."""
    commune, other = cao_bang.children.order_by("code")[:2]
    station = HealthFacilityFactory(org_unit=commune)
    member = StaffMemberFactory(facility=station, full_name="Hoàng Thị Lan")
    elsewhere = HealthFacilityFactory(org_unit=other)
    nurse = User.objects.create_user(username="tram", password="mat-khau-dai-1", role=Role.STATION_STAFF,
                                     org_unit=commune)
    client = Client()
    client.force_login(nurse)
    roster = client.get(f"/api/orgunits/facilities/{station.pk}/staff")
    assert [(s["full_name"], s["cadre"]) for s in roster.json()] == [("Hoàng Thị Lan", "doctor")]
    listing = AuditEvent.objects.get(action=AuditAction.LIST)
    assert (listing.actor_id, listing.resource_type, listing.changes) == (
        nurse.pk, "orgunits.StaffMember", {"staff": [member.pk]})
    for asker, facility in ((client, elsewhere), (client_in, station)):
        refused = asker.get(f"/api/orgunits/facilities/{facility.pk}/staff")
        assert refused.status_code == 404 and "Hoàng" not in refused.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.DENIED, resource_type="orgunits.HealthFacility").count() == 2


def test_unit_list_query_count_does_not_grow_with_the_page(three_provinces, client_in, django_assert_num_queries):
    # session, user, count, page
    with django_assert_num_queries(4):
        small = client_in.get("/api/orgunits/units", {"limit": 5}).json()
    with django_assert_num_queries(4):
        large = client_in.get("/api/orgunits/units", {"limit": 100}).json()
    assert (len(small["items"]), len(large["items"])) == (5, 100)
