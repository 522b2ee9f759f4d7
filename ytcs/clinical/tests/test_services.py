from datetime import date, timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from ytcs.accounts.models import Role
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditEvent
from ytcs.audit.vocabulary import ResourceType
from ytcs.clinical.inputs import ConditionIn, EncounterIn
from ytcs.clinical.models import Condition, ConditionStatus, Encounter
from ytcs.clinical.services import condition_add, condition_resolve, encounter_record, encounter_update, encounter_void
from ytcs.clinical.tests.factories import OrgUnitFactory, ResidentFactory, UserFactory
from ytcs.core.errors import DomainError, NotAllowed
from ytcs.orgunits.models import HealthFacility, OrgUnit


def _data(body):
    return EncounterIn.model_validate(body)


def _as(user):
    """The services run the same for a page, the API or a job: here, a job acting for ``user``."""
    return AuditContext.system("test", actor=user)


def test_record_stores_visit_lines_bmi_and_opens_chronic_condition(place, patient, visit_body):
    encounter = encounter_record(context=_as(place.nurse_a), resident=patient, data=_data(visit_body))
    encounter.refresh_from_db()
    assert encounter.bmi == 24.4
    assert encounter.commune == place.commune_a
    assert encounter.practitioner == place.nurse_a
    assert encounter.practitioner_name == "Lan Trần Thị"
    assert [(d.icd10_code, d.is_primary) for d in encounter.diagnoses.all()] == [("I10", True)]
    assert [(p.drug_name, p.quantity, p.days) for p in encounter.prescription_lines.all()] == [("Amlodipin", 30, 30)]
    condition = Condition.objects.get(resident=patient)
    assert (condition.icd10_code, condition.status, condition.source_encounter) == ("I10", "active", encounter)


def test_record_is_audited_with_changes_but_no_identifiers(place, patient, visit_body):
    encounter = encounter_record(context=_as(place.nurse_a), resident=patient, data=_data(visit_body))
    event = AuditEvent.objects.get(action="create", resource_type=ResourceType.ENCOUNTER)
    assert event.resource_id == str(encounter.pk)
    assert list(event.subjects.values_list("resident_id", flat=True)) == [patient.pk]
    assert event.changes["systolic"] == [None, 150]
    assert event.changes["diagnoses"] == [[], ["I10"]]
    assert event.changes["reason"] == ["", "[text]"]
    trail = str(event.changes)
    for secret in (patient.cccd, patient.phone, patient.bhyt_card_number, patient.full_name, "Tái khám"):
        assert secret not in trail


def test_second_hypertension_visit_does_not_duplicate_the_condition(place, patient, visit_body):
    encounter_record(context=_as(place.nurse_a), resident=patient, data=_data(visit_body))
    visit_body["diagnoses"] = [{"code": "I10"}, {"code": "E11.9"}]
    encounter_record(context=_as(place.nurse_a), resident=patient, data=_data(visit_body))
    assert sorted(Condition.objects.filter(resident=patient).values_list("icd10_code", flat=True)) == ["E11.9", "I10"]


def test_acute_diagnosis_opens_no_condition(place, patient, visit_body):
    visit_body["diagnoses"] = [{"code": "J06.9"}]
    encounter_record(context=_as(place.nurse_a), resident=patient, data=_data(visit_body))
    assert not Condition.objects.exists()


def _refusals():
    return list(AuditEvent.objects.filter(action="denied").values_list("actor_username", "resource_type", "outcome"))


def test_out_of_scope_resident_is_404_and_nothing_is_written(place, visit_body):
    stranger = ResidentFactory(village=place.village_b1)
    with pytest.raises(Http404) as caught:
        encounter_record(context=_as(place.nurse_a), resident=stranger, data=_data(visit_body))
    assert not isinstance(caught.value, NotAllowed)
    assert not Encounter.objects.exists()
    denied = AuditEvent.objects.get(action="denied")
    assert list(denied.subjects.values_list("resident_id", flat=True)) == [stranger.pk]


