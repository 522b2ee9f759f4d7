"""Login: Django sessions, Argon2, throttling counted in the database, and an audit row per attempt."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from ytcs.accounts.models import LoginFailure, Role, User
from ytcs.accounts.tests.factories import UserFactory
from ytcs.audit.models import AuditAction, AuditEvent

PASSWORD = "đúng-mật-khẩu-2026"


@pytest.fixture
def nurse(world) -> User:
    return UserFactory(username="y_ta_lan", role=Role.STATION_STAFF, org_unit=world.commune_a, password=PASSWORD)


@pytest.fixture
def limits(settings):
    settings.YTCS_LOGIN_MAX_FAILURES = 3
    settings.YTCS_LOGIN_MAX_FAILURES_PER_IP = 5
    settings.YTCS_LOGIN_WINDOW_SECONDS = 600
    return settings


def login(client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip,
                       HTTP_USER_AGENT="Firefox/140")


def test_new_password_is_hashed_with_argon2(settings, db):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = User.objects.create_user("argon", password=PASSWORD)
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


def test_successful_login_starts_a_session_and_is_audited(client, nurse):
    response = login(client, "y_ta_lan", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(nurse.pk)
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert (event.actor_id, event.ip_address, event.client) == (nurse.pk, "10.0.0.1", "Firefox/140")


def test_failed_login_is_counted_and_audited_without_the_password(client, nurse, limits):
    response = login(client, "y_ta_lan", "sai-mat-khau-1")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert LoginFailure.objects.filter(username="y_ta_lan", ip_address="10.0.0.1").count() == 1
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert (event.actor_id, event.actor_username, event.outcome) == (None, "y_ta_lan", "failed")
    stored = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert "sai-mat-khau-1" not in repr(stored)


def test_username_is_refused_with_429_after_the_limit_without_checking_the_password(client, nurse, limits):
    for attempt in range(3):
        login(client, "Y_TA_LAN" if attempt == 1 else "y_ta_lan", f"sai-{attempt}")
    with mock.patch("django.contrib.auth.forms.authenticate") as authenticate:
        response = login(client, "y_ta_lan", PASSWORD, ip="10.0.0.2")
    authenticate.assert_not_called()
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "10 phút" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, outcome="throttled").count() == 1


def test_one_address_spraying_many_usernames_is_refused(client, nurse, limits):
    for n in range(5):
        login(client, f"khong_ton_tai_{n}", "sai-mat-khau")
    assert login(client, "y_ta_lan", PASSWORD).status_code == 429
    assert login(client, "y_ta_lan", PASSWORD, ip="10.0.0.9").status_code == 302


def test_failures_leave_the_window_and_are_pruned(client, nurse, limits):
    for n in range(3):
        login(client, "y_ta_lan", f"sai-{n}")
    LoginFailure.objects.update(at=timezone.now() - timedelta(seconds=601))
    assert login(client, "y_ta_lan", "sai-lan-nua").status_code == 200
    assert LoginFailure.objects.count() == 1
    assert login(client, "y_ta_lan", PASSWORD).status_code == 302


def test_successful_login_clears_the_users_failures(client, nurse, limits):
    login(client, "y_ta_lan", "sai-1")
    login(client, "y_ta_lan", "sai-2")
    assert login(client, "y_ta_lan", PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(username="y_ta_lan").exists()


def test_an_empty_form_is_not_counted_as_a_failure(client, nurse, limits):
    assert login(client, "y_ta_lan", "").status_code == 200
    assert not LoginFailure.objects.exists()


def test_inactive_user_cannot_log_in(client, nurse):
    nurse.is_active = False
    nurse.save(update_fields=["is_active"])
    assert login(client, "y_ta_lan", PASSWORD).status_code == 200
    assert SESSION_KEY not in client.session


def test_logout_is_a_post_and_is_audited(client, nurse):
    client.force_login(nurse)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=nurse).count() == 1


def test_login_form_requires_csrf(nurse):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/login/", {"username": "y_ta_lan", "password": PASSWORD}).status_code == 403
