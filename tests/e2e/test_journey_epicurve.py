"""Journey: a station nurse opens the epidemic curve in Vietnamese on her phone, sees the bars, narrows it to 12 weeks.

In Vietnamese (the default language) the SVG once carried decimal commas (``y1="206,0"``): Chromium rejected every
such attribute with a console error and drew an empty frame, and the week selector showed 12 while 52 were drawn.
"""

import datetime as dt

import pytest
from django.utils import timezone

from tests.e2e.conftest import login_as

BARS_DRAWN = "() => [...document.querySelectorAll('.surv-curve rect')].filter(r => r.getBBox().height > 0).length"
GRIDLINE_HEIGHTS = "() => [...document.querySelectorAll('.surv-curve line.grid')].map(l => l.y1.baseVal.value)"
SMALLEST_LABEL = ("() => Math.min(...[...document.querySelectorAll('.surv-curve text')]"
                  ".map(t => t.getBoundingClientRect().height))")



@pytest.mark.e2e
def test_epidemic_curve_draws_in_vietnamese_and_the_week_choice_applies(browser, live_server, transactional_db):
    from ytcs.accounts.models import Role
    from ytcs.surveillance.diseases import ensure_diseases_loaded
    from ytcs.surveillance.tests.factories import Tree, UserFactory, at, report_case
    from ytcs.surveillance.weeks import last_complete_week

    ensure_diseases_loaded()
    tree = Tree()
    nurse = UserFactory(role=Role.STATION_STAFF, org_unit=tree.commune)
    last_week = last_complete_week(timezone.localdate())
    for weeks_ago in (0, 0, 1, 3, 20):  # four weeks with cases, one of them outside the last 12 weeks
        onset = last_week - dt.timedelta(weeks=weeks_ago)
        report_case(nurse, disease="soi", village=tree.village, age_years=3, sex="F",
                    onset_date=onset, diagnosed_at=at(onset + dt.timedelta(days=1)))

    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}, locale="vi-VN")
    login_as(context, nurse, live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto("/surveillance/curve/?disease=soi")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("select[name=weeks]").input_value() == "52"
    assert page.locator(".surv-curve rect").count() == 52
    assert page.evaluate(BARS_DRAWN) == 4
    heights = page.evaluate(GRIDLINE_HEIGHTS)
    assert len(set(heights)) == len(heights) > 1  # every gridline at its own height, none dropped to 0
    assert page.evaluate(SMALLEST_LABEL) >= 12, "the curve's labels are too small to read on a phone"
    assert errors == []

    page.locator("select[name=weeks]").select_option("12")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**weeks=12**")
    assert page.locator("select[name=weeks]").input_value() == "12"
    assert page.locator(".surv-curve rect").count() == 12
    assert page.evaluate(BARS_DRAWN) == 3
    assert errors == []
    context.close()
