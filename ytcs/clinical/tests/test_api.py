import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from ytcs.audit.models import AuditEvent
from ytcs.audit.vocabulary import ResourceType
from ytcs.clinical.models import Condition, Encounter
from ytcs.clinical.tests.factories import ResidentFactory

URL = "/api/clinical/residents/{}/encounters"


def _post(client, resident, body, **headers):
    return client.post(URL.format(resident.pk), data=json.dumps(body), content_type="application/json", **headers)


def test_post_records_a_visit_and_returns_it_with_alerts(client, place, patient, visit_body):
    client.force_login(place.nurse_a)
    visit_body.update(systolic=182, diastolic=100)
    response = _post(client, patient, visit_body)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["systolic"] == 182 and body["bmi"] == 24.4
    assert body["diagnoses"] == [
        {"code": "I10", "title": "Tăng huyết áp vô căn (nguyên phát)", "is_primary": True, "note": ""}
    ]
    assert body["alerts"][0] == {
        "level": "danger",
        "field": "systolic",
        "message": "Tăng huyết áp độ 3 — cần xử trí/chuyển tuyến",
    }


def test_out_of_range_value_gives_structured_422_in_vietnamese(client, place, patient, visit_body):
    client.force_login(place.nurse_a)
    visit_body["systolic"] = 400
    response = _post(client, patient, visit_body)
    assert response.status_code == 422
    assert response.json() == {
        "errors": [
            {"field": "systolic", "code": "out_of_range", "message": "Huyết áp tâm thu phải trong khoảng 60–300 mmHg"}
        ]
    }
    assert not Encounter.objects.exists()


def test_errors_follow_the_users_language(client, place, patient, visit_body):
    client.force_login(place.nurse_a)
    visit_body["systolic"] = 400
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch's cookie
    response = _post(client, patient, visit_body)
    assert response.json()["errors"][0]["message"] == "Systolic blood pressure must be between 60–300 mmHg"


def test_wrong_types_and_implausible_values_share_one_shape(client, place, patient, visit_body):
    """A wrong type is refused by the schema, an implausible value by the service: one 422 body, fields named
    as sent, nested rows included."""
    client.force_login(place.nurse_a)
    wrong = _post(
        client, patient, {**visit_body, "pulse": "12a", "prescriptions": [{"drug_name": "A", "quantity": "x"}]}
    )
    assert wrong.status_code == 422
    assert wrong.json() == {
        "errors": [
            {"field": "pulse", "code": "invalid", "message": "Cần một số."},
            {"field": "prescriptions.0.quantity", "code": "invalid", "message": "Cần một số."},
        ]
    }
    implausible = _post(client, patient, {**visit_body, "pulse": 400, "diagnoses": [{"code": "XYZ"}], "payer": "cash"})
    assert implausible.status_code == 422
    assert {(e["field"], e["code"]) for e in implausible.json()["errors"]} == {
        ("pulse", "out_of_range"),
        ("diagnoses.0.code", "unknown_code"),
        ("payer", "invalid_choice"),
    }
    missing = _post(client, patient, {**visit_body, "diagnoses": []})
    assert missing.json() == {
        "errors": [{"field": "diagnoses", "code": "required", "message": "Cần ít nhất một chẩn đoán (mã ICD-10)"}]
    }
    blank = _post(client, patient, {**visit_body, "occurred_at": " ", "diagnoses": [{"code": ""}]})
    assert [(e["field"], e["code"]) for e in blank.json()["errors"]] == [
        ("occurred_at", "required"),
        ("diagnoses.0.code", "required"),
    ]
    assert not Encounter.objects.exists()


