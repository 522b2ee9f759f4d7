"""Every read of one record, by URL and by API: 404 outside the scope, the refusal of an existing record audited
``denied`` naming the person, an absent record refused without a row; and the selectors used from a job."""

import pytest
from django.test import Client

from ytcs.accounts.models import Role
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditEvent
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.errors import NotAllowed
from ytcs.people.record_selectors import ExportFormat, record_export, resident_fhir, resident_for_edit
from ytcs.people.tests.factories import HouseholdFactory, ResidentFactory, UserFactory, make_world

pytestmark = pytest.mark.django_db

READS = {  # every page and API read that takes a resident's id
    "api resident": "/api/people/residents/{pk}",
    "api fhir": "/api/people/residents/{pk}/fhir",
    "api record": "/api/people/residents/{pk}/record",
    "record.json": "/people/register/resident/{pk}/record.json",
    "record.pdf": "/people/register/resident/{pk}/record.pdf",
    "print page": "/people/register/resident/{pk}/print/",
    "health-record page": "/people/register/resident/{pk}/",
    "edit page": "/people/register/resident/{pk}/edit/",
    "resident page": "/people/{pk}/",
}


@pytest.fixture
def world():
    world = make_world()
    world["resident"] = ResidentFactory(village=world["village_b"], cccd="004080001234",
                                        household=HouseholdFactory(village=world["village_b"]))
    world["admin"] = UserFactory(role=Role.SYSTEM_ADMIN, org_unit=world["country"])
    return world


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


BEFORE_THE_VOCABULARY = {"resident": ResourceType.RESIDENT, "household": ResourceType.HOUSEHOLD}


def denied_rows() -> list[tuple[ResourceType, str, list[int]]]:
    """The refusals written, their resource read as a vocabulary member (the access module's getters still
    write the codes of before the vocabulary until their move to ``people``)."""
    events = AuditEvent.objects.filter(action="denied", outcome="denied").order_by("pk")
    return [(BEFORE_THE_VOCABULARY.get(e.resource_type) or ResourceType(e.resource_type), e.resource_id,
             list(e.subjects.values_list("resident_id", flat=True))) for e in events]


def test_a_refused_read_of_an_existing_resident_is_audited_denied_on_every_path(world):
    resident = world["resident"]
    client = client_for(world["nurse_a"])  # the station of another commune
    answers = {name: client.get(url.format(pk=resident.pk)).status_code for name, url in READS.items()}
    assert answers == dict.fromkeys(READS, 404)
    assert denied_rows() == [(ResourceType.RESIDENT, str(resident.pk), [resident.pk])] * len(READS)
    assert not AuditEvent.objects.exclude(action="denied").exists()  # no read was written


def test_an_absent_resident_is_the_same_404_with_no_row(world):
    client = client_for(world["nurse_a"])
    assert {client.get(url.format(pk=999_999)).status_code for url in READS.values()} == {404}
    assert not AuditEvent.objects.exists()


def test_a_refused_household_is_audited_denied(world):
    household = world["resident"].household_id
    assert client_for(world["nurse_a"]).get(f"/api/people/households/{household}").status_code == 404
    assert [(t, i) for t, i, _ in denied_rows()] == [(ResourceType.HOUSEHOLD, str(household))]


def test_the_edit_page_is_a_capture_action_not_allowed_to_the_administrator_and_audited(world):
    """The administrator opens the record but captures nowhere: 403 on the edit page (the refusal rule: they can
    see the record, their role may not edit it), audited."""
    resident = world["resident"]
    client = client_for(world["admin"])
    assert client.get(f"/people/register/resident/{resident.pk}/").status_code == 200
    assert client.get(f"/people/register/resident/{resident.pk}/edit/").status_code == 403
    assert denied_rows() == [(ResourceType.RESIDENT, str(resident.pk), [resident.pk])]
    with pytest.raises(NotAllowed):
        resident_for_edit(context=AuditContext(actor=world["admin"]), pk=resident.pk)
    nurse = AuditContext(actor=world["nurse_b"])
    assert resident_for_edit(context=nurse, pk=resident.pk) == resident
    assert AuditEvent.objects.filter(action="view", actor=world["nurse_b"]).count() == 1


def test_selectors_run_from_a_job_and_name_it_in_the_audit(world):
    """No request needed: a scheduled export names its job; identifiers follow the user it acts for."""
    resident = world["resident"]
    job = AuditContext.system("nightly-export", actor=world["nurse_b"])
    shown = record_export(context=job, pk=resident.pk, fmt=ExportFormat.JSON)
    assert shown.resident == resident and shown.masker("cccd", resident.cccd) == "004080001234"
    event = AuditEvent.objects.get(action="export")
    assert (event.client, event.changes, event.ip_address) == ("job:nightly-export", {"format": "json"}, None)
    as_admin = resident_fhir(context=AuditContext.system("fhir-sync", actor=world["admin"]), pk=resident.pk)
    assert as_admin["identifier"] == [{"system": "urn:ytcs:sid:cccd", "value": "••••••••1234"}]
