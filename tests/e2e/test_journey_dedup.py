"""A station nurse finds "nguyen" + birth year, merges a duplicate registration from the review queue, and undoes it."""

import datetime

import pytest

from ytcs.accounts.models import Role
from ytcs.audit.context import AuditContext
from ytcs.people.dedup.services import duplicates_scan_commune
from ytcs.people.models import Resident
from ytcs.people.search import clear_word_stats
from ytcs.web.tests.factories import HouseholdFactory, ResidentFactory, UserFactory, unit_tree

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_find_by_name_and_year_merge_a_duplicate_and_undo(live_server, phone):
    clear_word_stats()
    units = unit_tree()
    UserFactory(username="yta_dedup", role=Role.STATION_STAFF, org_unit=units["commune_a"])
    household = HouseholdFactory(village=units["village_a"], code="HGD-E2E-9")
    original = ResidentFactory(village=units["village_a"], household=household, birth_date=datetime.date(1980, 5, 17),
                               cccd="004080000123")
    copy = ResidentFactory(village=units["village_a"], family_name="Nguyen", middle_name="Van", given_name="Ann",
                           birth_date=datetime.date(1980, 1, 1), phone="0912345678")
    ResidentFactory(village=units["village_a"], given_name="Bình", birth_date=datetime.date(1975, 3, 2))
    duplicates_scan_commune(context=AuditContext.system("dedup-scan"), commune=units["commune_a"])

    page = phone
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill("yta_dedup")
    page.get_by_label("Mật khẩu").fill("Mat-khau-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")

    # "nguyen" + birth year: both registrations of 1980, not the 1975 namesake.
    page.goto(f"{live_server.url}/people/search/")
    page.locator("#q").fill("nguyen 1980")
    page.locator("#search-form").get_by_role("button", name="Tìm").click()
    results = page.locator("#results .result-link")
    results.first.wait_for()
    assert results.count() == 2
    assert "Nguyễn Văn An" in page.locator("#results").inner_text()
    assert "Nguyễn Văn Bình" not in page.locator("#results").inner_text()

    # The review queue proposes the pair; merge the copy into the original (left, the older registration).
    page.goto(f"{live_server.url}/people/duplicates/")
    page.locator(".pair-link").first.click()
    page.wait_for_url("**/people/duplicates/*/")
    assert "Nguyen Van Ann" in page.locator("main").inner_text()
    page.get_by_role("button", name="Gộp vào hồ sơ bên trái").click()
    page.wait_for_url("**/people/merges/*/")
    merge_url = page.url
    assert "Đã gộp hồ sơ" in page.locator("body").inner_text()
    copy.refresh_from_db()
    assert copy.merged_into_id == original.pk
    assert Resident.objects.get(pk=original.pk).phone == "0912345678"

    # The merged registration no longer shows in search.
    page.goto(f"{live_server.url}/people/search/")
    page.locator("#q").fill("nguyen 1980")
    page.locator("#search-form").get_by_role("button", name="Tìm").click()
    page.locator("#results .result-link").first.wait_for()
    assert page.locator("#results .result-link").count() == 1

    # Undo from the merge page: both registrations are back as they were.
    page.goto(merge_url)
    page.get_by_role("button", name="Hoàn tác lần gộp này").click()
    page.get_by_text("Đã hoàn tác").first.wait_for()
    copy.refresh_from_db()
    assert copy.merged_into_id is None
    assert Resident.objects.get(pk=original.pk).phone == ""