def test_provincial_user_who_may_open_records_still_cannot_capture(place, patient, visit_body):
    """They can see the resident, so the refusal is 403 (not allowed), not 404 (out of scope); audited."""
    with pytest.raises(NotAllowed):
        encounter_record(context=_as(place.provincial), resident=patient, data=_data(visit_body))
    assert not Encounter.objects.exists()
    assert _refusals() == [(place.provincial.username, ResourceType.RESIDENT, "denied")]
    denied = AuditEvent.objects.get(action="denied")
    assert (denied.resource_id, denied.client) == (str(patient.pk), "job:test")
    assert list(denied.subjects.values_list("resident_id", flat=True)) == [patient.pk]


def test_a_refused_correction_names_the_visit_and_its_resident(place, patient, visit_body):
    encounter = encounter_record(context=_as(place.nurse_a), resident=patient, data=_data(visit_body))
    with pytest.raises(NotAllowed):
        encounter_update(context=_as(place.provincial), encounter=encounter, data=_data(visit_body))
    with pytest.raises(NotAllowed):
        encounter_void(context=_as(place.provincial), encounter=encounter, reason="Nhập nhầm")
    assert _refusals() == [(place.provincial.username, ResourceType.ENCOUNTER, "denied")] * 2
    assert set(AuditEvent.objects.filter(action="denied").values_list("resource_id", flat=True)) == {str(encounter.pk)}
    assert not Encounter.objects.filter(voided_at__isnull=False).exists()


def test_validation_collects_every_error_and_writes_nothing(place, patient, visit_body):
    visit_body.update(
        systolic=400,
        pulse=10,
        diagnoses=[{"code": "XYZ"}, {"code": "O80.0"}],
        occurred_at=(timezone.localtime() + timedelta(days=2)).isoformat(),
    )
    visit_body["prescriptions"][0]["quantity"] = 0
    with pytest.raises(DomainError) as caught:
        encounter_record(context=_as(place.nurse_a), resident=patient, data=_data(visit_body))
    assert {(e.field, e.code) for e in caught.value.errors} == {
        ("occurred_at", "in_future"),
        ("systolic", "out_of_range"),
        ("pulse", "out_of_range"),
        ("diagnoses.0.code", "unknown_code"),
        ("diagnoses.1.code", "sex_mismatch"),
        ("prescriptions.0.quantity", "out_of_range"),
    }
    assert not Encounter.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_bhyt_payer_needs_a_card_valid_on_the_visit_day(place, visit_body):
    uninsured = ResidentFactory(village=place.village_a1, bhyt_card_number="", bhyt_valid_to=None)
    with pytest.raises(DomainError) as caught:
        encounter_record(context=_as(place.nurse_a), resident=uninsured, data=_data(visit_body))
    assert [(e.field, e.code) for e in caught.value.errors] == [("payer", "no_valid_card")]
    visit_body["payer"] = "self_pay"
    assert encounter_record(context=_as(place.nurse_a), resident=uninsured, data=_data(visit_body)).payer == "self_pay"


def test_visit_before_birth_is_refused(place, visit_body):
    baby = ResidentFactory(village=place.village_a1, birth_date=timezone.localdate())
    visit_body["occurred_at"] = (timezone.localtime() - timedelta(days=3)).isoformat()
    with pytest.raises(DomainError) as caught:
        encounter_record(context=_as(place.nurse_a), resident=baby, data=_data(visit_body))
    assert ("occurred_at", "before_birth") in [(e.field, e.code) for e in caught.value.errors]


def test_update_replaces_lines_and_audits_only_the_diff(place, patient, visit_body):
    encounter = encounter_record(context=_as(place.nurse_a), resident=patient, data=_data(visit_body))
    visit_body.update(systolic=135, diastolic=85, diagnoses=[{"code": "I10"}, {"code": "R51"}], prescriptions=[])
    encounter_update(context=_as(place.nurse_a), encounter=encounter, data=_data(visit_body))
    encounter.refresh_from_db()
    assert (encounter.systolic, encounter.diastolic) == (135, 85)
    assert list(encounter.diagnoses.values_list("icd10_code", flat=True)) == ["I10", "R51"]
    assert not encounter.prescription_lines.exists()
    event = AuditEvent.objects.get(action="update", resource_type=ResourceType.ENCOUNTER)
    assert event.changes == {
        "systolic": [150, 135],
        "diastolic": [95, 85],
        "diagnoses": [["I10"], ["I10", "R51"]],
        "prescription_lines": [1, 0],
    }


