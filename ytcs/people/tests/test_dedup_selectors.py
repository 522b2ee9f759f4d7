"""Reads of the duplicate workflow: refusals audited naming both people, identifiers as the viewer's masker says."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from ytcs.accounts.models import Role
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditEvent
from ytcs.core.errors import OutOfScope
from ytcs.people.dedup.models import DuplicateCandidate, MergeLog
from ytcs.people.dedup.selectors import candidate_detail, merge_log_detail
from ytcs.people.dedup.services import duplicates_scan_commune
from ytcs.people.tests.factories import ResidentFactory, UserFactory, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = make_world()
    world["original"] = ResidentFactory(village=world["village_a"], given_name="An", cccd="004080000123",
                                        phone="0912345678")
    world["copy"] = ResidentFactory(village=world["village_a"], family_name="Nguyen", middle_name="Van",
                                    given_name="Ann", birth_date=datetime.date(1980, 1, 1),
                                    social_insurance_number="0412345678")
    ResidentFactory(village=world["village_a"], given_name="Bình", birth_date=datetime.date(1960, 2, 3))
    return world


def test_a_refused_pair_or_merge_is_audited_denied_naming_both_people(world):
    duplicates_scan_commune(context=AuditContext.system("dedup-scan"), commune=world["commune_a"])
    candidate = DuplicateCandidate.objects.get()
    elsewhere = AuditContext(actor=world["nurse_b"])
    with pytest.raises(OutOfScope):
        candidate_detail(context=elsewhere, pk=candidate.pk)
    with pytest.raises(OutOfScope):
        candidate_detail(context=elsewhere, pk=candidate.pk + 100)  # absent: no row
    refused = AuditEvent.objects.get(action="denied")
    assert (refused.resource_type, refused.resource_id, refused.outcome) == (
        "people.DuplicateCandidate", str(candidate.pk), "denied")
    assert set(refused.subjects.values_list("resident_id", flat=True)) == {world["original"].pk, world["copy"].pk}
    log = MergeLog.objects.create(kept=world["original"], removed=world["copy"], candidate=candidate,
                                  actor=world["nurse_a"])  # what the read needs of a merge, without merging
    with pytest.raises(OutOfScope):
        merge_log_detail(context=elsewhere, pk=log.pk)
    assert AuditEvent.objects.filter(action="denied", resource_type="people.MergeLog").count() == 1
    assert merge_log_detail(context=AuditContext(actor=world["nurse_a"]), pk=log.pk) == MergeLog.objects.get()


def test_the_pair_page_shows_identifiers_through_the_viewers_masker(world):
    duplicates_scan_commune(context=AuditContext.system("dedup-scan"), commune=world["commune_a"])
    view = candidate_detail(context=AuditContext(actor=world["nurse_a"]), pk=DuplicateCandidate.objects.get().pk)
    assert view.left_masker.full and view.right_masker.full
    client = Client()
    client.force_login(world["nurse_a"])
    body = client.get(reverse("people:dedup-pair", args=[view.candidate.pk])).content.decode()
    assert "004080000123" in body and "0912345678" in body and "0412345678" in body
    admin = UserFactory(role=Role.SYSTEM_ADMIN, org_unit=world["country"])
    client.force_login(admin)  # may open both records, captures nowhere: the pair, masked, and no buttons
    page = client.get(reverse("people:dedup-pair", args=[view.candidate.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and not page.context["v"].may_decide
    assert "004080000123" not in body and "0912345678" not in body and "0412345678" not in body
    assert "0123" in body and "5678" in body
