"""The search page and the resident page over HTTP: POST-only identifiers, htmx partials, 404 outside scope."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ytcs.accounts.models import Role
from ytcs.audit.models import AuditEvent
from ytcs.web.tests.factories import ResidentFactory, UserFactory, unit_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    return unit_tree()


@pytest.fixture
def nurse_client(client, units):
    client.force_login(UserFactory(role=Role.STATION_STAFF, org_unit=units["commune_a"]))
    return client


def test_search_requires_login(client):
    response = client.get(reverse("people:search"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_search_post_renders_results_page(nurse_client, units):
    r = ResidentFactory(village=units["village_a"])
    response = nurse_client.post(reverse("people:search"), {"q": "nguyen van an"})
    assert response.status_code == 200
    assert reverse("people:detail", args=[r.pk]) in response.content.decode()
    assert "<html" in response.content.decode()


def test_search_post_from_htmx_returns_only_the_results(nurse_client, units):
    ResidentFactory(village=units["village_a"])
    response = nurse_client.post(reverse("people:search"), {"q": "an nguyen"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Nguyễn Văn An" in body
    assert "<html" not in body


def test_search_by_get_works_for_names(nurse_client, units):
    ResidentFactory(village=units["village_a"])
    response = nurse_client.get(reverse("people:search"), {"q": "nguyen van an"})
    assert "Nguyễn Văn An" in response.content.decode()


def test_search_by_get_refuses_identifiers_and_does_not_echo_them(nurse_client, units):
    ResidentFactory(village=units["village_a"], cccd="004080000123")
    response = nurse_client.get(reverse("people:search"), {"q": "004080000123"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "004080000123" not in body
    assert not AuditEvent.objects.filter(action="search").exists()


def test_search_by_get_refuses_a_name_typed_with_an_identifier(nurse_client, units):
    ResidentFactory(village=units["village_a"], phone="0912345678")
    body = nurse_client.get(reverse("people:search"), {"q": "nguyen van an 0912345678"}).content.decode()
    assert "0912345678" not in body
    assert not AuditEvent.objects.filter(action="search").exists()


def test_search_says_which_word_matched_nobody_and_what_was_searched(nurse_client, units):
    ResidentFactory(village=units["village_a"], given_name="Bình")
    body = nurse_client.post(reverse("people:search"), {"q": "nguyen van an"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Không tìm thấy ai có từ “an” trong tên." in body
    assert "Kết quả dưới đây tìm theo “nguyen van”." in body
    assert "Nguyễn Văn Bình" in body
    nurse_client.cookies["django_language"] = "en"
    body = nurse_client.post(reverse("people:search"), {"q": "nguyen van an"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Nobody has the word “an” in their name." in body
    assert "The results below are for “nguyen van”." in body


def test_a_birth_year_alone_is_a_search_not_a_refusal(nurse_client, units):
    ResidentFactory(village=units["village_a"], given_name="Bình", birth_date=datetime.date(2003, 4, 5))
    for response in (nurse_client.get(reverse("people:search"), {"q": "2003"}),
                     nurse_client.post(reverse("people:search"), {"q": "2003"})):
        body = response.content.decode()
        assert "Tìm thấy 1 người sinh năm 2003." in body
        assert "Nguyễn Văn Bình" in body
        assert "CCCD có 12 chữ số" not in body
    assert AuditEvent.objects.filter(action="search", changes__query_kind="birth").count() == 2


def test_an_unknown_number_is_explained_with_the_birth_year_range(nurse_client, units):
    body = nurse_client.post(reverse("people:search"), {"q": "1850"}).content.decode()
    assert f"Năm sinh có 4 chữ số, từ 1900 đến {timezone.localdate().year}" in body


def test_search_results_mask_the_cccd(nurse_client, units):
    ResidentFactory(village=units["village_a"], cccd="004080000123")
    body = nurse_client.post(reverse("people:search"), {"q": "nguyen van an"}).content.decode()
    assert "0123" in body
    assert "004080000123" not in body


def test_resident_page_shows_the_record(nurse_client, units):
    r = ResidentFactory(village=units["village_a"], phone="0912345678")
    response = nurse_client.get(reverse("people:detail", args=[r.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nguyễn Văn An" in body and "Bản Giang" in body and "0912345678" in body
    assert response["Cache-Control"] == "no-store"


def test_resident_of_another_commune_is_404(nurse_client, units):
    other = ResidentFactory(village=units["village_b"])
    assert nurse_client.get(reverse("people:detail", args=[other.pk])).status_code == 404
    assert nurse_client.get("/people/999999/").status_code == 404


def test_provincial_user_cannot_open_individual_records(client, units):
    r = ResidentFactory(village=units["village_a"])
    client.force_login(UserFactory(role=Role.PROVINCIAL, org_unit=units["province"]))
    assert client.get(reverse("people:detail", args=[r.pk])).status_code == 404


def test_htmx_search_with_an_expired_session_redirects_the_whole_page(client):
    response = client.post(reverse("people:search"), {"q": "an"}, HTTP_HX_REQUEST="true",
                           HTTP_HX_CURRENT_URL="http://testserver/people/search/")
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("login") + "?next=/people/search/"
