"""Duplicate detection, the review queue and merge/undo against scope, audit and every linked record."""

import datetime

import pytest
from django.urls import reverse

from ytcs.accounts.models import Role
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditEvent
from ytcs.clinical.models import Condition, Diagnosis, Encounter
from ytcs.core.errors import DomainError, NotAllowed, OutOfScope
from ytcs.people.dedup.blocking import candidate_pairs
from ytcs.people.dedup.models import CandidateStatus, DuplicateCandidate, MergeLog
from ytcs.people.dedup.scoring import LIKELY_THRESHOLD, POSSIBLE_THRESHOLD, Person, score_pair
from ytcs.people.dedup.services import (
    candidate_mark_not_duplicate,
    duplicates_scan_commune,
    resident_links,
    resident_merge,
    resident_merge_undo,
)
from ytcs.people.models import Household, Resident
from ytcs.people.tests.factories import acting
from ytcs.web.tests.factories import HouseholdFactory, ResidentFactory, UserFactory, unit_tree

pytestmark = pytest.mark.django_db
SCAN = AuditContext.system("dedup-scan")


def person(pk=1, name="nguyen van an", born=datetime.date(1980, 5, 17), sex="M", village=10, household=None,
           commune=1, cccd=None, sin=None, bhyt="", phone=""):
    return Person(pk, commune, village, household, name, sex, born, cccd, sin, bhyt, phone)


# --- scoring on constructed pairs ---


@pytest.mark.parametrize(("b", "level"), [
    (person(2), "likely"),
    (person(2, name="an nguyen van"), "likely"),  # swapped order
    (person(2, born=datetime.date(1980, 1, 1)), "possible"),  # year only
    (person(2, name="an van nguyen"), "likely"),  # family and given swapped
    (person(2, name="nguyen van ann"), "likely"),  # typo in the given name
    (person(2, name="nguyen van ann", born=datetime.date(1980, 1, 1)), "possible"),  # ... and only the year
    (person(2, born=datetime.date(1981, 9, 3)), None),  # another year and day: a namesake
    (person(2, sex="F"), None),
    (person(2, name="nguyen van binh"), None),
    (person(2, cccd="004080000999"), None),  # both have a CCCD and they differ
])
def test_score_levels(b, level):
    a = person(1, cccd="004080000123" if b.cccd else None, phone="0912345678")
    assert score_pair(a, b).level == level, score_pair(a, b)


def test_identifiers_and_household_add_points_and_say_why():
    a = person(1, bhyt="GD4040412345678", phone="0912345678", household=5)
    b = person(2, bhyt="GD4040412345678", phone="0912345678", household=5, born=datetime.date(1980, 1, 1))
    scored = score_pair(a, b)
    codes = [code for code, _ in scored.reasons]
    assert {"same_bhyt_card", "same_phone", "same_household", "same_village", "birth_year_only"} <= set(codes)
    assert scored.points >= LIKELY_THRESHOLD


def test_a_common_given_name_earns_fewer_points_than_a_rare_one():
    common = score_pair(person(1), person(2), given_share=lambda g: 0.05).points
    rare = score_pair(person(1), person(2), given_share=lambda g: 0.0005).points
    assert rare > common >= POSSIBLE_THRESHOLD


def test_blocking_pairs_typos_and_swaps_but_not_strangers():
    people = [person(1), person(2, name="an nguyen van"), person(3, name="nguyen van ann", village=11),
              person(4, name="tran thi lan", born=datetime.date(1990, 1, 1), village=12)]
    pairs = {(a.pk, b.pk) for a, b in candidate_pairs(people)}
    assert {(1, 2), (1, 3), (2, 3)} <= pairs
    assert not any(4 in pair for pair in pairs)


# --- scan and queue ---


@pytest.fixture
def units():
    return unit_tree()


@pytest.fixture
def nurse(units):
    return UserFactory(role=Role.STATION_STAFF, org_unit=units["commune_a"])


