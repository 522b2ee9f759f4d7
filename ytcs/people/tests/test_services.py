"""Register writes: validation, scope, audit with masked identifiers, households in one go, completeness."""

import datetime

import pytest
from pydantic import ValidationError

from ytcs.accounts.models import Role
from ytcs.audit.models import AuditEvent
from ytcs.core.errors import DomainError, NotAllowed, OutOfScope
from ytcs.orgunits.tests.factories import abolished_unit
from ytcs.people.inputs import ResidentFields, section_values
from ytcs.people.models import Household, LifeEvent, ResidenceHistory, Resident
from ytcs.people.sections import section_entry_add, section_entry_remove, section_save
from ytcs.people.services import (
    household_create,
    household_register,
    resident_create,
    resident_update,
)
from ytcs.people.tests.factories import UserFactory, acting, make_world, person_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def field_codes(exc):
    return [(e.field, e.code) for e in exc.value.errors]


def test_resident_create_sets_derived_fields_history_and_masked_audit(world):
    household = household_create(context=acting(world["nurse_a"]), commune=world["commune_a"],
                                 village=world["village_a"])
    resident = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=person_fields(
        household=household, village=world["village_a"], relationship_to_head="head",
        bhyt_card_number="hn2 04 0123456789"))
    resident.refresh_from_db()
    assert resident.full_name == "Nông Văn Dền"
    assert resident.name_folded == "nong van den"
    assert resident.birth_year == 1980
    assert (resident.bhyt_card_number, resident.bhyt_group_code, resident.bhyt_benefit_level) == (
        "HN2040123456789", "HN", 2)
    assert resident.social_insurance_number == "0123456789"
    assert ResidenceHistory.objects.get(resident=resident).valid_to is None
    assert LifeEvent.objects.get(resident=resident).kind == "registered"
    event = AuditEvent.objects.get(resource_type="people.Resident", action="create")
    assert event.changes["cccd"] == ["", "****1234"]
    assert event.changes["bhyt_card_number"] == ["", "****6789"]
    assert event.changes["phone"] == ["", "****5678"]
    assert "004080001234" not in str(event.changes)
    assert list(event.subjects.values_list("resident_id", flat=True)) == [resident.pk]


def test_resident_create_outside_capture_scope_is_404_and_for_a_viewer_403(world):
    with pytest.raises(OutOfScope):  # another commune's nurse: commune A is not theirs to see
        resident_create(context=acting(world["nurse_b"]), commune=world["commune_a"], fields=person_fields())
    with pytest.raises(NotAllowed):  # the province sees commune A but its role does not register people
        resident_create(context=acting(world["provincial"]), commune=world["commune_a"], fields=person_fields())
    assert not Resident.objects.exists()


def test_wrong_cccd_is_refused_with_field_and_reason(world):
    with pytest.raises(DomainError) as exc:
        resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=person_fields(sex="F"))
    assert field_codes(exc) == [("cccd", "cccd_sex_mismatch")]
    assert exc.value.as_dict()["errors"][0]["message"].startswith("Số CCCD: chữ số thứ 4")
    assert not Resident.objects.exists()


def test_duplicate_cccd_names_the_existing_person_inside_scope(world):
    resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=person_fields())
    with pytest.raises(DomainError) as exc:
        resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"],
                        fields=person_fields(given_name="Khác"))
    [error] = exc.value.errors
    assert error.code == "cccd_duplicate"
    assert "Nông Văn Dền, sinh năm 1980, Xã Hoà An" in error.message


def test_duplicate_cccd_outside_scope_does_not_name_the_person(world):
    resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=person_fields())
    with pytest.raises(DomainError) as exc:
        resident_create(context=acting(world["nurse_b"]), commune=world["commune_b"],
                        fields=person_fields(given_name="Khác"))
    [error] = exc.value.errors
    assert error.code == "cccd_duplicate"
    assert "xã/phường khác" in error.message and "Dền" not in error.message


def test_duplicate_social_insurance_number(world):
    resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"],
                    fields=person_fields(cccd="", social_insurance_number="0123456789"))
    with pytest.raises(DomainError) as exc:
        resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"],
                        fields=person_fields(cccd="", bhyt_card_number="0123456789"))
    assert field_codes(exc) == [("social_insurance_number", "sin_duplicate")]