def test_void_hides_nothing_from_the_database_and_removes_the_condition_it_opened(place, patient, visit_body):
    encounter = encounter_record(context=_as(place.nurse_a), resident=patient, data=_data(visit_body))
    with pytest.raises(DomainError):
        encounter_void(context=_as(place.nurse_a), encounter=encounter, reason="  ")
    encounter_void(context=_as(place.nurse_a), encounter=encounter, reason="Nhập nhầm người bệnh")
    encounter.refresh_from_db()
    assert encounter.is_voided and encounter.voided_by == place.nurse_a
    assert not Condition.objects.exists()
    event = AuditEvent.objects.get(action="delete", resource_type=ResourceType.ENCOUNTER)
    assert event.changes["conditions_removed"] == [["I10"], []]
    with pytest.raises(DomainError):
        encounter_update(context=_as(place.nurse_a), encounter=encounter, data=_data(visit_body))


def test_void_keeps_a_condition_still_supported_by_another_visit(place, patient, visit_body):
    first = encounter_record(context=_as(place.nurse_a), resident=patient, data=_data(visit_body))
    encounter_record(context=_as(place.nurse_a), resident=patient, data=_data(visit_body))
    encounter_void(context=_as(place.nurse_a), encounter=first, reason="Trùng lượt khám")
    assert Condition.objects.filter(resident=patient, icd10_code="I10").exists()


def test_manual_condition_and_resolution(place, patient):
    onset = timezone.localdate() - timedelta(days=400)
    nurse = _as(place.nurse_a)
    condition = condition_add(context=nurse, resident=patient, data=ConditionIn(icd10_code="j45.9", onset_date=onset))
    assert condition.icd10_code == "J45.9" and condition.source == "manual"
    with pytest.raises(DomainError) as caught:
        condition_add(context=nurse, resident=patient, data=ConditionIn(icd10_code="J45.0"))
    assert [(e.field, e.code) for e in caught.value.errors] == [("icd10_code", "duplicate")]
    with pytest.raises(DomainError):
        condition_add(context=nurse, resident=patient, data=ConditionIn(icd10_code="Q99.99"))
    with pytest.raises(NotAllowed):
        condition_resolve(context=_as(place.provincial), condition=condition)
    condition_resolve(context=nurse, condition=condition)
    condition.refresh_from_db()
    assert condition.status == ConditionStatus.RESOLVED
    assert AuditEvent.objects.filter(resource_type=ResourceType.CONDITION, outcome="ok").count() == 2
    with pytest.raises(Http404):
        condition_add(context=_as(place.nurse_b), resident=patient, data=ConditionIn(icd10_code="I10"))


def test_visit_is_placed_at_the_communes_station(place, patient, visit_body):
    station = HealthFacility.objects.create(
        code="TYT-AB",
        name="Trạm Y tế xã An Bình",
        kind="commune_station",
        org_unit=place.commune_a,
        valid_from=date(2025, 7, 1),
    )
    encounter = encounter_record(context=_as(place.nurse_a), resident=patient, data=_data(visit_body))
    assert (encounter.facility, encounter.facility_name) == (station, "Trạm Y tế xã An Bình")


def test_village_health_worker_records_only_in_their_village(place, patient, visit_body):
    other_village = OrgUnitFactory(level=OrgUnit.Level.VILLAGE, parent=place.commune_a, name="Thôn Ba")
    worker = UserFactory(role=Role.VILLAGE_HEALTH_WORKER, org_unit=place.village_a1)
    assert encounter_record(context=_as(worker), resident=patient, data=_data(visit_body)).commune == place.commune_a
    neighbour = ResidentFactory(village=other_village)
    with pytest.raises(Http404):
        encounter_record(context=_as(worker), resident=neighbour, data=_data(visit_body))