@pytest.fixture
def pair(units):
    household = HouseholdFactory(village=units["village_a"])
    original = ResidentFactory(village=units["village_a"], household=household, cccd="004080000123",
                               phone="0912345678")
    copy = ResidentFactory(village=units["village_a"], family_name="Nguyen", middle_name="Van", given_name="Ann",
                           birth_date=datetime.date(1980, 1, 1), social_insurance_number="0412345678")
    ResidentFactory(village=units["village_a"], given_name="Bình", birth_date=datetime.date(1960, 2, 3))
    return original, copy


def test_scan_finds_the_pair_and_keeps_decisions_on_rescan(units, pair):
    original, copy = pair
    result = duplicates_scan_commune(context=SCAN, commune=units["commune_a"])
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.left_id, candidate.right_id) == (original.pk, copy.pk)
    assert result.residents == 3 and candidate.status == CandidateStatus.NEW
    candidate.status = CandidateStatus.NOT_DUPLICATE
    candidate.save()
    duplicates_scan_commune(context=SCAN, commune=units["commune_a"])
    assert DuplicateCandidate.objects.get().status == CandidateStatus.NOT_DUPLICATE


def test_queue_and_pair_pages_are_404_outside_the_scope_and_403_for_a_role_that_may_not_decide(
        client, units, pair, nurse):
    duplicates_scan_commune(context=SCAN, commune=units["commune_a"])
    candidate = DuplicateCandidate.objects.get()
    other = UserFactory(role=Role.STATION_STAFF, org_unit=units["commune_b"])
    client.force_login(other)
    assert client.get(reverse("people:dedup-pair", args=[candidate.pk])).status_code == 404
    assert client.post(reverse("people:dedup-decide", args=[candidate.pk]),
                       {"decision": "keep_left"}).status_code == 404
    assert "Nguyen Van Ann" not in client.get(reverse("people:dedup-queue")).content.decode()
    admin = UserFactory(role=Role.SYSTEM_ADMIN, org_unit=units["country"])
    client.force_login(admin)
    assert client.get(reverse("people:dedup-queue")).status_code == 403  # sees every record, captures nowhere
    # The administrator may open both records, so sees the pair, without the buttons; deciding is refused.
    pair_page = client.get(reverse("people:dedup-pair", args=[candidate.pk]))
    assert pair_page.status_code == 200 and "keep_left" not in pair_page.content.decode()
    assert client.post(reverse("people:dedup-decide", args=[candidate.pk]),
                       {"decision": "not_duplicate"}).status_code == 403
    assert DuplicateCandidate.objects.get().status == CandidateStatus.NEW
    client.force_login(nurse)
    body = client.get(reverse("people:dedup-queue")).content.decode()
    assert "Nguyen Van Ann" in body
    assert client.get(reverse("people:dedup-pair", args=[candidate.pk])).status_code == 200
    listed = AuditEvent.objects.filter(action="list", resource_type="people.DuplicateCandidate").latest("pk")
    assert set(listed.subjects.values_list("resident_id", flat=True)) == {pair[0].pk, pair[1].pk}


def test_not_a_duplicate_is_recorded_and_audited(units, pair, nurse):
    duplicates_scan_commune(context=SCAN, commune=units["commune_a"])
    candidate = candidate_mark_not_duplicate(context=acting(nurse), candidate=DuplicateCandidate.objects.get())
    assert (candidate.status, candidate.reviewed_by) == (CandidateStatus.NOT_DUPLICATE, nurse)
    assert AuditEvent.objects.filter(action="update", resource_type="people.DuplicateCandidate").exists()


# --- merge and undo ---


def test_the_merge_covers_hidden_links():
    labels = {f"{rel.related_model._meta.label}.{rel.field.name}" for rel in resident_links()}
    assert {"clinical.Encounter.resident", "clinical.Diagnosis.resident", "clinical.Condition.resident",
            "people.Household.head"} <= labels
    assert "audit.AuditSubject.resident" not in labels
    assert "people.Resident.merged_into" not in labels


