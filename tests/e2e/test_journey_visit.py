"""Journey: a station nurse records a hypertension visit found by typing Vietnamese, and sees it on the timeline."""

import pytest

from ytcs.clinical.tests.factories import ResidentFactory, build_place


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_record_a_hypertension_visit_and_see_it_on_the_timeline(live_server, phone, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    place = build_place()
    place.nurse_a.set_password("mat-khau-thu-nghiem")
    place.nurse_a.save()
    patient = ResidentFactory(village=place.village_a1, full_name="Lê Thị Hoa", sex="F")
    page = phone

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill(place.nurse_a.username)
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")

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