def test_village_must_belong_to_the_commune(world):
    """A village of another commune the user works in is a wrong input (422); one outside their scope a 404."""
    split = UserFactory(role=Role.STATION_STAFF, org_unit=abolished_unit(
        {world["commune_a"]: 0.5, world["commune_b"]: 0.5}, name="Xã Chia Đôi"))
    with pytest.raises(DomainError) as exc:
        resident_create(context=acting(split), commune=world["commune_a"],
                        fields=person_fields(village=world["village_b"]))
    assert field_codes(exc) == [("village", "village_not_in_commune")]
    with pytest.raises(OutOfScope):
        resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"],
                        fields=person_fields(village=world["village_b"]))


def test_a_person_registered_into_a_household_lives_in_its_village_and_the_household_change_is_audited(world):
    household = household_create(context=acting(world["nurse_a"]), commune=world["commune_a"],
                                 village=world["village_a2"])
    resident = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"],
                               fields=person_fields(household=household))
    assert resident.village == world["village_a2"]
    event = AuditEvent.objects.get(resource_type="people.Household", action="update")
    assert event.changes == {"member_added": [None, resident.pk]}
    assert list(event.subjects.values_list("resident_id", flat=True)) == [resident.pk]


def test_several_errors_are_reported_together(world):
    with pytest.raises(DomainError) as exc:
        resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=person_fields(
            family_name="", cccd="12", phone="123", bhyt_card_number="XX"))
    fields = {e.field for e in exc.value.errors}
    assert {"family_name", "cccd", "phone", "bhyt_card_number"} <= fields


def test_uncertain_bhyt_level_is_saved_with_a_warning(world):
    resident = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"],
                               fields=person_fields(bhyt_card_number="CT4040123456789"))
    assert [w.code for w in resident.warnings] == ["bhyt_level_mismatch"]


def test_resident_update_audits_only_changed_fields_masked(world):
    resident = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=person_fields())
    resident_update(context=acting(world["nurse_a"]), resident=resident,
                    fields=ResidentFields(phone="0987654321", occupation="Nông dân"))
    event = AuditEvent.objects.filter(action="update").get()
    assert event.changes == {"phone": ["****5678", "****4321"], "occupation": ["", "Nông dân"]}


def test_resident_update_by_other_commune_is_404(world):
    resident = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=person_fields())
    with pytest.raises(OutOfScope):
        resident_update(context=acting(world["nurse_b"]), resident=resident, fields=ResidentFields(occupation="X"))
    denied = AuditEvent.objects.get(action="denied")
    assert list(denied.subjects.values_list("resident_id", flat=True)) == [resident.pk]
    assert (denied.actor, denied.resource_type) == (world["nurse_b"], "people.Resident")


def test_update_refuses_fields_outside_the_form(world):
    """The typed input has no commune: a move between communes is ``residence_move``, never an update."""
    with pytest.raises(ValidationError, match="commune"):
        ResidentFields(commune=world["commune_b"])


def three_members(**changes):
    """Head, spouse and child; ``changes`` maps a member's index to fields that differ."""
    members = [
        {"relationship_to_head": "head"},
        {"given_name": "Thị Mai", "middle_name": "", "sex": "F", "birth_date": datetime.date(1983, 7, 9),
         "cccd": "004183004321", "relationship_to_head": "spouse"},
        {"given_name": "Bảo", "birth_date": datetime.date(2015, 1, 20), "cccd": "", "phone": "",
         "relationship_to_head": "child"},
    ]
    return [person_fields(**{**member, **changes.get(str(i), {})}) for i, member in enumerate(members)]


def test_household_register_creates_household_and_members_atomically(world):
    household = household_register(context=acting(world["nurse_a"]), commune=world["commune_a"],
                                   village=world["village_a"], address="Xóm Trên", members=three_members())
    assert household.members.count() == 3
    assert household.head.given_name == "Dền"
    assert household.code.startswith(world["commune_a"].code + "-")
    assert set(household.members.values_list("village", flat=True)) == {world["village_a"].pk}
    assert AuditEvent.objects.filter(action="create", resource_type="people.Resident").count() == 3


def test_household_register_reports_member_errors_and_writes_nothing(world):
    members = three_members(**{"1": {"cccd": "004083004321"},  # male century digit for a woman
                               "2": {"relationship_to_head": "head"}})
    with pytest.raises(DomainError) as exc:
        household_register(context=acting(world["nurse_a"]), commune=world["commune_a"], village=world["village_a"],
                           members=members)
    assert ("members.1.cccd", "cccd_sex_mismatch") in field_codes(exc)
    assert ("members.2.relationship_to_head", "household_head_count") in field_codes(exc)
    assert not Household.objects.exists() and not Resident.objects.exists()


