"""Browser journeys: a station nurse registers a household of three, mistypes a CCCD and reads the error; and
registers a man who is already on the register, is warned before saving, and decides."""

import datetime
import os

import pytest
from playwright.sync_api import expect

from ytcs.accounts.models import Role
from ytcs.audit.context import AuditContext
from ytcs.people.dedup.models import CandidateStatus, DuplicateCandidate
from ytcs.people.inputs import ResidentFields
from ytcs.people.models import Household, Resident
from ytcs.people.services import resident_create
from ytcs.people.tests.factories import UserFactory, person, unit_tree

PASSWORD = "Mat-khau-2026"


@pytest.fixture
def page(phone):
    """The phone-sized Chromium page of tests/e2e/conftest.py."""
    return phone


def log_in(page, live_server, username):
    page.goto(live_server.url + "/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")


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

    log_in(page, live_server, "y_ta_hoa_an")
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


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_man_already_registered_is_warned_before_saving(live_server, page):
    units = unit_tree()
    nurse = UserFactory(username="y_ta_trung", role=Role.STATION_STAFF, org_unit=units["commune_a"])
    nurse.set_password(PASSWORD)
    nurse.save()
    existing = resident_create(context=AuditContext(actor=nurse), commune=units["commune_a"], fields=ResidentFields(
        **person(village=units["village_a"], birth_date=datetime.date(1980, 3, 2))))
    log_in(page, live_server, "y_ta_trung")
    page.goto(live_server.url + "/people/register/household/new/")
    page.select_option("#id_village", label="Bản Giang")
    # The same man from another household book: typed without marks, no CCCD this time.
    fill_member(page, 0, family="Nong", middle="Van", given="Den", sex="M", born="1980-03-02", relationship="head")

    # Warned as soon as the row is typed (htmx), before any save.
    warning = page.locator("#member-0-duplicates .duplicates")
    expect(warning).to_contain_text("Có thể người này đã có trong sổ.")
    expect(warning).to_contain_text("Nông Văn Dền")
    expect(warning).to_contain_text("Trùng ngày sinh")
    if os.environ.get("YTCS_E2E_SCREENSHOT"):
        page.screenshot(path=os.environ["YTCS_E2E_SCREENSHOT"].replace(".png", "-duplicate.png"), full_page=True)

    # Saving anyway is refused until the nurse decides; the warning stays beside the member.
    page.click("#save-household")
    expect(page.locator("#member-0-duplicates .duplicates")).to_contain_text("Nông Văn Dền")
    assert not Household.objects.exists()

    # "Another person", with the reason: the household is saved and the pair will not be proposed again.
    page.check("#id_members-0-not_duplicate")
    page.fill("#id_members-0-not_duplicate_reason", "Khác bố mẹ, đã hỏi trực tiếp")
    page.click("#save-household")
    expect(page.locator("h1")).to_contain_text("Hồ sơ quản lý sức khỏe cá nhân: Nong Van Den")
    decision = DuplicateCandidate.objects.get()
    assert decision.status == CandidateStatus.NOT_DUPLICATE and decision.left_id == existing.pk
    assert decision.decision_note == "Khác bố mẹ, đã hỏi trực tiếp"

    # Registering him a third time, the nurse recognises him and opens the existing record instead.
    page.goto(live_server.url + "/people/register/household/new/")
    page.select_option("#id_village", label="Bản Giang")
    fill_member(page, 0, family="Nông", middle="Văn", given="Dền", sex="M", born="1980-03-02", relationship="head")
    same = page.locator("#member-0-duplicates .same-person").first
    expect(same).to_be_visible()
    same.click()
    expect(page.locator("h1")).to_contain_text("Hồ sơ quản lý sức khỏe cá nhân: Nông Văn Dền")
    assert Resident.objects.count() == 2
