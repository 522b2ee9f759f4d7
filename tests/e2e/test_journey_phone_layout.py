"""Journey: every role, on a 390 × 844 phone, opens every page its navigation offers; none is wider than the screen.

The pages are found the way a user finds them, by following the links of the rendered navigation (the menu and the
section menus), not from a hand-written list; the resident's timeline and the epidemic curve are added because their
charts are the widest content. A page fails when ``document.documentElement.scrollWidth > window.innerWidth``; the
message names the page and the element reaching furthest right (outside any scrolling box). Chart labels must be
at least 12 px tall on the phone to be readable, and no number in an SVG, style or data attribute may carry the
Vietnamese decimal comma.
"""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from tests.e2e.conftest import login_as
from ytcs.core.tests.locale_numbers import html_number_errors

PHONE = {"width": 390, "height": 844}

# The element reaching furthest right, not counting what a scrolling (overflow-x) box keeps inside itself.
WIDEST_ELEMENT = """() => {
  const limit = window.innerWidth;
  const insideScroller = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  let widest = null, right = limit;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect().right;
    if (r > limit && r >= right && !insideScroller(el)) { widest = el; right = r; }
  }
  if (!widest) return 'no single element found';
  const cls = (widest.getAttribute('class') || '').trim().split(/\\s+/).filter(Boolean).map(c => '.' + c).join('');
  const name = widest.getAttribute('name') ? `[name=${widest.getAttribute('name')}]` : '';
  const id = widest.id ? '#' + widest.id : '';
  return `<${widest.tagName.toLowerCase()}${id}${cls}${name}> reaching ${Math.round(right)} px`;
}"""
# The menu of the top bar, and the labelled section menu of a page (e.g. the surveillance pages' own menu).
NAV_LINKS = "() => [...document.querySelectorAll('header nav a[href], main nav[aria-label] a[href]')].map(a => a.href)"
SMALLEST_CHART_LABEL = ("() => Math.min(...[...document.querySelectorAll('svg text')]"
                        ".map(t => t.getBoundingClientRect().height))")



def _station_with_data():
    """A province with one commune in use: residents, a patient with three visits, cases, a signal, an alert."""
    from ytcs.accounts.models import Role
    from ytcs.clinical.tests.factories import EncounterFactory, ResidentFactory
    from ytcs.surveillance.diseases import ensure_diseases_loaded
    from ytcs.surveillance.models import Disease, Signal
    from ytcs.surveillance.tests.factories import Tree, UserFactory, at, report_case, submit_weekly
    from ytcs.surveillance.weeks import last_complete_week

    ensure_diseases_loaded()
    tree = Tree()
    nurse = UserFactory(role=Role.STATION_STAFF, org_unit=tree.commune, first_name="Lan", last_name="Hoàng Thị")
    users = {
        "village_health_worker": UserFactory(role=Role.VILLAGE_HEALTH_WORKER, org_unit=tree.village),
        "station_staff": nurse,
        "station_head": UserFactory(role=Role.STATION_HEAD, org_unit=tree.commune),
        "provincial": UserFactory(role=Role.PROVINCIAL, org_unit=tree.province, may_open_records=True),
        "national_viewer": UserFactory(role=Role.NATIONAL_VIEWER, org_unit=tree.country),
        "system_admin": UserFactory(role=Role.SYSTEM_ADMIN, org_unit=tree.country),
    }
    patients = [ResidentFactory(village=tree.village, family_name="Nông", middle_name="Thị Thanh") for _ in range(3)]
    for days, systolic, weight in ((400, 168, 61.5), (200, 152, 60.2), (20, 138, 59.4)):
        EncounterFactory(resident=patients[0], occurred_at=timezone.now() - dt.timedelta(days=days),
                         systolic=systolic, diastolic=94, weight_kg=weight, pulse=82, temperature=36.8)
    last_week = last_complete_week(timezone.localdate())
    for weeks_ago, disease in ((0, "soi"), (0, "soi"), (2, "sot_xuat_huyet"), (5, "tay_chan_mieng"), (0, "ta")):
        onset = last_week - dt.timedelta(weeks=weeks_ago)
        report_case(nurse, disease=disease, village=tree.village, age_years=4, sex="M",
                    resident=patients[1] if disease == "ta" else None,
                    onset_date=onset, diagnosed_at=at(onset + dt.timedelta(days=1)))
    submit_weekly(nurse, last_week, {"cum": (12, 0)})
    Signal.objects.create(unit=tree.commune, disease=Disease.objects.get(code="soi"), week_start=last_week,
                          method="farrington", count=2, expected=0.4, upperbound=1.7)
    return users, patients[0]


def _check(page, role: str, path: str) -> list[str]:
    """Open ``path``; what is wrong with it on a phone. Whatever it answers (an error page too) must fit."""
    page.goto(path)
    problems = []
    scroll_width, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll_width > screen:
        problems.append(f"{role} {path}: {scroll_width} px wide on a {screen} px screen; "
                        f"widest: {page.evaluate(WIDEST_ELEMENT)}")
    if page.locator("svg text").count() and (label := page.evaluate(SMALLEST_CHART_LABEL)) < 12:
        problems.append(f"{role} {path}: chart labels {label:.1f} px tall, too small to read on a phone")
    problems += [f"{role} {path}: {error}" for error in html_number_errors(page.content())]
    return problems


@pytest.mark.e2e
def test_every_navigation_page_fits_a_phone_for_every_role(browser, live_server, transactional_db):
    users, patient = _station_with_data()
    opens_records = {"village_health_worker", "station_staff", "station_head", "provincial"}
    server = urlsplit(live_server.url).netloc
    failures, menus = [], {}
    for role, user in users.items():
        context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="vi-VN")
        login_as(context, user, live_server.url)
        page = context.new_page()
        page.set_default_timeout(10_000)
        todo, seen = ["/"], set()
        while todo:  # the pages of the navigation, breadth first
            path = todo.pop(0)
            if path in seen:
                continue
            seen.add(path)
            failures += _check(page, role, path)
            for href in page.evaluate(NAV_LINKS):
                link = urlsplit(href)
                if link.netloc == server and not link.query and link.path not in seen:
                    todo.append(link.path)
        menus[role] = seen
        charts = {"/surveillance/curve/"}
        if role in opens_records:
            charts |= {f"/people/{patient.pk}/", f"/clinical/residents/{patient.pk}/timeline/"}
        for path in sorted(charts - seen):
            failures += _check(page, role, path)
        context.close()
    assert all("/surveillance/curve/" in pages and len(pages) >= 5 for pages in menus.values()), menus
    assert not failures, "\n".join(failures)