def test_household_register_refuses_the_same_cccd_twice(world):
    members = three_members()
    members[1] = person_fields(relationship_to_head="spouse", given_name="Trùng")
    with pytest.raises(DomainError) as exc:
        household_register(context=acting(world["nurse_a"]), commune=world["commune_a"], village=world["village_a"],
                           members=members)
    assert ("members.1.cccd", "cccd_repeated") in field_codes(exc)


def test_sections_and_completeness(world):
    household = household_register(context=acting(world["nurse_a"]), commune=world["commune_a"],
                                   village=world["village_a"], members=three_members())
    resident = household.head
    start = resident.completeness_pct
    assert 0 < start < 100
    context = acting(world["nurse_a"])
    section_save(context=context, resident=resident, fields=section_values("risk_factors", {
        "tobacco": "thuoc_lao", "tobacco_per_day": 10, "alcohol": "regular", "physical_activity": "none"}))
    section_entry_add(context=context, resident=resident,
                      fields=section_values("allergies", {"kind": "drug", "agent": "Penicillin"}))
    entry = section_entry_add(context=context, resident=resident, fields=section_values("medical_history", {
        "whose": "personal", "condition": "Tăng huyết áp", "icd10_code": "i10"}))
    assert entry.icd10_code == "I10"
    section_entry_add(context=context, resident=resident, fields=section_values("medical_history", {
        "whose": "family", "relation": "Bố", "condition": "Đái tháo đường", "icd10_code": "E11.9"}))
    section_save(context=context, resident=resident, fields=section_values("health_profile", {
        "blood_group": "O", "disabilities_none": True, "surgeries_none": True}))
    resident.refresh_from_db()
    assert resident.completeness_pct > start
    resident_update(context=context, resident=resident, fields=ResidentFields(
        bhyt_card_number="HN2040123456789", bhyt_valid_to=datetime.date(2027, 12, 31)))
    assert resident.completeness_pct == 100
    section_entry_remove(context=context, resident=resident, section="allergies",
                         entry_id=resident.allergies.get().pk)
    assert resident.completeness_pct < 100


def test_medical_history_refuses_an_unknown_icd_code(world):
    resident = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=person_fields())
    with pytest.raises(DomainError) as exc:
        section_entry_add(context=acting(world["nurse_a"]), resident=resident, fields=section_values(
            "medical_history", {"whose": "family", "condition": "x", "icd10_code": "K999"}))
    assert set(field_codes(exc)) == {("icd10_code", "icd10_unknown"), ("relation", "family_relation_required")}


def test_reproductive_section_only_for_women(world):
    resident = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=person_fields())
    with pytest.raises(DomainError) as exc:
        section_save(context=acting(world["nurse_a"]), resident=resident,
                     fields=section_values("reproductive_history", {"pregnancies": 1}))
    assert field_codes(exc) == [(None, "reproductive_women_only")]


def test_residence_status_is_saved_and_its_change_audited(world):
    resident = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=person_fields())
    assert resident.residence_status == "permanent"
    resident_update(context=acting(world["nurse_a"]), resident=resident, fields=ResidentFields(
        residence_status="absent", residence_status_from=datetime.date(2026, 1, 1),
        residence_status_to=datetime.date(2026, 7, 1)))
    resident.refresh_from_db()
    assert (resident.residence_status, resident.residence_status_from, resident.residence_status_to) == (
        "absent", datetime.date(2026, 1, 1), datetime.date(2026, 7, 1))
    assert AuditEvent.objects.filter(action="update").get().changes == {
        "residence_status": ["permanent", "absent"], "residence_status_from": [None, "2026-01-01"],
        "residence_status_to": [None, "2026-07-01"]}


def test_residence_status_period_must_end_after_it_starts_and_an_absence_needs_its_start(world):
    with pytest.raises(DomainError) as exc:
        resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=person_fields(
            residence_status="temporary", residence_status_from=datetime.date(2026, 3, 1),
            residence_status_to=datetime.date(2026, 2, 1)))
    assert field_codes(exc) == [("residence_status_to", "residence_status_order")]
    assert exc.value.errors[0].message == "Ngày kết thúc tình trạng cư trú phải sau ngày bắt đầu."
    with pytest.raises(DomainError) as exc:
        resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"],
                        fields=person_fields(residence_status="absent"))
    assert field_codes(exc) == [("residence_status_from", "residence_absent_from_required")]
    with pytest.raises(DomainError) as exc:
        resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"],
                        fields=person_fields(residence_status="away"))
    assert [e.field for e in exc.value.errors] == ["residence_status"]
    assert not Resident.objects.exists()
