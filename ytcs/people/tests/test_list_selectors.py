"""The API's lists: scoped, audited, their window bounded so no limit or offset reaches the database raw."""

import pytest
from django.test import Client

from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditEvent
from ytcs.people.list_selectors import Window, resident_list
from ytcs.people.models import Resident
from ytcs.people.tests.factories import ResidentFactory, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = make_world()
    world["mine"] = [ResidentFactory(village=world["village_a"]) for _ in range(3)]
    ResidentFactory(village=world["village_b"])
    return world


def test_the_window_clamps_its_limit_and_offset_instead_of_refusing(world, monkeypatch):
    rows = Resident.objects.all()
    first = list(rows.order_by("pk"))
    assert Window(limit=0).rows(rows) == (4, first[:1])
    assert Window(limit=2, offset=-3).rows(rows) == (4, first[:2])
    assert Window(limit=2, offset=3).rows(rows) == (4, first[3:])
    monkeypatch.setattr("ytcs.people.list_selectors.MAX_LIMIT", 3)
    assert Window(limit=100).rows(rows) == (4, first[:3])


def test_limits_and_offsets_past_the_end_answer_an_empty_page(world):
    client = Client()
    client.force_login(world["nurse_a"])
    for query in ({"offset": 2**63 - 1}, {"offset": 3}, {"limit": 2**63 - 1, "offset": 2**62}):
        response = client.get("/api/people/residents", query)
        assert response.status_code == 200 and response.json() == {"count": 3, "items": []}, query
    everything = client.get("/api/people/residents", {"limit": 10**6, "offset": -7}).json()
    assert [r["id"] for r in everything["items"]] == [r.pk for r in world["mine"]]
    assert client.get("/api/people/households", {"offset": 2**63 - 1}).json() == {"count": 0, "items": []}


def test_a_page_is_audited_naming_its_residents_with_its_filters(world):
    page = resident_list(context=AuditContext(actor=world["nurse_a"]), window=Window(limit=2, offset=1),
                         village=world["village_a"].pk)
    assert page.count == 3 and [r.pk for r in page.items] == [r.pk for r in world["mine"][1:]]
    event = AuditEvent.objects.get(action="list")
    assert event.changes == {"village": world["village_a"].pk}
    assert sorted(event.subjects.values_list("resident_id", flat=True)) == [r.pk for r in world["mine"][1:]]


def test_a_filter_outside_the_range_of_ids_is_bad_input_not_a_server_error(world):
    client = Client()
    client.force_login(world["nurse_a"])
    for query in ({"commune": 2**63}, {"village": 0}, {"household": -1}):
        response = client.get("/api/people/residents", query)
        assert response.status_code == 422, query
        assert response.json()["errors"][0]["field"] == next(iter(query))
    assert client.get("/api/people/households", {"commune": 2**64}).status_code == 422
