"""The menu offers exactly what answers, for every role and for users of abolished communes; unit labels."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from ytcs.accounts.models import Role
from ytcs.orgunits.tests.factories import abolished_unit
from ytcs.surveillance.diseases import ensure_diseases_loaded
from ytcs.web.tests.factories import UserFactory, unit_tree

pytestmark = pytest.mark.django_db

NAV = re.compile(r"<nav\b[^>]*>(.*?)</nav>", re.S)
HREF = re.compile(r'href="(/[^"#?]*)')


@pytest.fixture
def units():
    ensure_diseases_loaded()
    tree = unit_tree()
    tree["merged"] = abolished_unit({tree["commune_a"]: 1.0}, name="Phường Sông Hiến")
    tree["split"] = abolished_unit({tree["commune_b"]: 0.4, tree["commune_a"]: 0.6}, name="Xã Chia Đôi")
    return tree


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def walk_menu(client: Client) -> dict[str, int]:
    """Every page reachable through the navigation menus (main and surveillance), with its status."""
    statuses: dict[str, int] = {}
    todo = [reverse("home"), reverse("surveillance:index")]
    while todo:
        url = todo.pop()
        if url in statuses:
            continue
        response = client.get(url)
        statuses[url] = response.status_code
        if response.status_code == 200:
            for block in NAV.findall(response.content.decode()):
                todo += [href for href in HREF.findall(block) if href not in statuses]
    return statuses


ROLES = {
    "merged": (Role.STATION_STAFF, "merged"),
    "split": (Role.STATION_HEAD, "split"),
    "station": (Role.STATION_STAFF, "commune_a"),
    "village": (Role.VILLAGE_HEALTH_WORKER, "village_a"),
    "province": (Role.PROVINCIAL, "province"),
    "national": (Role.NATIONAL_VIEWER, "country"),
    "admin": (Role.SYSTEM_ADMIN, "country"),
    "unattached": (Role.STATION_STAFF, None),
}


@pytest.mark.parametrize("who", list(ROLES))
def test_every_menu_link_answers_200(units, who):
    role, unit = ROLES[who]
    statuses = walk_menu(client_for(UserFactory(role=role, org_unit=units[unit] if unit else None)))
    assert {url: code for url, code in statuses.items() if code != 200} == {}


def test_a_merged_commune_user_is_offered_and_gets_registration_curve_and_completeness(units):
    statuses = walk_menu(client_for(UserFactory(role=Role.STATION_STAFF, org_unit=units["merged"])))
    offered = {reverse("people:register_start"), reverse("surveillance:curve"), reverse("surveillance:completeness"),
               reverse("surveillance:weekly_report"), reverse("surveillance:case_create"), reverse("people:search")}
    assert {url: statuses.get(url) for url in offered} == dict.fromkeys(offered, 200)


def test_home_title_and_header_say_where_an_abolished_commune_went_and_since_when(units):
    client = client_for(UserFactory(role=Role.STATION_STAFF, org_unit=units["merged"]))
    body = client.get(reverse("home")).content.decode()
    assert "<h1>Phường Sông Hiến → Hoà An từ 01/07/2025</h1>" in body
    assert "Nhân viên trạm y tế · Phường Sông Hiến → Hoà An từ 01/07/2025" in body  # the menu panel
    assert '<span title="Phường Sông Hiến → Hoà An từ 01/07/2025">Hoà An</span>' in body  # the top bar, short
    client.cookies["django_language"] = "en"
    assert "<h1>Phường Sông Hiến → Hoà An since 01/07/2025</h1>" in client.get(reverse("home")).content.decode()


def test_split_commune_title_names_every_successor_main_one_first(units):
    body = client_for(UserFactory(role=Role.STATION_STAFF, org_unit=units["split"])).get(reverse("home"))
    assert "<h1>Xã Chia Đôi → Hoà An, Nguyên Bình từ 01/07/2025</h1>" in body.content.decode()


def test_a_current_unit_is_titled_with_its_name(units):
    body = client_for(UserFactory(role=Role.STATION_STAFF, org_unit=units["commune_a"])).get(reverse("home"))
    assert "<h1>Hoà An</h1>" in body.content.decode()


def test_only_system_administrators_are_offered_the_users_to_move(units):
    admin = walk_menu(client_for(UserFactory(role=Role.SYSTEM_ADMIN, org_unit=units["country"])))
    assert admin[reverse("users_to_move")] == 200
    station = walk_menu(client_for(UserFactory(role=Role.STATION_STAFF, org_unit=units["merged"])))
    assert reverse("users_to_move") not in station
