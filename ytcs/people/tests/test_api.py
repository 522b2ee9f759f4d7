"""The register API: same checks as the form, structured 422s in the user's language, scope and audit."""

import json

import pytest
from django.conf import settings
from django.test import Client
from fhir.resources.R4B.patient import Patient

from ytcs.accounts.models import Role
from ytcs.audit.models import AuditEvent, AuditSubject
from ytcs.orgunits.tests.factories import abolished_unit
from ytcs.people.models import Resident
from ytcs.people.services import resident_create
from ytcs.people.tests.factories import UserFactory, acting, make_world, person_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def client_for(user, language="vi"):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # the project's language switch (web middleware)
    client.force_login(user)
    return client


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def member(**overrides):
    data = {"family_name": "Nông", "middle_name": "Văn", "given_name": "Dền", "sex": "M", "birth_date": "1980-03-02",
            "ethnicity": "Tày", "cccd": "004080001234", "relationship_to_head": "head"}
    data.update(overrides)
    return data


def test_create_resident_and_read_it_back(world):
    client = client_for(world["nurse_a"])
    response = post(client, "/api/people/residents", {**member(relationship_to_head=""),
                                                      "commune": world["commune_a"].pk,
                                                      "village": world["village_a"].pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["full_name"] == "Nông Văn Dền" and body["birth_date"] == "1980-03-02"
    got = client.get(f"/api/people/residents/{body['id']}")
    assert got.status_code == 200 and got.json()["cccd"] == "004080001234"
    assert AuditEvent.objects.filter(action="view", resource_id=str(body["id"])).exists()


def test_wrong_cccd_gives_structured_422_in_vietnamese(world):
    response = post(client_for(world["nurse_a"]), "/api/people/residents",
                    {**member(sex="F"), "commune": world["commune_a"].pk})
    assert response.status_code == 422
    assert response.json() == {"errors": [{
        "field": "cccd", "code": "cccd_sex_mismatch",
        "message": "Số CCCD: chữ số thứ 4 là “0”, tức giới tính nam, nhưng giới tính đã ghi là nữ."}]}


def test_422_follows_the_users_language(world):
    response = post(client_for(world["nurse_a"], "en"), "/api/people/residents",
                    {**member(sex="F"), "commune": world["commune_a"].pk})
    assert response.json()["errors"][0]["message"] == (
        "CCCD number: the 4th digit is “0”, meaning male, but the recorded sex is female.")


def test_form_level_errors_use_the_same_structure(world):
    client = client_for(world["nurse_a"])
    response = post(client, "/api/people/residents",
                    {"commune": world["commune_a"].pk, "family_name": "A", "birth_date": "2020-13-40", "sex": "X"})
    assert response.status_code == 422  # the schema: not a date
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [("birth_date", "invalid")]
    response = post(client, "/api/people/residents",
                    {"commune": world["commune_a"].pk, "family_name": "A", "birth_date": "2020-12-30", "sex": "X"})
    assert response.status_code == 422  # the service: every rule at once
    fields = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert {("sex", "invalid_choice"), ("given_name", "required")} <= fields
    required = next(e for e in response.json()["errors"] if e["field"] == "given_name")
    assert required["message"] == "Trường này là bắt buộc."


def test_create_in_another_commune_is_404(world):
    response = post(client_for(world["nurse_b"]), "/api/people/residents",
                    {**member(), "commune": world["commune_a"].pk})
    assert response.status_code == 404
    assert not Resident.objects.exists()


def test_out_of_scope_resident_is_404_and_list_is_scoped_and_audited(world):
    mine = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=person_fields())
    theirs = resident_create(context=acting(world["nurse_b"]), commune=world["commune_b"],
                             fields=person_fields(cccd="004080005678", given_name="B"))
    client = client_for(world["nurse_a"])
    assert client.get(f"/api/people/residents/{theirs.pk}").status_code == 404
    listed = client.get("/api/people/residents")
    assert [r["id"] for r in listed.json()["items"]] == [mine.pk]
    event = AuditEvent.objects.filter(action="list").get()
    assert list(AuditSubject.objects.filter(event=event).values_list("resident_id", flat=True)) == [mine.pk]


def test_patch_changes_only_given_fields(world):
    resident = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=person_fields())
    client = client_for(world["nurse_a"])
    response = client.patch(f"/api/people/residents/{resident.pk}", json.dumps({"occupation": "Giáo viên"}),
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["occupation"] == "Giáo viên"
    assert response.json()["cccd"] == "004080001234"
    bad = client.patch(f"/api/people/residents/{resident.pk}", json.dumps({"birth_date": "1981-03-02"}),
                       content_type="application/json")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["code"] == "cccd_birth_year_mismatch"


def test_household_with_three_members_in_one_request(world):
    response = post(client_for(world["nurse_a"]), "/api/people/households", {
        "commune": world["commune_a"].pk, "village": world["village_a"].pk, "address": "Xóm Trên",
        "members": [member(), member(given_name="Mai", middle_name="Thị", sex="F", cccd="004183004321",
                                     birth_date="1983-07-09", relationship_to_head="spouse"),
                    member(given_name="Bảo", cccd="", birth_date="2015-01-20", relationship_to_head="child")]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["members"]) == 3 and body["head_id"] == body["members"][0]["id"]


def test_household_member_errors_are_prefixed(world):
    response = post(client_for(world["nurse_a"]), "/api/people/households", {
        "commune": world["commune_a"].pk, "village": world["village_a"].pk,
        "members": [member(), member(given_name="Mai", sex="F", cccd="004080001234", relationship_to_head="spouse")]})
    assert response.status_code == 422
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} >= {("members.1.cccd", "cccd_sex_mismatch")}


def test_sections_and_life_events_through_the_api(world):
    resident = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"],
                               fields=person_fields(sex="F", cccd="004180001234", given_name="Mai"))
    client = client_for(world["nurse_a"])
    base = f"/api/people/residents/{resident.pk}"
    ok = client.put(f"{base}/sections/risk_factors", json.dumps({
        "tobacco": "thuoc_lao", "alcohol": "none", "physical_activity": "regular"}), content_type="application/json")
    assert ok.status_code == 200 and ok.json()["tobacco"] == "thuoc_lao"
    bad = post(client, f"{base}/sections/medical_history/entries",
               {"whose": "personal", "condition": "Tăng huyết áp", "icd10_code": "XYZ"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "icd10_code"
    entry = post(client, f"{base}/sections/allergies/entries", {"kind": "food", "agent": "Tôm"})
    assert entry.status_code == 201
    assert client.delete(f"{base}/sections/allergies/entries/{entry.json()['id']}").status_code == 204
    child = post(client, f"{base}/events/birth", {
        "child": {"family_name": "Lò", "given_name": "An", "sex": "F", "birth_date": "2026-02-01"},
        "birth_condition": {"birth_weight_g": 2900}})
    assert child.status_code == 201 and child.json()["mother_id"] == resident.pk
    record = client.get(f"/api/people/residents/{child.json()['id']}/record").json()
    assert record["health_profile"]["birth_weight_g"] == 2900
    death = post(client, f"{base}/events/death", {"died_on": "2026-03-01", "cause_icd10": "O72.1"})
    assert death.status_code == 200 and death.json()["cause_of_death_icd10"] == "O72.1"


def test_move_through_the_api_hands_the_record_to_the_new_commune(world):
    resident = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"], fields=person_fields(),
                               registered_on=__import__("datetime").date(2020, 1, 1))
    client = client_for(world["nurse_a"])
    response = post(client, f"/api/people/residents/{resident.pk}/events/move", {
        "moved_on": "2026-06-01", "to_commune_code": world["commune_b"].code, "to_village_code": "nope"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "to_village_code"
    response = post(client, f"/api/people/residents/{resident.pk}/events/move", {
        "moved_on": "2026-06-01", "to_commune_code": world["commune_b"].code})
    assert response.status_code == 200
    assert client.get(f"/api/people/residents/{resident.pk}").status_code == 404
    assert client_for(world["nurse_b"]).get(f"/api/people/residents/{resident.pk}").status_code == 200


def test_fhir_patient_is_valid_r4(world):
    resident = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"],
                               fields=person_fields(bhyt_card_number="HN2040123456789", village=world["village_a"]))
    response = client_for(world["nurse_a"]).get(f"/api/people/residents/{resident.pk}/fhir")
    assert response.status_code == 200 and response["Content-Type"] == "application/fhir+json"
    patient = Patient.model_validate_json(response.content)
    assert patient.gender == "male" and patient.birthDate.isoformat() == "1980-03-02"
    assert {i.system: i.value for i in patient.identifier}["urn:ytcs:sid:cccd"] == "004080001234"
    assert "null" not in response.content.decode()
    assert AuditEvent.objects.filter(resource_type="people.Resident", changes={"format": "fhir"}).exists()


def test_a_merged_commune_user_registers_into_the_commune_it_became(world):
    old = abolished_unit({world["commune_a"]: 1.0}, name="Phường Sông Hiến")
    client = client_for(UserFactory(role=Role.STATION_STAFF, org_unit=old))
    by_default = post(client, "/api/people/residents", {**member(relationship_to_head=""),
                                                        "village": world["village_a"].pk})
    assert by_default.status_code == 201, by_default.content
    assert by_default.json()["commune_id"] == world["commune_a"].pk
    named = post(client, "/api/people/residents", {**member(relationship_to_head="", cccd="", given_name="Đức"),
                                                   "commune": world["commune_a"].pk})
    assert named.status_code == 201, named.content
    for elsewhere in (old.pk, world["commune_b"].pk):
        assert post(client, "/api/people/residents", {**member(cccd=""), "commune": elsewhere}).status_code == 404
    assert set(Resident.objects.values_list("commune_id", flat=True)) == {world["commune_a"].pk}


def test_a_split_commune_user_registers_into_the_successor_named_and_the_main_one_by_default(world):
    split = abolished_unit({world["commune_b"]: 0.4, world["commune_a"]: 0.6}, name="Xã Chia Đôi")
    client = client_for(UserFactory(role=Role.STATION_STAFF, org_unit=split))
    main = post(client, "/api/people/households", {"village": world["village_a"].pk, "members": [member()]})
    assert main.status_code == 201, main.content
    assert main.json()["commune_id"] == world["commune_a"].pk
    other = post(client, "/api/people/households", {"commune": world["commune_b"].pk, "village": world["village_b"].pk,
                                                    "members": [member(cccd="", given_name="Đức")]})
    assert other.status_code == 201, other.content
    assert other.json()["commune_id"] == world["commune_b"].pk
