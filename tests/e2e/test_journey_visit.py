"""Journey: a station nurse records a hypertension visit found by typing Vietnamese, and sees it on the timeline."""

import os

import pytest

from ytcs.clinical.tests.factories import ResidentFactory, build_place

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture
def clinical_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield page
        browser.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_record_a_hypertension_visit_and_see_it_on_the_timeline(live_server, clinical_page, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    place = build_place()
    place.nurse_a.set_password("mat-khau-thu-nghiem")
    place.nurse_a.save()
    patient = ResidentFactory(village=place.village_a1, full_name="Lê Thị Hoa", sex="F")
    page = clinical_page

    page.goto(f"{live_server.url}/login/")
    page.fill('input[name="username"]', place.nurse_a.username)
    page.fill('input[name="password"]', "mat-khau-thu-nghiem")
    page.locator('form [type="submit"]').last.click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/clinical/residents/{patient.pk}/visits/new/")
    page.locator("#icd-query").press_sequentially("tăng huyết áp", delay=20)
    first = page.locator("#icd-results .icd-pick").first
    first.wait_for()
    assert first.get_attribute("data-code") == "I10"
    first.click()
    page.locator('#diagnosis-rows input[name="dx-code"][value="I10"]').wait_for(state="attached")
    assert page.locator('#diagnosis-rows input[name="dx-primary"][value="I10"]').is_checked()
    page.fill("#id_systolic", "165")
    page.fill("#id_diastolic", "100")
    page.fill("#id_weight_kg", "58")
    page.get_by_role("button", name="Lưu lượt khám").click()

    page.wait_for_url("**/clinical/visits/*/")
    assert "Tăng huyết áp độ 2" in page.content()
    page.get_by_role("link", name="Dòng thời gian").click()
    page.wait_for_url(f"**/clinical/residents/{patient.pk}/timeline/")
    visit = page.locator(".visit-item").first
    assert "I10" in visit.inner_text()
    assert "Tăng huyết áp vô căn (nguyên phát)" in visit.inner_text()
    assert "HA 165/100" in visit.inner_text()
    assert page.locator("svg.chart circle.dot.systolic").count() == 1
