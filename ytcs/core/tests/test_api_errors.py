"""The one API error body: every router answers refusals as ``{"errors": [{field, code, message}]}``."""

import json

import pytest
from django.conf import settings
from django.test import Client

from ytcs.core.api import ErrorOut
from ytcs.people.tests.factories import ResidentFactory, make_world

pytestmark = pytest.mark.django_db


def _client(user=None, language="vi"):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


def _assert_error_body(response, status, code, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    ErrorOut.model_validate(body)
    assert [(e["field"], e["code"]) for e in body["errors"]][:1] == [(field, code)], body
    return body


def test_out_of_scope_record_is_404_with_the_error_body():
    world = make_world()
    other = ResidentFactory(village=world["village_b"])
    response = _client(world["nurse_a"]).get(f"/api/people/residents/{other.pk}")
    _assert_error_body(response, 404, "not_found")


def test_unknown_route_parameter_and_absent_record_look_alike():
    world = make_world()
    client = _client(world["nurse_a"])
    absent = _assert_error_body(client.get("/api/people/residents/999999999"), 404, "not_found")
    mine = ResidentFactory(village=world["village_a"])
    other = ResidentFactory(village=world["village_b"])
    assert client.get(f"/api/people/residents/{mine.pk}").status_code == 200
    hidden = _assert_error_body(client.get(f"/api/people/residents/{other.pk}"), 404, "not_found")
    assert absent == hidden


def test_not_signed_in_is_401_with_the_error_body():
    _assert_error_body(_client().get("/api/people/residents"), 401, "not_authenticated")


@pytest.mark.parametrize("language, word", [("vi", "Ngày"), ("en", "date")])
def test_schema_error_names_the_field_in_the_users_language(language, word):
    world = make_world()
    client = _client(world["nurse_a"], language)
    body = {"disease": "measles", "diagnosed_at": "2025-01-01T00:00:00+07:00", "onset_date": "not-a-date"}
    response = client.post("/api/surveillance/cases", json.dumps(body), content_type="application/json")
    body = _assert_error_body(response, 422, "invalid", field="onset_date")
    assert word.lower() in body["errors"][0]["message"].lower()


def test_malformed_json_is_400_invalid_json():
    world = make_world()
    response = _client(world["nurse_a"]).post("/api/surveillance/cases", "{not json", content_type="application/json")
    body = _assert_error_body(response, 400, "invalid_json")
    assert body["errors"][0]["message"]
