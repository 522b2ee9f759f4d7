"""Every way a resident's identifiers leave the system, walked as a system administrator and as the station nurse.

The administrator may open every record but captures for no commune: no full CCCD, BHXH number, BHYT card
number, phone or emergency-contact phone may appear in any response, whatever the format (JSON, FHIR, HTML,
PDF). The nurse of the resident's commune sees them in full wherever the output shows them. The raw bytes of
each response are searched; a PDF's streams are decoded first (reportlab compresses them, and keeps ASCII
text readable in its TrueType subsets, ``rl_config.ttfAsciiReadable``), with no PDF library.
"""

import base64
import json
import re
import zlib

import pytest
from django.test import Client
from django.urls import reverse

from ytcs.accounts.models import Role
from ytcs.audit.models import AuditEvent
from ytcs.people.tests.factories import HouseholdFactory, ResidentFactory, UserFactory, make_world

pytestmark = pytest.mark.django_db

IDENTIFIERS = {
    "cccd": "004080001234",
    "social_insurance_number": "0412345678",
    "bhyt_card_number": "GD4040412345678",  # a card's last ten characters are the BHXH number
    "phone": "0912345678",
    "emergency_contact_phone": "0987654321",
}
ALL = frozenset(IDENTIFIERS)
ON_RESIDENT_PAGE = ALL - {"emergency_contact_phone"}
# path name → the identifiers that output shows (in full to the nurse, masked to the administrator)
OUTPUTS = {
    "api resident list": ALL,
    "api resident list of the commune": ALL,
    "api resident": ALL,
    "api fhir": ALL,
    "api record": ALL,
    "api household": ALL,
    "api household list": frozenset(),  # households without their members
    "record.json": ALL,
    "record.pdf": ALL,
    "print page": ALL,
    "health-record page": ALL,
    "resident page": ON_RESIDENT_PAGE,
    "search results": frozenset(),  # a list of people shows the last four characters to everyone
    "household member's page": frozenset(),  # names the other members, not their identifiers
}


@pytest.fixture
def world():
    world = make_world()
    household = HouseholdFactory(village=world["village_a"], code="HGD000777")
    world["resident"] = ResidentFactory(
        village=world["village_a"], household=household, relationship_to_head="head", phone=IDENTIFIERS["phone"],
        cccd=IDENTIFIERS["cccd"], social_insurance_number=IDENTIFIERS["social_insurance_number"],
        bhyt_card_number=IDENTIFIERS["bhyt_card_number"], emergency_contact_name="Nông Thị Hoa",
        emergency_contact_phone=IDENTIFIERS["emergency_contact_phone"], given_name="Dền", family_name="Nông")
    world["member"] = ResidentFactory(village=world["village_a"], household=household, given_name="Mai",
                                      relationship_to_head="spouse")
    world["admin"] = UserFactory(username="quantri", role=Role.SYSTEM_ADMIN, org_unit=world["country"])
    return world


def pdf_text(pdf: bytes) -> bytes:
    """The PDF with every stream decoded next to it (reportlab writes page content as ASCII85 over Flate, fonts
    as Flate), so the text drawn on its pages can be searched."""
    decoded = []
    for stream in re.finditer(rb"<<([^<>]*)>>\s*stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        filters, data = stream.group(1), stream.group(2)
        if b"/ASCII85Decode" in filters:
            data = base64.a85decode(data.strip().removesuffix(b"~>"))
        if b"/FlateDecode" in filters:
            data = zlib.decompressobj().decompress(data)
        decoded.append(data)
    return pdf + b"\n".join(decoded)


def outputs(user, world) -> dict[str, bytes]:
    """Each output path's response body as ``user`` reads it (all answered 200)."""
    client = Client()
    client.force_login(user)
    resident, member = world["resident"], world["member"]
    api = f"/api/people/residents/{resident.pk}"
    register = f"/people/register/resident/{resident.pk}"
    responses = {
        "api resident list": client.get("/api/people/residents"),
        "api resident list of the commune": client.get("/api/people/residents", {"commune": resident.commune_id}),
        "api resident": client.get(api),
        "api fhir": client.get(f"{api}/fhir"),
        "api record": client.get(f"{api}/record"),
        "api household": client.get(f"/api/people/households/{resident.household_id}"),
        "api household list": client.get("/api/people/households"),
        "record.json": client.get(f"{register}/record.json"),
        "record.pdf": client.get(f"{register}/record.pdf"),
        "print page": client.get(f"{register}/print/"),
        "health-record page": client.get(f"{register}/"),
        "resident page": client.get(reverse("people:detail", args=[resident.pk])),
        "search results": client.post(reverse("people:search"), {"q": "nong van den"}),
        "household member's page": client.get(reverse("people:detail", args=[member.pk])),
    }
    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 200)
    bodies = {name: r.content for name, r in responses.items()}
    bodies["record.pdf"] = pdf_text(bodies["record.pdf"])
    return bodies


