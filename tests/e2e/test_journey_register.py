"""Browser journey: a station nurse registers a household of three, mistypes a CCCD and reads the error."""

import os

import pytest
from playwright.sync_api import expect

from ytcs.accounts.models import Role
from ytcs.people.models import Household
from ytcs.people.tests.factories import UserFactory, unit_tree

PASSWORD = "Mat-khau-2026"


@pytest.fixture
def page(phone):
    """The phone-sized Chromium page of tests/e2e/conftest.py."""
    return phone


def fill_member(page, index, *, family, middle, given, sex, born, relationship, cccd=""):
    prefix = f"#id_members-{index}-"
    page.fill(prefix + "family_name", family)
    page.fill(prefix + "middle_name", middle)
    page.fill(prefix + "given_name", given)
    page.select_option(prefix + "sex", sex)
    page.fill(prefix + "birth_date", born)
    page.select_option(prefix + "relationship_to_head", relationship)
    page.fill(prefix + "ethnicity", "Tày")
    page.fill(prefix + "cccd", cccd)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_register_household_of_three_and_read_a_cccd_error(live_server, page):
    units = unit_tree()
    nurse = UserFactory(username="y_ta_hoa_an", role=Role.STATION_STAFF, org_unit=units["commune_a"])
    nurse.set_password(PASSWORD)
    nurse.save()

    page.goto(live_server.url + "/login/")
    page.get_by_label("Tên đăng nhập").fill("y_ta_hoa_an")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(live_server.url + "/people/register/household/new/")
    expect(page.locator("h1")).to_contain_text("Đăng ký hộ gia đình")

    page.select_option("#id_village", label="Bản Giang")
    page.fill("#id_address", "Xóm Trên")
    fill_member(page, 0, family="Nông", middle="Văn", given="Dền", sex="M", born="1980-03-02",
                relationship="head", cccd="004080001234")
    page.evaluate("window.stillSamePage = true")
    page.click("#add-member")  # htmx adds a row without reloading the page
    expect(page.locator("#id_members-1-family_name")).to_be_visible()
    assert page.evaluate("window.stillSamePage === true")
    page.click("#add-member")
    expect(page.locator("#id_members-2-family_name")).to_be_visible()
    # The wife's CCCD has the century/sex digit of a man (0 instead of 1).
    fill_member(page, 1, family="Lò", middle="Thị", given="Mai", sex="F", born="1983-07-09",
                relationship="spouse", cccd="004083004321")
    fill_member(page, 2, family="Nông", middle="Bảo", given="An", sex="M", born="2015-01-20",
                relationship="child")
    page.click("#save-household")

    error = page.locator(".field:has(#id_members-1-cccd) .errors")
    expect(error).to_have_text("Số CCCD: chữ số thứ 4 là “0”, tức giới tính nam, nhưng giới tính đã ghi là nữ.")
    if os.environ.get("YTCS_E2E_SCREENSHOT"):  # a path: to look at the page as the nurse sees it
        page.screenshot(path=os.environ["YTCS_E2E_SCREENSHOT"], full_page=True)
    assert not Household.objects.exists()

    page.fill("#id_members-1-cccd", "004183004321")
    page.click("#save-household")
    expect(page.locator("h1")).to_contain_text("Hồ sơ quản lý sức khỏe cá nhân: Nông Văn Dền")
    household = Household.objects.get()
    assert sorted(household.members.values_list("given_name", flat=True)) == ["An", "Dền", "Mai"]
