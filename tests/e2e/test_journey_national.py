"""National journey on a phone: provinces first, one province's communes, and back; the same on completeness."""

import pytest

from tests.e2e.conftest import login_as


@pytest.fixture
def tab(browser, live_server):
    """A phone-sized page (390 × 844, Vietnamese) on the live server."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()



def _fits(tab) -> bool:
    return tab.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.e2e
def test_a_national_viewer_goes_from_provinces_to_communes_and_back(tab, live_server, transactional_db):
    from ytcs.accounts.models import Role
    from ytcs.orgunits.models import OrgUnit
    from ytcs.orgunits.tests.factories import OrgUnitFactory
    from ytcs.surveillance.diseases import ensure_diseases_loaded
    from ytcs.web.tests.factories import ResidentFactory, UserFactory, unit_tree

    ensure_diseases_loaded()
    tree = unit_tree()
    OrgUnit.objects.filter(pk=tree["province"].pk).update(code="04")
    other = OrgUnitFactory(name="Lạng Sơn", code="20", level=OrgUnit.Level.PROVINCE, parent=tree["country"])
    OrgUnitFactory(name="Tân Thanh", level=OrgUnit.Level.COMMUNE, parent=other)
    ResidentFactory(village=tree["village_a"])
    login_as(tab.context, UserFactory(role=Role.NATIONAL_VIEWER, org_unit=tree["country"]), live_server.url)

    tab.goto("/")
    table = tab.locator("#areas-title + .table-wrap table")
    assert table.locator("tbody tr").count() == 2
    assert table.locator("tbody tr").first.inner_text().split("\t")[0] == "Cao Bằng"
    assert tab.get_by_text("Hoà An").count() == 0 and _fits(tab)
    table.get_by_role("link", name="Cao Bằng").click()
    tab.wait_for_url("**/?province=04")
    assert tab.locator("#areas-title").inner_text() == "Các xã, phường của Cao Bằng"
    assert tab.locator("#areas-title + .table-wrap tbody tr").all_inner_texts() == [
        "Hoà An\t1\t0", "Nguyên Bình\t0\t0"]
    assert tab.get_by_text("Tân Thanh").count() == 0 and _fits(tab)
    tab.locator("nav.crumbs").get_by_role("link", name="Việt Nam").click()
    tab.wait_for_url(live_server.url + "/")
    assert tab.locator("#areas-title").inner_text() == "Các tỉnh, thành phố"

    tab.goto("/surveillance/completeness/")
    assert tab.locator(".surv-table tbody tr").count() == 2 and _fits(tab)
    tab.locator(".surv-table").get_by_role("link", name="Lạng Sơn").click()
    tab.wait_for_url("**/surveillance/completeness/?province=20*")
    assert tab.locator(".surv-table tbody tr").all_inner_texts()[0].startswith("Tân Thanh")
    tab.locator("nav.crumbs").get_by_role("link", name="Việt Nam").click()
    assert tab.locator(".surv-table").get_by_role("link", name="Cao Bằng").count() == 1