def full_values_in(body: bytes) -> set[str]:
    return {field for field, value in IDENTIFIERS.items() if value.encode() in body}


def test_the_administrator_finds_no_full_identifier_in_any_output(world):
    bodies = outputs(world["admin"], world)
    assert set(bodies) == set(OUTPUTS)
    assert {name: full_values_in(body) for name, body in bodies.items()} == dict.fromkeys(OUTPUTS, set())
    # masked, not left out: the last four characters are there wherever the output shows the field
    detail = json.loads(bodies["api resident"])
    assert detail["cccd"] == "••••••••1234" and detail["phone"] == "••••••5678"
    assert detail["bhyt_card_number"] == "•••••••••••5678" and detail["emergency_contact_phone"] == "••••••4321"
    fhir = json.loads(bodies["api fhir"])
    assert {i["value"] for i in fhir["identifier"]} == {"••••••••1234", "••••••5678", "•••••••••••5678"}
    assert fhir["telecom"][0]["value"] == "••••••5678"
    assert "••••••4321" in bodies["print page"].decode() and "••••••4321" in bodies["health-record page"].decode()
    assert "••••••••1234" in bodies["resident page"].decode()


def test_the_station_nurse_finds_them_in_full(world):
    bodies = outputs(world["nurse_a"], world)
    assert {name: full_values_in(body) for name, body in bodies.items()} == OUTPUTS
    assert "••••••••1234" in bodies["search results"].decode()


def test_the_pdf_text_is_searchable_so_the_pdf_check_means_something(world):
    """The method finds text the PDF really draws (a name) and not text it does not."""
    client = Client()
    client.force_login(world["nurse_a"])
    pdf = client.get(f"/people/register/resident/{world['resident'].pk}/record.pdf").content
    assert IDENTIFIERS["cccd"].encode() not in pdf  # compressed: the raw file alone would prove nothing
    text = pdf_text(pdf)
    assert b"HGD000777" in text and b"NOT-IN-THE-RECORD" not in text


def test_each_output_is_one_audit_row_in_the_vocabulary_naming_the_people_shown(world):
    """Written by the selectors: the resource is a ``ResourceType`` member, the variant is in ``changes``."""
    outputs(world["admin"], world)
    resident, member, household = world["resident"].pk, world["member"].pk, world["resident"].household_id
    rows = [(e.action, e.resource_type, e.resource_id, e.changes, sorted(e.subjects.values_list("resident_id",
                                                                                               flat=True)))
            for e in AuditEvent.objects.order_by("pk")]
    people, one = sorted([resident, member]), [resident]
    assert rows == [
        ("list", "people.Resident", "", {}, people),
        ("list", "people.Resident", "", {"commune": world["commune_a"].pk}, people),
        ("view", "people.Resident", str(resident), {}, one),
        ("view", "people.Resident", str(resident), {"format": "fhir"}, one),
        ("view", "people.Resident", str(resident), {"format": "json"}, one),
        ("view", "people.Household", str(household), {}, people),
        ("list", "people.Household", "", {}, []),  # no household has a head here
        ("export", "people.Resident", str(resident), {"format": "json"}, one),
        ("export", "people.Resident", str(resident), {"format": "pdf"}, one),
        ("export", "people.Resident", str(resident), {"format": "html"}, one),
        ("view", "people.Resident", str(resident), {"view": "record"}, one),
        ("view", "people.Resident", str(resident), {}, people),  # the page names the other members
        ("search", "people.Resident", "", {"query_kind": "name", "page": 1, "results": 1}, one),
        ("view", "people.Resident", str(member), {}, people),
    ]