def _snapshot(*residents):
    return [
        {f.attname: getattr(Resident.objects.get(pk=r.pk), f.attname) for f in Resident._meta.concrete_fields
         if f.name != "updated_at"}
        for r in residents
    ]


def test_merge_moves_every_linked_record_and_undo_restores_exactly(units, pair, nurse):
    original, copy = pair
    household = Household.objects.get(pk=original.household_id)
    head_of = HouseholdFactory(village=units["village_a"], head=copy)
    visit = Encounter.objects.create(resident=copy, commune=units["commune_a"],
                                     occurred_at=datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC),
                                     payer="bhyt", outcome="treated")
    diagnosis = Diagnosis.objects.create(encounter=visit, resident=copy, icd10_code="I10", is_primary=True)
    kept_condition = Condition.objects.create(resident=original, icd10_code="I10", status="active", source="manual")
    clash = Condition.objects.create(resident=copy, icd10_code="I10", status="active", source="manual")
    other = Condition.objects.create(resident=copy, icd10_code="E11", status="active", source="manual")
    before = _snapshot(original, copy)
    audit_before = AuditEvent.objects.count()

    log = resident_merge(context=acting(nurse), keep=original, remove=copy)

    visit.refresh_from_db(), diagnosis.refresh_from_db(), head_of.refresh_from_db(), other.refresh_from_db()
    clash.refresh_from_db()
    assert (visit.resident_id, diagnosis.resident_id, head_of.head_id, other.resident_id) == (original.pk,) * 4
    assert clash.resident_id == copy.pk  # one active I10 per resident: stays with the inactive record
    assert log.left_behind == {"clinical.Condition.resident": [clash.pk]}
    copy.refresh_from_db()
    original.refresh_from_db()
    assert copy.merged_into_id == original.pk and copy.social_insurance_number is None
    assert original.social_insurance_number == "0412345678"  # filled from the removed record
    assert original.household_id == household.pk and kept_condition.resident_id == original.pk
    events = AuditEvent.objects.order_by("pk")[audit_before:]
    assert [(e.action, e.resource_id) for e in events] == [("update", str(original.pk)), ("update", str(copy.pk))]
    assert "0412345678" not in str([e.changes for e in events])

    resident_merge_undo(context=acting(nurse), merge_log=log)

    visit.refresh_from_db(), diagnosis.refresh_from_db(), head_of.refresh_from_db(), other.refresh_from_db()
    assert (visit.resident_id, diagnosis.resident_id, head_of.head_id, other.resident_id) == (copy.pk,) * 4
    assert _snapshot(original, copy) == before
    log.refresh_from_db()
    assert log.undone_by == nurse
    with pytest.raises(DomainError):
        resident_merge_undo(context=acting(nurse), merge_log=log)


def test_merge_is_refused_outside_the_capture_scope_and_for_merged_records(units, pair):
    original, copy = pair
    outsider = UserFactory(role=Role.STATION_STAFF, org_unit=units["commune_b"])
    with pytest.raises(OutOfScope):
        resident_merge(context=acting(outsider), keep=original, remove=copy)
    viewer = UserFactory(role=Role.PROVINCIAL, org_unit=units["province"], may_open_records=True)
    with pytest.raises(NotAllowed):
        resident_merge(context=acting(viewer), keep=original, remove=copy)
    refused = AuditEvent.objects.filter(action="denied")
    assert set(refused.values_list("subjects__resident_id", flat=True)) == {original.pk, copy.pk}
    nurse = UserFactory(role=Role.STATION_STAFF, org_unit=units["commune_a"])
    resident_merge(context=acting(nurse), keep=original, remove=copy)
    third = ResidentFactory(village=units["village_a"])
    with pytest.raises(DomainError):
        resident_merge(context=acting(nurse), keep=third, remove=Resident.objects.get(pk=copy.pk))
    assert MergeLog.objects.count() == 1


