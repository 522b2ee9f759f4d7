"""A station nurse on a phone: log in → search "nguyen van an" (then a word nobody has, then a birth year alone)
→ open the resident; other communes stay hidden."""

import datetime

import pytest

from ytcs.accounts.models import Role
from ytcs.web.tests.factories import HouseholdFactory, ResidentFactory, UserFactory, unit_tree

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_search_open_resident_and_no_access_to_another_commune(live_server, phone):
    units = unit_tree()
    UserFactory(username="yta_hoaan", role=Role.STATION_STAFF, org_unit=units["commune_a"])
    household = HouseholdFactory(village=units["village_a"], code="HGD-E2E-1")
    resident = ResidentFactory(
        village=units["village_a"], household=household, birth_date=datetime.date(1980, 5, 17),
        cccd="004080000123", bhyt_card_number="GD4040412345678", bhyt_valid_to=datetime.date(2099, 12, 31),
    )
    ResidentFactory(village=units["village_a"], household=household, family_name="Nông", middle_name="Thị",
                    given_name="Hoa", sex="F", birth_date=datetime.date(1983, 2, 1))
    other = ResidentFactory(village=units["village_b"], given_name="An")

    page = phone
    page.goto(f"{live_server.url}/login/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.get_by_label("Tên đăng nhập").fill("yta_hoaan")
    page.get_by_label("Mật khẩu").fill("Mat-khau-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hoà An"

    # The phone menu (a <details> element) leads to the search page.
    page.locator("details.menu > summary").click()
    page.locator("details.menu").get_by_role("link", name="Tìm người dân").click()
    page.wait_for_url(f"{live_server.url}/people/search/")

    page.locator("#q").fill("nguyen van an")
    page.locator("#search-form").get_by_role("button", name="Tìm").click()
    result = page.locator("#results .result-link")
    result.first.wait_for()
    assert result.count() == 1  # the namesake in the other commune is out of scope
    assert "Nguyễn Văn An" in result.first.inner_text()
    assert page.url == f"{live_server.url}/people/search/"  # htmx POST: nothing in the address bar

    # A word nobody has is named, not dropped silently; the other words are still searched.
    page.locator("#q").fill("nong thi xuyen")
    page.locator("#search-form").get_by_role("button", name="Tìm").click()
    page.get_by_text("Không tìm thấy ai có từ “xuyen” trong tên.").wait_for()
    assert page.get_by_text("Kết quả dưới đây tìm theo “nong thi”.").is_visible()
    assert "Nông Thị Hoa" in page.locator("#results .result-link").first.inner_text()

    # A birth year alone lists the people born that year.
    page.locator("#q").fill("1983")
    page.locator("#search-form").get_by_role("button", name="Tìm").click()
    page.get_by_text("Tìm thấy 1 người sinh năm 1983.").wait_for()
    assert "Nông Thị Hoa" in page.locator("#results .result-link").first.inner_text()

    # An identifier search never reaches the address bar either.
    page.locator("#q").fill("004080000123")
    page.locator("#search-form").get_by_role("button", name="Tìm").click()
    page.get_by_text("theo số CCCD").wait_for()
    assert "004080000123" not in page.url

    page.locator("#results .result-link").first.click()
    page.wait_for_url(f"{live_server.url}/people/{resident.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Nguyễn Văn An"
    body = page.locator("main").inner_text()
    assert "Còn hạn" in body and "Bản Giang" in body and "HGD-E2E-1" in body
    assert "Nông Thị Hoa" in body

    response = page.goto(f"{live_server.url}/people/{other.pk}/")
    assert response.status == 404
