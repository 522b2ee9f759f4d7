"""Journey: a second visit on a phone starts with empty measurement fields and the last values shown beside them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ytcs.clinical.models import Encounter
from ytcs.clinical.tests.factories import EncounterFactory, ResidentFactory, build_place


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_new_visit_shows_the_last_height_as_a_hint_and_saves_only_what_was_measured(live_server, phone, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    place = build_place()
    place.nurse_a.set_password("mat-khau-thu-nghiem")
    place.nurse_a.save()
    patient = ResidentFactory(village=place.village_a1, full_name="Lê Thị Hoa", sex="F")
    earlier = timezone.localtime() - timedelta(days=40)
    EncounterFactory(resident=patient, occurred_at=earlier, height_cm=162, weight_kg=55)
    page = phone

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Tên đăng nhập").fill(place.nurse_a.username)
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/clinical/residents/{patient.pk}/visits/new/")
    height = page.locator("#id_height_cm")
    assert height.input_value() == ""  # not carried forward from the last visit
    hint = page.locator("#last_height_cm")
    assert hint.is_visible()
    assert hint.inner_text() == f"Lần đo trước: 162 cm, {earlier:%d/%m/%Y}"
    assert height.get_attribute("aria-describedby") == "last_height_cm"
    box, viewport = hint.bounding_box(), page.viewport_size
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]  # readable on the phone, not cut off

    page.locator("#icd-query").press_sequentially("tăng huyết áp", delay=20)
    page.locator("#icd-results .icd-pick").first.click()
    page.locator('#diagnosis-rows input[name="dx-code"][value="I10"]').wait_for(state="attached")
    page.fill("#id_systolic", "150")
    page.fill("#id_diastolic", "95")
    page.fill("#id_weight_kg", "56")
    page.get_by_role("button", name="Lưu lượt khám").click()
    page.wait_for_url("**/clinical/visits/*/")

    visit = Encounter.objects.exclude(pk__in=Encounter.objects.filter(height_cm=162)).get()
    assert (visit.weight_kg, visit.height_cm, visit.bmi) == (56, None, None)
