"""``ytcs demo --no-serve``: reuses existing units and residents, prints the logins and the URL, runs twice."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ytcs.accounts.models import User
from ytcs.clinical.models import Encounter
from ytcs.people.models import Resident
from ytcs.web.tests.factories import ResidentFactory, unit_tree

pytestmark = pytest.mark.django_db


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


def test_demo_reuses_a_populated_province_and_prints_the_logins():
    units = unit_tree()
    ResidentFactory(village=units["village_a"])
    first = run_demo("--province", "cao bang")
    users = User.objects.count()
    visits = Encounter.objects.count()
    second = run_demo("--province", "Cao Bằng")
    assert Resident.objects.count() == 1
    assert users >= 6 and User.objects.count() == users
    assert Encounter.objects.count() == visits
    assert "Lượt khám đã có, dùng lại." in second
    for output in (first, second):
        assert "Cao Bằng đã có người dân, dùng lại." in output
        assert re.search(r"\| demo_station +\| ytcs-demo-2026 +\| Nhân viên trạm y tế +\| Hoà An +\|", output)
        assert "http://127.0.0.1:8000/" in output


def test_demo_names_an_unknown_province():
    unit_tree()
    with pytest.raises(CommandError, match="Atlantis"):
        run_demo("--province", "Atlantis")


def test_demo_start_deletes_expired_uploaded_lists(settings, tmp_path):
    """Uploaded resident lists nobody confirmed (CCCD, phone numbers) do not outlive their hour."""
    import os
    import time

    from ytcs.people.import_files import import_dir, pending_store

    settings.VAR_DIR = tmp_path
    forgotten, waiting = pending_store("old.csv", b"cccd\n004080001234\n"), pending_store("new.csv", b"cccd\n")
    then = time.time() - settings.YTCS_IMPORT_FILE_MAX_AGE_SECONDS - 1
    os.utime(import_dir() / forgotten, (then, then))
    units = unit_tree()
    ResidentFactory(village=units["village_a"])
    output = run_demo("--province", "Cao Bằng")
    assert "Đã xoá 1 tệp danh sách tải lên chờ xác nhận đã quá hạn" in output
    assert [p.name for p in import_dir().iterdir()] == [waiting]
