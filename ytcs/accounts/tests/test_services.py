"""Demo accounts per role and account creation from the command line."""

import io

import pytest
from django.core.management import CommandError, call_command

from ytcs.accounts.models import Role, User
from ytcs.accounts.services import DEMO_PASSWORD, demo_users_ensure, user_create
from ytcs.accounts.tests.factories import UserFactory
from ytcs.audit.models import AuditEvent
from ytcs.core.errors import DomainError
from ytcs.people.access import scoped_residents


def test_demo_users_cover_every_role_on_real_units_of_the_province(world, residents):
    logins = demo_users_ensure(province=world.province_p)
    users = {u.username: u for u in User.objects.select_related("org_unit")}
    expected = {
        "demo_vhw": (Role.VILLAGE_HEALTH_WORKER, world.village_a1),
        "demo_station": (Role.STATION_STAFF, world.commune_a),
        "demo_head": (Role.STATION_HEAD, world.commune_a),
        "demo_province": (Role.PROVINCIAL, world.province_p),
        "demo_national": (Role.NATIONAL_VIEWER, world.country),
        "demo_admin": (Role.SYSTEM_ADMIN, world.country),
        "demo_merged": (Role.STATION_STAFF, world.old_commune),
    }
    assert {name: (users[name].role, users[name].org_unit) for name in expected} == expected
    assert [login.username for login in logins] == list(expected)
    assert all(users[name].check_password(DEMO_PASSWORD) for name in expected)
    assert logins[0].unit_name == "Thôn A1" and logins[0].role_label == "Nhân viên y tế thôn bản"
    merged_sees = set(scoped_residents(users["demo_merged"]))
    assert merged_sees == set(scoped_residents(users["demo_station"])) == {residents[k] for k in ("a1", "a2", "a")}


def test_demo_users_are_idempotent(world):
    first = demo_users_ensure(province=world.province_p)
    count = User.objects.count()
    assert demo_users_ensure(province=world.province_p) == first
    assert User.objects.count() == count


def test_demo_password_passes_the_validators(db):
    from django.contrib.auth.password_validation import validate_password

    validate_password(DEMO_PASSWORD)


def test_province_without_merged_communes_gets_no_merged_demo_user(world):
    logins = demo_users_ensure(province=world.province_q)
    assert "demo_merged" not in {login.username for login in logins}
    assert User.objects.get(username="demo_vhw").org_unit == world.village_c1


def test_user_create_checks_role_level_and_password_and_audits(world):
    with pytest.raises(DomainError, match="phải gắn với đơn vị cấp"):
        user_create(username="x", role=Role.STATION_STAFF, org_unit=world.province_p, password="dai-du-ky-tu-1")
    with pytest.raises(DomainError):
        user_create(username="x", role=Role.STATION_STAFF, org_unit=world.commune_a, password="password123")
    user = user_create(username="x", role=Role.STATION_STAFF, org_unit=world.commune_a, password="dai-du-ky-tu-1")
    event = AuditEvent.objects.get(resource_type="accounts.User")
    assert event.resource_id == str(user.pk) and "password" not in event.changes


def test_users_command_creates_from_stdin_and_deactivates(world, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-tram-y-te\n"))
    out = io.StringIO()
    call_command("users", "create", "--username", "tram_a", "--role", "station_head",
                 "--org-unit-code", world.commune_a.code, "--password-stdin", "--may-open-records", "no", stdout=out)
    user = User.objects.get(username="tram_a")
    assert (user.role, user.org_unit, user.may_open_records) == ("station_head", world.commune_a, False)
    assert user.check_password("mat-khau-tram-y-te")
    call_command("users", "deactivate", "--username", "tram_a", stdout=out)
    assert not User.objects.get(username="tram_a").is_active


def test_users_command_lists_the_users_to_move(world):
    UserFactory(username="yta_o", org_unit=world.old_commune)
    out = io.StringIO()
    call_command("users", "to-move", stdout=out)
    assert out.getvalue().splitlines()[1:] == [
        f"yta_o\tstation_staff\t{world.old_commune.code} Xã O (cũ)\t{world.commune_a.code} Xã A\t2025-07-01"
    ]


def test_users_command_explains_bad_input(world, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("ngan\n"))
    with pytest.raises(CommandError, match="no current org unit"):
        call_command("users", "create", "--username", "u", "--role", "provincial", "--org-unit-code", "NOPE",
                     "--password-stdin")
    with pytest.raises(CommandError, match="quá ngắn|too short"):
        call_command("users", "create", "--username", "u", "--role", "provincial",
                     "--org-unit-code", world.province_p.code, "--password-stdin")