def test_a_decimal_comma_and_blank_values_are_read_as_people_type_them(client, place, patient, visit_body):
    client.force_login(place.nurse_a)
    response = _post(client, patient, {**visit_body, "temperature": "36,8", "spo2": "", "follow_up_on": ""})
    assert response.status_code == 201, response.content
    assert (response.json()["temperature"], response.json()["spo2"]) == (36.8, None)
    whole = _post(client, patient, {**visit_body, "pulse": 80.5})
    assert whole.json()["errors"] == [{"field": "pulse", "code": "invalid", "message": "Cần một số nguyên."}]
    empty = _post(client, patient, {**visit_body, "temperature": None, "pulse": None, "days": None})
    assert empty.status_code == 201, empty.content
    for not_a_number in (float("nan"), float("inf"), "-inf", True):
        refused = _post(client, patient, {**visit_body, "temperature": not_a_number})
        assert refused.status_code == 422, not_a_number
        assert refused.json()["errors"] == [{"field": "temperature", "code": "invalid", "message": "Cần một số."}]


def test_malformed_json_is_a_structured_400(client, place, patient):
    client.force_login(place.nurse_a)
    response = client.post(URL.format(patient.pk), data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_json"


def test_occurred_at_without_offset_is_vietnam_time_and_with_one_keeps_it(client, place, patient, visit_body):
    """The same rule as every API date-time (ytcs.core.datetimes): naive = wall clock in Vietnam (UTC+7)."""
    client.force_login(place.nurse_a)
    local = (timezone.localtime() - timedelta(hours=2)).replace(microsecond=0)
    visit_body["occurred_at"] = local.replace(tzinfo=None).isoformat()
    naive = _post(client, patient, visit_body)
    assert naive.status_code == 201, naive.content
    assert Encounter.objects.get(pk=naive.json()["id"]).occurred_at == local
    utc = (timezone.now() - timedelta(hours=5)).replace(microsecond=0)
    visit_body["occurred_at"] = utc.isoformat()
    aware = _post(client, patient, visit_body)
    assert aware.status_code == 201, aware.content
    assert Encounter.objects.get(pk=aware.json()["id"]).occurred_at == utc


def test_resident_outside_scope_is_404_for_read_and_write(client, place, visit_body):
    stranger = ResidentFactory(village=place.village_b1)
    client.force_login(place.nurse_a)
    assert _post(client, stranger, visit_body).status_code == 404
    assert client.get(URL.format(stranger.pk)).status_code == 404
    assert client.get(URL.format(999999)).status_code == 404


def test_provincial_user_may_read_but_not_record(client, place, patient, visit_body):
    """They can see the resident: a write is 403 (not allowed), audited as a refusal naming the resident."""
    client.force_login(place.nurse_a)
    encounter_id = _post(client, patient, visit_body).json()["id"]
    client.force_login(place.provincial)
    refused = _post(client, patient, visit_body)
    assert refused.status_code == 403
    assert refused.json() == {
        "errors": [
            {"field": None, "code": "forbidden", "message": "Vai trò của bạn không được thực hiện thao tác này."}
        ]
    }
    put = client.put(
        f"/api/clinical/encounters/{encounter_id}", data=json.dumps(visit_body), content_type="application/json"
    )
    void = client.post(
        f"/api/clinical/encounters/{encounter_id}/void", data={"reason": "x"}, content_type="application/json"
    )
    condition = client.post(
        f"/api/clinical/residents/{patient.pk}/conditions",
        data={"icd10_code": "J45.9"},
        content_type="application/json",
    )
    assert (put.status_code, void.status_code, condition.status_code) == (403, 403, 403)
    denied = AuditEvent.objects.filter(action="denied").order_by("pk")
    assert [(e.resource_type, e.resource_id) for e in denied] == [
        (ResourceType.RESIDENT, str(patient.pk)),
        (ResourceType.ENCOUNTER, str(encounter_id)),
        (ResourceType.ENCOUNTER, str(encounter_id)),
        (ResourceType.RESIDENT, str(patient.pk)),
    ]
    assert {s.resident_id for e in denied for s in e.subjects.all()} == {patient.pk}
    assert Encounter.objects.count() == 1 and not Condition.objects.filter(icd10_code="J45.9").exists()
    assert len(client.get(URL.format(patient.pk)).json()) == 1


def test_a_nurse_of_another_commune_gets_404_and_the_attempt_is_audited(client, place, patient, visit_body):
    client.force_login(place.nurse_a)
    encounter_id = _post(client, patient, visit_body).json()["id"]
    client.force_login(place.nurse_b)
    where = {"REMOTE_ADDR": "10.1.2.3", "HTTP_USER_AGENT": "probe/2", "HTTP_X_REQUEST_ID": "req-7"}
    assert _post(client, patient, visit_body, **where).status_code == 404
    put = client.put(
        f"/api/clinical/encounters/{encounter_id}",
        data=json.dumps(visit_body),
        content_type="application/json",
        **where,
    )
    assert put.status_code == 404 and put.json()["errors"][0]["code"] == "not_found"
    denied = AuditEvent.objects.filter(action="denied", actor=place.nurse_b)
    assert {(e.ip_address, e.client, e.request_id) for e in denied} == {("10.1.2.3", "probe/2", "req-7")}
    assert denied.count() == 2
    assert {s.resident_id for e in denied for s in e.subjects.all()} == {patient.pk}


def test_reads_are_audited_with_the_resident_as_subject(client, place, patient, visit_body):
    client.force_login(place.nurse_a)
    encounter_id = _post(client, patient, visit_body).json()["id"]
    client.get(URL.format(patient.pk))
    detail = client.get(f"/api/clinical/encounters/{encounter_id}", HTTP_USER_AGENT="probe/1")
    assert detail.status_code == 200
    for action, resource in (("list", ResourceType.ENCOUNTER), ("view", ResourceType.ENCOUNTER)):
        event = AuditEvent.objects.get(action=action, resource_type=resource)
        assert list(event.subjects.values_list("resident_id", flat=True)) == [patient.pk]
    assert AuditEvent.objects.get(action="view").client == "probe/1"


def test_put_corrects_and_void_removes_from_the_list(client, place, patient, visit_body):
    client.force_login(place.nurse_a)
    encounter_id = _post(client, patient, visit_body).json()["id"]
    visit_body["systolic"] = 138
    visit_body["diastolic"] = 88
    response = client.put(
        f"/api/clinical/encounters/{encounter_id}", data=json.dumps(visit_body), content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["systolic"] == 138
    response = client.post(
        f"/api/clinical/encounters/{encounter_id}/void", data={"reason": "Nhập nhầm"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert client.get(URL.format(patient.pk)).json() == []
    client.force_login(place.nurse_b)
    assert client.get(f"/api/clinical/encounters/{encounter_id}").status_code == 404


def test_conditions_endpoints(client, place, patient):
    client.force_login(place.nurse_a)
    url = f"/api/clinical/residents/{patient.pk}/conditions"
    created = client.post(url, data={"icd10_code": "E11.9"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["title"].startswith("Bệnh đái tháo đường type 2")
    duplicate = client.post(url, data={"icd10_code": "E11.2"}, content_type="application/json")
    assert duplicate.status_code == 422 and duplicate.json()["errors"][0]["code"] == "duplicate"
    resolved = client.post(f"/api/clinical/conditions/{created.json()['id']}/resolve")
    assert resolved.json()["status"] == "resolved"
    assert [c["status"] for c in client.get(url).json()] == ["resolved"]


@pytest.mark.parametrize(
    ("query", "first"), [("tăng huyết áp", "I10"), ("tang huyet ap", "I10"), ("I10", "I10"), ("hypertension", "I10")]
)
def test_icd10_search_endpoint(client, place, query, first):
    client.force_login(place.nurse_a)
    response = client.get("/api/clinical/icd10", {"q": query, "limit": 5})
    assert response.status_code == 200
    assert response.json()[0]["code"] == first
    assert len(response.json()) <= 5


def test_api_requires_login(client, patient):
    assert client.get(URL.format(patient.pk)).status_code == 401
