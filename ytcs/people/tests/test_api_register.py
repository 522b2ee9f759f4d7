"""The register's API writes: typed inputs, the one error body, the refusal rule (404/403) audited, the 409."""

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ytcs.accounts.models import Role
from ytcs.audit.models import AuditEvent
from ytcs.core.api import ErrorOut
from ytcs.people.api_register import DuplicatesOut
from ytcs.people.models import Allergy, Resident
from ytcs.people.services import resident_create
from ytcs.people.tests.factories import OrgUnitFactory, UserFactory, acting, make_world, person_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = make_world()
    world["vhw"] = UserFactory(username="vhw", role=Role.VILLAGE_HEALTH_WORKER, org_unit=world["village_a"])
    world["admin"] = UserFactory(username="admin", role=Role.SYSTEM_ADMIN, org_unit=world["country"])
    world["resident"] = resident_create(context=acting(world["nurse_a"]), commune=world["commune_a"],
                                        fields=person_fields(sex="F", cccd="004180001234", given_name="Mai",
                                                             village=world["village_a"]))
    return world


def client_for(user, language="vi"):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


def send(client, method, url, body):
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def error_codes(response):
    ErrorOut.model_validate(response.json())
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


def denied_for(resident):
    return AuditEvent.objects.filter(action="denied", subjects__resident_id=resident.pk)


PERSON = {"family_name": "Nông", "middle_name": "Văn", "given_name": "Dền", "sex": "M", "birth_date": "1980-03-02",
          "cccd": "004080001234"}


def test_a_registration_by_a_role_that_sees_the_commune_is_403_and_elsewhere_404(world):
    body = {**PERSON, "commune": world["commune_a"].pk, "village": world["village_a"].pk}
    forbidden = send(client_for(world["provincial"]), "POST", "/api/people/residents", body)
    assert forbidden.status_code == 403 and error_codes(forbidden) == [(None, "forbidden")]
    assert send(client_for(world["admin"]), "POST", "/api/people/residents", body).status_code == 403
    assert send(client_for(world["nurse_b"]), "POST", "/api/people/residents", body).status_code == 404
    other_province = OrgUnitFactory(level=world["commune_a"].level, parent=OrgUnitFactory(
        level=world["province"].level))
    elsewhere = send(client_for(world["provincial"]), "POST", "/api/people/residents",
                     {**PERSON, "commune": other_province.pk})
    assert elsewhere.status_code == 404 and error_codes(elsewhere) == [(None, "not_found")]
    assert Resident.objects.count() == 1


def test_a_village_health_worker_registers_and_edits_in_their_own_village_only(world):
    client = client_for(world["vhw"])
    created = send(client, "POST", "/api/people/residents", {**PERSON, "village": world["village_a"].pk})
    assert created.status_code == 201, created.content
    assert created.json()["commune_id"] == world["commune_a"].pk
    next_village = send(client, "POST", "/api/people/residents",
                        {**PERSON, "cccd": "", "given_name": "Hai", "village": world["village_a2"].pk})
    assert next_village.status_code == 404
    mine = world["resident"]
    patched = send(client, "PATCH", f"/api/people/residents/{mine.pk}", {"occupation": "Làm ruộng"})
    assert patched.status_code == 200 and patched.json()["occupation"] == "Làm ruộng"


def test_an_edit_by_a_user_who_may_open_the_record_but_not_change_it_is_403_and_audited(world):
    resident = world["resident"]
    for user in ("admin", "nurse_b"):
        response = send(client_for(world[user]), "PATCH", f"/api/people/residents/{resident.pk}",
                        {"occupation": "X"})
        assert response.status_code == {"admin": 403, "nurse_b": 404}[user]
    resident.refresh_from_db()
    assert resident.occupation == ""
    assert sorted(denied_for(resident).values_list("actor__username", flat=True)) == ["admin", "nurse_b"]


@pytest.mark.parametrize(("method", "path", "body"), [
    ("PUT", "sections/risk_factors", {"tobacco": "none", "alcohol": "none", "physical_activity": "none"}),
    ("POST", "sections/allergies/entries", {"kind": "drug", "agent": "Penicillin"}),
    ("POST", "events/death", {"died_on": "2026-01-01", "cause_icd10": "R99"}),
    ("POST", "events/move", {"moved_on": "2026-01-01", "to_commune_code": "00000"}),
    ("POST", "events/birth", {"child": {"family_name": "Lò", "given_name": "An", "sex": "F",
                                        "birth_date": "2026-01-01"}}),
])
def test_every_write_on_a_record_refuses_the_administrator_with_403_and_audits_it(world, method, path, body):
    resident = world["resident"]
    response = send(client_for(world["admin"]), method, f"/api/people/residents/{resident.pk}/{path}", body)
    assert response.status_code == 403 and error_codes(response) == [(None, "forbidden")]
    assert denied_for(resident).count() == 1
    assert not AuditEvent.objects.filter(action__in=["create", "update"], actor=world["admin"]).exists()


def test_deleting_an_entry_is_refused_like_any_write(world):
    resident = world["resident"]
    allergy = Allergy.objects.create(resident=resident, kind="drug", agent="Penicillin")
    url = f"/api/people/residents/{resident.pk}/sections/allergies/entries/{allergy.pk}"
    assert client_for(world["admin"]).delete(url).status_code == 403
    assert client_for(world["nurse_b"]).delete(url).status_code == 404
    assert client_for(world["nurse_a"]).delete(f"{url}0").status_code == 404  # not one of hers
    assert Allergy.objects.filter(pk=allergy.pk).exists()
    assert client_for(world["nurse_a"]).delete(url).status_code == 204


