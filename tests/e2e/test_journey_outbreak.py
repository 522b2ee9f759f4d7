"""Outbreak journey in a real browser: a measles burst in one commune → weekly job → province reviews the signal."""

import datetime as dt
import os

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.e2e.conftest import login_as

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture
def context(request, live_server):
    """A browser context on the live server: the shared ``browser`` fixture when a conftest offers one."""
    try:
        shared = request.getfixturevalue("browser")
    except pytest.FixtureLookupError:
        shared = None
    if shared is not None:
        ctx = shared.new_context(base_url=live_server.url, locale="vi-VN")
        yield ctx
        ctx.close()
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        ctx = browser.new_context(base_url=live_server.url, locale="vi-VN")
        yield ctx
        ctx.close()
        browser.close()



@pytest.mark.e2e
def test_measles_burst_is_detected_reviewed_and_shown_on_the_curve(context, live_server, transactional_db):
    from ytcs.accounts.models import Role
    from ytcs.surveillance.diseases import ensure_diseases_loaded
    from ytcs.surveillance.models import Signal
    from ytcs.surveillance.tests.factories import Tree, UserFactory, at, report_case, submit_weekly
    from ytcs.surveillance.weeks import last_complete_week

    ensure_diseases_loaded()
    tree = Tree()
    nurse = UserFactory(role=Role.STATION_STAFF, org_unit=tree.commune)
    manager = UserFactory(role=Role.PROVINCIAL, org_unit=tree.province, first_name="Lan")
    last_week = last_complete_week(timezone.localdate())
    start = last_week - dt.timedelta(weeks=52 * 6)
    submit_weekly(nurse, start, submitted_at=at(start + dt.timedelta(days=7)))
    for i in range(8):
        onset = last_week + dt.timedelta(days=i % 6)
        report_case(nurse, disease="soi", village=tree.village, age_years=2 + i, sex="F",
                    onset_date=onset, diagnosed_at=at(onset), reported_at=at(onset, 16))
    call_command("surveillance", "detect-weekly", "--province", tree.province.name, "--workers", "1")
    signal = Signal.objects.get(unit=tree.commune, disease__code="soi", week_start=last_week)

    login_as(context, manager, live_server.url)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.goto("/surveillance/signals/?status=new")
    row = tab.locator("tr", has_text="Xã A1").filter(has_text="Sởi")
    assert row.count() == 1
    row.get_by_role("link").click()
    tab.wait_for_url(f"**/surveillance/signals/{signal.pk}/")
    assert "Mới" in tab.locator("#signal-status").inner_text()
    tab.locator("#id_note").fill("Cử đội đáp ứng nhanh xuống xã")
    tab.get_by_role("button", name="Đang điều tra").click()
    tab.wait_for_load_state()
    assert "Đang điều tra" in tab.locator("#signal-status").inner_text()
    highlighted = tab.locator("svg rect[data-highlight='1'][data-signal='1']")
    assert highlighted.count() == 1
    assert "8" in highlighted.locator("title").text_content()
    assert tab.get_by_text("Cử đội đáp ứng nhanh xuống xã").count() == 1
    signal.refresh_from_db()
    assert signal.status == "investigating"
