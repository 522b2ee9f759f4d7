"""An API body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413 with the API's JSON error body and one log line."""

import io
import json
import logging

import pytest
from django.conf import settings

from ytcs.accounts.models import User

BIG = json.dumps({"disease": "soi", "notes": "0042 0361 6622 " * 700_000})  # about 10 MB


@pytest.fixture
def user(db) -> User:
    user = User.objects.create(username="big_body", role="station_staff")
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def log(monkeypatch) -> io.StringIO:
    """What the configured console handler writes (Django's loggers do not propagate to pytest's)."""
    (handler,) = [h for h in logging.getLogger("django").handlers if type(h) is logging.StreamHandler]
    stream = io.StringIO()
    monkeypatch.setattr(handler, "stream", stream)
    return stream


def test_an_oversized_api_body_is_a_json_413_logged_in_one_line(client, user, log):
    assert len(BIG) > 10_000_000 > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    client.force_login(user)
    response = client.post("/api/surveillance/cases", BIG, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"errors": [{"field": None, "code": "too_large",
                                           "message": "Nội dung gửi lên quá lớn (tối đa 2,5\xa0MB)."}]}
    assert log.getvalue().splitlines() == ["Request Entity Too Large: /api/surveillance/cases"]


def test_the_413_message_follows_the_users_language(client, user, log):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.put("/api/clinical/encounters/1", BIG, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["errors"][0]["message"] == "The request body is too large (at most 2.5\xa0MB)."
    assert "Traceback" not in log.getvalue() and "0042" not in log.getvalue()


def test_a_body_within_the_limit_reaches_the_endpoint(client, user):
    client.force_login(user)
    response = client.post("/api/surveillance/cases", json.dumps({"disease": "soi"}), content_type="application/json")
    assert response.status_code == 422  # the endpoint's own validation answered
