"""The audit browser: system administrators only, per person and per user, and itself audited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ytcs.accounts.models import Role
from ytcs.accounts.tests.factories import UserFactory
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction, AuditEvent
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType


@pytest.fixture
def admin(world):
    return UserFactory(username="quan_tri", role=Role.SYSTEM_ADMIN, org_unit=world.country)


@pytest.fixture
def trail(world, residents):
    nurse = UserFactory(username="y_ta", role=Role.STATION_STAFF, org_unit=world.commune_a)
    other = UserFactory(username="y_ta_b", role=Role.STATION_STAFF, org_unit=world.commune_b)
    a1, a2, b = residents["a1"].pk, residents["a2"].pk, residents["b"].pk
    resident = ResourceType.RESIDENT
    audit_record(context=AuditContext(nurse), action=AuditAction.LIST, resource_type=resident, subject_ids=[a1, a2])
    audit_record(context=AuditContext(nurse), action=AuditAction.VIEW, resource_type=resident, resource_id=a1,
                 subject_ids=[a1])
    audit_record(context=AuditContext(other), action=AuditAction.VIEW, resource_type=resident, resource_id=b,
                 subject_ids=[b])
    audit_record(context=AuditContext(nurse), action=AuditAction.EXPORT, resource_type=resident, subject_ids=[a2])
    return {"nurse": nurse, "other": other, "a1": a1, "a2": a2, "b": b}


def rows(response) -> list[tuple[str, str]]:
    return [(e.actor_username, e.action) for e in response.context["page"]]


@pytest.mark.parametrize(
    ("role", "unit"),
    [(Role.STATION_HEAD, "commune_a"), (Role.PROVINCIAL, "province_p"), (Role.NATIONAL_VIEWER, "country")],
)
def test_only_system_administrators_see_the_audit_pages(client, world, trail, role, unit):
    """The trail is not theirs (404); a person's trail, of someone they may open, is an action refused (403)."""
    client.force_login(UserFactory(role=role, org_unit=getattr(world, unit), may_open_records=True))
    for url in ("/audit/", f"/audit/user/{trail['nurse'].pk}/"):
        assert client.get(url).status_code == 404
    assert client.get(f"/audit/resident/{trail['a1']}/").status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get("/audit/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_who_saw_this_person(client, admin, trail):
    client.force_login(admin)
    response = client.get(f"/audit/resident/{trail['a1']}/")
    assert response.status_code == 200
    assert rows(response) == [("y_ta", "view"), ("y_ta", "list")]
    assert response.context["resident"]["pk"] == trail["a1"]
    assert response["Cache-Control"] == "no-store"


def test_what_did_this_user_see(client, admin, trail):
    client.force_login(admin)
    response = client.get(f"/audit/user/{trail['nurse'].pk}/")
    assert rows(response) == [("y_ta", "export"), ("y_ta", "view"), ("y_ta", "list")]
    assert response.context["residents_seen"] == 2
    assert client.get("/audit/user/999999/").status_code == 404


def test_filters_by_user_action_resident_and_date(client, admin, trail):
    client.force_login(admin)
    assert rows(client.get("/audit/", {"username": "Y_TA_B"})) == [("y_ta_b", "view")]
    assert rows(client.get("/audit/", {"action": "export"})) == [("y_ta", "export")]
    assert rows(client.get("/audit/", {"resident": trail["a2"], "action": "list"})) == [("y_ta", "list")]
    today = timezone.localdate()
    assert len(rows(client.get("/audit/", {"date_from": today, "date_to": today, "username": "y_ta"}))) == 3
    assert rows(client.get("/audit/", {"date_to": today - timedelta(days=1)})) == []


def test_reading_the_trail_is_itself_audited(client, admin, trail):
    client.force_login(admin)
    client.get(f"/audit/resident/{trail['b']}/")
    event = AuditEvent.objects.filter(resource_type="audit.AuditEvent").get()
    assert (event.actor_id, event.action, event.resource_id) == (admin.pk, "list", f"resident:{trail['b']}")
    assert list(event.subjects.values_list("resident_id", flat=True)) == [trail["b"]]


def test_the_list_is_paginated(client, admin, db):
    for n in range(55):
        audit_record(context=AuditContext(admin), action=AuditAction.SEARCH, resource_type=ResourceType.RESIDENT,
                     resource_id=n)
    client.force_login(admin)
    first = client.get("/audit/", {"action": "search"})
    second = client.get("/audit/", {"action": "search", "page": 2})
    assert len(first.context["page"]) == 50 and len(second.context["page"]) == 5
    assert "action=search&amp;page=2" in first.content.decode()