def test_merge_and_undo_through_the_pages(client, units, pair, nurse):
    original, copy = pair
    duplicates_scan_commune(context=SCAN, commune=units["commune_a"])
    candidate = DuplicateCandidate.objects.get()
    client.force_login(nurse)
    response = client.post(reverse("people:dedup-decide", args=[candidate.pk]), {"decision": "keep_left"})
    log = MergeLog.objects.get()
    assert response["Location"] == reverse("people:dedup-merge", args=[log.pk])
    assert (log.kept_id, log.removed_id) == (original.pk, copy.pk)
    assert DuplicateCandidate.objects.get().status == CandidateStatus.MERGED
    page = client.get(reverse("people:detail", args=[copy.pk])).content.decode()
    assert reverse("people:dedup-merge", args=[log.pk]) in page
    client.post(reverse("people:dedup-undo", args=[log.pk]))
    assert Resident.objects.get(pk=copy.pk).merged_into_id is None
    assert DuplicateCandidate.objects.get().status == CandidateStatus.NEW


def test_health_record_sections_move_and_a_one_to_one_the_kept_record_has_stays_behind(units, pair, nurse):
    from ytcs.people.models import Allergy, HealthProfile

    original, copy = pair
    allergy = Allergy.objects.create(resident=copy, kind="drug", agent="Penicillin")
    kept_profile = HealthProfile.objects.create(resident=original, blood_group="O")
    copy_profile = HealthProfile.objects.create(resident=copy, blood_group="A")

    log = resident_merge(context=acting(nurse), keep=original, remove=copy)

    allergy.refresh_from_db(), copy_profile.refresh_from_db(), kept_profile.refresh_from_db()
    assert allergy.resident_id == original.pk
    assert (kept_profile.resident_id, copy_profile.resident_id) == (original.pk, copy.pk)
    assert log.left_behind["people.HealthProfile.resident"] == [copy_profile.pk]

    resident_merge_undo(context=acting(nurse), merge_log=log)
    allergy.refresh_from_db()
    assert allergy.resident_id == copy.pk


def test_a_one_to_one_moves_when_the_kept_record_has_none(units, pair, nurse):
    from ytcs.people.models import HealthProfile

    original, copy = pair
    profile = HealthProfile.objects.create(resident=copy, blood_group="B")
    log = resident_merge(context=acting(nurse), keep=original, remove=copy)
    profile.refresh_from_db()
    assert profile.resident_id == original.pk and "people.HealthProfile.resident" in log.moved


def test_pair_and_merge_pages_name_linked_records_and_fields_in_vietnamese(client, units, pair, nurse):
    from ytcs.people.models import LifeEvent, ResidenceHistory

    original, copy = pair
    for _ in range(2):
        LifeEvent.objects.create(resident=copy, kind="registered", occurred_on=datetime.date(2026, 1, 5),
                                 commune=units["commune_a"])
    ResidenceHistory.objects.create(resident=copy, commune=units["commune_a"], valid_from=datetime.date(2026, 1, 5))
    duplicates_scan_commune(context=SCAN, commune=units["commune_a"])
    client.force_login(nurse)
    pair_page = client.get(reverse("people:dedup-pair", args=[DuplicateCandidate.objects.get().pk])).content.decode()
    assert "<td>Sự kiện hộ tịch</td><td>0</td><td>2</td>" in pair_page
    assert "<td>Lịch sử cư trú</td>" in pair_page and "trús" not in pair_page and "tịchs" not in pair_page
    log = resident_merge(context=acting(nurse), keep=original, remove=copy)
    merge_page = client.get(reverse("people:dedup-merge", args=[log.pk])).content.decode()
    assert "<li>Sự kiện hộ tịch: 2</li>" in merge_page and "<li>Lịch sử cư trú: 1</li>" in merge_page
    assert "Mã số BHXH" in merge_page
    assert "people.LifeEvent" not in merge_page and "social_insurance_number" not in merge_page
    client.cookies["django_language"] = "en"
    merge_page = client.get(reverse("people:dedup-merge", args=[log.pk])).content.decode()
    assert "<li>Residence history: 1</li>" in merge_page and "Social insurance number" in merge_page
