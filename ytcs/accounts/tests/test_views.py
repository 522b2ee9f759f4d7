"""The system administrator's page of users to move."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from ytcs.accounts.models import Role
from ytcs.accounts.tests.factories import UserFactory


def client_for(user, language: str = "vi") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


def test_administrator_sees_the_user_of_a_merged_commune_with_its_successor(world):
    UserFactory(username="yta_songhien", org_unit=world.old_commune)
    admin = UserFactory(role=Role.SYSTEM_ADMIN, org_unit=world.country)
    body = client_for(admin).get(reverse("users_to_move")).content.decode()
    assert "<h1>Tài khoản cần chuyển đơn vị</h1>" in body
    assert "yta_songhien" in body and "Xã O (cũ)" in body and "Xã A" in body and "01/07/2025" in body
    english = client_for(admin, "en").get(reverse("users_to_move")).content.decode()
    assert "<h1>Users to move</h1>" in english and "Successor unit(s)" in english


def test_page_is_404_for_everyone_else(world):
    for role, unit in ((Role.STATION_STAFF, world.old_commune), (Role.PROVINCIAL, world.province_p)):
        assert client_for(UserFactory(role=role, org_unit=unit)).get(reverse("users_to_move")).status_code == 404
