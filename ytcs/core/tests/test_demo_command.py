"""``ytcs demo --no-serve``: reuses existing units and residents, prints the logins and the URL, runs twice."""

import re
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ytcs.core.management.commands import demo
from ytcs.people.models import Resident
from ytcs.web.tests.factories import ResidentFactory, unit_tree

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    role_label: str
    unit_name: str


@pytest.fixture
def users_for(monkeypatch):
    """Stand-in for accounts' demo_users_ensure, recording the province it was asked for."""
    asked = []

    def fake(self, province):
        asked.append(province)
        return [Login("demo_station", "ytcs-demo-2026", "Nhân viên trạm y tế", "Hoà An")]

    monkeypatch.setattr(demo.Command, "_demo_users", fake)
    return asked


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


def test_demo_reuses_a_populated_province_and_prints_the_logins(users_for):
    units = unit_tree()
    ResidentFactory(village=units["village_a"])
    first = run_demo("--province", "cao bang")
    second = run_demo("--province", "Cao Bằng")
    assert Resident.objects.count() == 1
    assert users_for == [units["province"], units["province"]]
    for output in (first, second):
        assert "Cao Bằng đã có người dân, dùng lại." in output
        assert re.search(r"\| demo_station +\| ytcs-demo-2026 +\| Nhân viên trạm y tế +\| Hoà An +\|", output)
        assert "http://127.0.0.1:8000/" in output


def test_demo_names_an_unknown_province(users_for):
    unit_tree()
    with pytest.raises(CommandError, match="Atlantis"):
        run_demo("--province", "Atlantis")