def test_section_bodies_are_typed_and_checked_by_the_service(world):
    client = client_for(world["nurse_a"])
    base = f"/api/people/residents/{world['resident'].pk}/sections"
    unknown = send(client, "PUT", f"{base}/risk_factors", {"tobacco": "none", "colour": "blue"})
    assert unknown.status_code == 422 and ("colour", "unknown_field") in error_codes(unknown)
    wrong_type = send(client, "PUT", f"{base}/risk_factors", {"tobacco_per_day": "many"})
    assert wrong_type.status_code == 422 and error_codes(wrong_type) == [("tobacco_per_day", "invalid")]
    missing = send(client, "PUT", f"{base}/risk_factors", {"tobacco": "none"})
    assert {("alcohol", "required"), ("physical_activity", "required")} <= set(error_codes(missing))
    not_a_section = send(client, "PUT", f"{base}/allergies", {})
    assert not_a_section.status_code == 404 and error_codes(not_a_section) == [(None, "not_found")]
    assert send(client, "POST", f"{base}/nothing/entries", {}).status_code == 404
    light = send(client, "PUT", f"{base}/health_profile", {"birth_weight_g": 20})
    assert error_codes(light) == [("birth_weight_g", "out_of_range")]


def test_the_web_form_and_the_api_give_the_same_error_for_the_same_input(world):
    resident = world["resident"]
    client = client_for(world["nurse_a"])
    api = send(client, "POST", f"/api/people/residents/{resident.pk}/sections/medical_history/entries",
               {"whose": "family", "condition": "Tăng huyết áp"})
    [(field, code)] = error_codes(api)
    assert (field, code) == ("relation", "family_relation_required")
    message = api.json()["errors"][0]["message"]
    page = client.post(reverse("people:register_entry_add", args=[resident.pk, "medical_history"]), {
        "entry-medical_history-whose": "family", "entry-medical_history-condition": "Tăng huyết áp"})
    assert page.status_code == 422
    assert message in page.content.decode()


def test_a_birth_names_the_bad_field_of_the_child(world):
    response = send(client_for(world["nurse_a"]), "POST", f"/api/people/residents/{world['resident'].pk}/events/birth",
                    {"child": {"family_name": "Lò", "sex": "F", "birth_date": "2026-01-01"},
                     "birth_condition": {"birth_weight_g": 3000}})
    assert response.status_code == 422 and error_codes(response) == [("child.given_name", "required")]
    assert not Resident.objects.filter(mother=world["resident"]).exists()


def test_the_409_is_the_error_body_with_the_candidates(world):
    body = {"family_name": "Nông", "middle_name": "Thị", "given_name": "Mai", "sex": "F", "birth_date": "1980-03-02",
            "village": world["village_a"].pk}
    response = send(client_for(world["nurse_a"]), "POST", "/api/people/residents", body)
    assert response.status_code == 409
    conflict = DuplicatesOut.model_validate(response.json())
    assert [(e.field, e.code) for e in conflict.errors] == [(None, "possible_duplicate")]
    assert [c.id for c in conflict.candidates] == [world["resident"].pk]
    assert conflict.candidates[0].member is None


def test_a_household_patch_is_refused_like_a_resident_edit(world):
    client = client_for(world["nurse_a"])
    created = send(client, "POST", "/api/people/households", {"village": world["village_a"].pk, "members": [
        {**PERSON, "relationship_to_head": "head"}]})
    assert created.status_code == 201, created.content
    url = f"/api/people/households/{created.json()['id']}"
    assert send(client_for(world["admin"]), "PATCH", url, {"address": "X"}).status_code == 403
    assert send(client_for(world["nurse_b"]), "PATCH", url, {"address": "X"}).status_code == 404
    head = created.json()["head_id"]
    assert AuditEvent.objects.filter(action="denied", resource_type="people.Household",
                                     subjects__resident_id=head, actor=world["admin"]).exists()
    moved = send(client, "PATCH", url, {"village": world["village_a2"].pk, "address": "Xóm Mới"})
    assert moved.status_code == 200 and moved.json()["village_id"] == world["village_a2"].pk
    elsewhere = send(client, "PATCH", url, {"village": world["village_b"].pk})
    assert error_codes(elsewhere) == [("village", "village_not_in_commune")]


def test_residence_status_is_written_and_answered_and_a_bad_period_names_its_field(world):
    client = client_for(world["nurse_a"])
    body = {**PERSON, "commune": world["commune_a"].pk, "residence_status": "temporary",
            "residence_status_from": "2026-02-01", "residence_status_to": "2026-08-01"}
    created = send(client, "POST", "/api/people/residents", body)
    assert created.status_code == 201
    assert {k: created.json()[k] for k in ("residence_status", "residence_status_from", "residence_status_to")} == {
        "residence_status": "temporary", "residence_status_from": "2026-02-01", "residence_status_to": "2026-08-01"}
    url = f"/api/people/residents/{created.json()['id']}"
    bad = send(client, "PATCH", url, {"residence_status_to": "2026-01-01"})
    assert bad.status_code == 422 and error_codes(bad) == [("residence_status_to", "residence_status_order")]
    absent = send(client, "PATCH", url, {"residence_status": "absent", "residence_status_from": None})
    assert absent.status_code == 422
    assert error_codes(absent) == [("residence_status_from", "residence_absent_from_required")]
    assert Resident.objects.get(pk=created.json()["id"]).residence_status == "temporary"
