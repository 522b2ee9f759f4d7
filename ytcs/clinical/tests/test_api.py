import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from ytcs.audit.models import AuditEvent
from ytcs.clinical.models import Encounter
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


def test_wrong_types_and_domain_errors_share_one_shape(client, place, patient, visit_body):
    client.force_login(place.nurse_a)
    visit_body.update(pulse="12a", temperature="36,8", diagnoses=[], payer="cash")
    response = _post(client, patient, visit_body)
    assert response.status_code == 422
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {
        ("pulse", "invalid"),
        ("diagnoses", "required"),
        ("payer", "invalid_choice"),
    }


def test_malformed_json_is_a_structured_422(client, place, patient):
    client.force_login(place.nurse_a)
    response = client.post(URL.format(patient.pk), data="{not json", content_type="application/json")
    assert response.status_code == 422
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
    client.force_login(place.nurse_a)
    _post(client, patient, visit_body)
    client.force_login(place.provincial)
    assert _post(client, patient, visit_body).status_code == 404
    assert len(client.get(URL.format(patient.pk)).json()) == 1


def test_reads_are_audited_with_the_resident_as_subject(client, place, patient, visit_body):
    client.force_login(place.nurse_a)
    encounter_id = _post(client, patient, visit_body).json()["id"]
    client.get(URL.format(patient.pk))
    detail = client.get(f"/api/clinical/encounters/{encounter_id}")
    assert detail.status_code == 200
    for action, resource in (("list", "encounter"), ("view", "encounter")):
        event = AuditEvent.objects.get(action=action, resource_type=resource)
        assert list(event.subjects.values_list("resident_id", flat=True)) == [patient.pk]


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
