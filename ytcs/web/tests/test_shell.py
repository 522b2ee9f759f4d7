"""The shell: login page, home page per role, language switch, static assets, no CDN."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from ytcs.accounts.models import Role
from ytcs.web.tests.factories import HouseholdFactory, ResidentFactory, UserFactory, unit_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    return unit_tree()


def test_login_page_is_vietnamese_by_default(client):
    body = client.get(reverse("login")).content.decode()
    assert 'lang="vi"' in body
    assert "Đăng nhập" in body and "Mật khẩu" in body


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in body


def test_login_with_the_form_reaches_home(client, units):
    UserFactory(username="yta_hoaan", org_unit=units["commune_a"])
    response = client.post(reverse("login"), {"username": "yta_hoaan", "password": "Mat-khau-2026"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Hoà An" in response.content.decode()


def test_home_requires_login(client):
    assert client.get(reverse("home")).status_code == 302


def test_station_home_shows_commune_counts_and_a_search_box(client, units):
    h = HouseholdFactory(village=units["village_a"])
    ResidentFactory(village=units["village_a"], household=h)
    ResidentFactory(village=units["village_b"])
    client.force_login(UserFactory(role=Role.STATION_HEAD, org_unit=units["commune_a"]))
    response = client.get(reverse("home"))
    assert response.context["counts"].residents == 1
    assert response.context["counts"].households == 1
    assert response.context["communes"] == []
    body = response.content.decode()
    assert f'action="{reverse("people:search")}"' in body
    assert "Trưởng trạm y tế" in body


def test_provincial_home_shows_the_commune_table_and_no_search(client, units):
    ResidentFactory(village=units["village_a"])
    ResidentFactory(village=units["village_b"])
    ResidentFactory(village=units["village_b"])
    client.force_login(UserFactory(role=Role.PROVINCIAL, org_unit=units["province"]))
    response = client.get(reverse("home"))
    assert response.context["counts"].residents == 3
    assert [row.name for row in response.context["communes"]] == ["Nguyên Bình", "Hoà An"]
    assert reverse("people:search") not in response.content.decode()


def test_language_switch_to_english_persists(client, units):
    client.force_login(UserFactory(org_unit=units["commune_a"]))
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True)
    body = response.content.decode()
    assert 'lang="en"' in body
    assert "Home" in body and "Find a resident" in body and "Log out" in body
    body = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in body


def test_a_requests_language_does_not_outlive_the_request(client, units):
    """The next work of the same thread (a command printing role names, the next test) is in Vietnamese."""
    from django.utils import translation

    client.cookies["django_language"] = "en"
    assert 'lang="en"' in client.get(reverse("login")).content.decode()
    assert translation.get_language() == "vi"


def test_logout_is_a_post_form(client, units):
    client.force_login(UserFactory(org_unit=units["commune_a"]))
    body = client.get(reverse("home")).content.decode()
    assert f'<form method="post" action="{reverse("logout")}">' in body
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_pages_load_only_local_assets(client, units):
    client.force_login(UserFactory(org_unit=units["commune_a"]))
    body = client.get(reverse("home")).content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+\.(?:js|css|svg))"', body)
    assert sources and all(s.startswith("/static/") for s in sources)
    assert "<script>" not in body  # CSP: script-src 'self', no inline script
    assert finders.find("web/ytcs.css") and finders.find("django_htmx/htmx-2.min.js")


def test_static_files_are_served_with_debug_off(client):
    response = client.get("/static/web/ytcs.css")
    assert response.status_code == 200


def test_the_english_catalogue_is_complete():
    """Every message of the shell has an English translation and none is fuzzy (so none is dropped)."""
    from pathlib import Path

    po = (Path(__file__).resolve().parents[2] / "locale/en/LC_MESSAGES/django.po").read_text()
    entries = po.split("\n\n")[1:]
    untranslated = [e for e in entries if e.rstrip().endswith('msgstr ""') or 'msgstr[0] ""' in e]
    assert untranslated == []
    assert "#, fuzzy" not in po
