"""The epidemic curve in Vietnamese (the default language): its SVG must parse, whatever the decimal mark."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ytcs.core.tests.locale_numbers import html_number_errors, svg_number_errors
from ytcs.surveillance import charts, conf
from ytcs.surveillance.models import Disease, Signal
from ytcs.surveillance.tests.factories import at, report_case
from ytcs.surveillance.weeks import last_complete_week

LAST_WEEK = last_complete_week(timezone.localdate())


@pytest.fixture
def cases(station_user, tree):
    """Three measles cases in two weeks, so that bar heights and gridlines fall between whole units."""
    for weeks_ago in (0, 0, 3):
        onset = LAST_WEEK - dt.timedelta(weeks=weeks_ago)
        report_case(station_user, disease="soi", village=tree.village, age_years=4, sex="F", onset_date=onset,
                    diagnosed_at=at(onset + dt.timedelta(days=1)))


def _selected_weeks(html: str) -> str | None:
    """The option the week selector shows (the first one when none is marked selected)."""
    select = re.search(r'<select name="weeks".*?</select>', html, flags=re.DOTALL).group(0)
    chosen = re.search(r'<option value="(\d+)" selected>', select) or re.search(r'<option value="(\d+)"', select)
    return chosen.group(1)


def test_curve_in_vietnamese_is_valid_svg(client, province_user, tree, cases):
    client.force_login(province_user)
    for by in ("week", "onset"):
        html = client.get(reverse("surveillance:curve"), {"disease": "soi", "by": by}).content.decode()
        assert 'lang="vi"' in html
        assert svg_number_errors(html) == []
        assert html_number_errors(html) == []


def test_signal_page_curve_in_vietnamese_is_valid_svg(client, province_user, tree, cases):
    signal = Signal.objects.create(unit=tree.commune, disease=Disease.objects.get(code="soi"), week_start=LAST_WEEK,
                                   method="farrington", count=2, expected=0.3, upperbound=1.5)
    client.force_login(province_user)
    html = client.get(reverse("surveillance:signal_detail", args=[signal.pk])).content.decode()
    assert 'data-signal="1"' in html and 'class="marker"' in html
    assert svg_number_errors(html) == []
    assert html_number_errors(html) == []


def test_week_selector_shows_the_weeks_drawn_and_applies_the_choice(client, station_user, cases):
    client.force_login(station_user)
    url = reverse("surveillance:curve")
    default = int(conf.get("YTCS_SURVEILLANCE_CURVE_WEEKS"))
    first = client.get(url)
    assert len(first.context["chart"].bars) == default
    assert _selected_weeks(first.content.decode()) == str(default)
    for other_filters in ({"disease": "soi"}, {"weeks": "7"}):  # no or an unknown count: the default, shown
        page = client.get(url, other_filters)
        assert len(page.context["chart"].bars) == default
        assert _selected_weeks(page.content.decode()) == str(default)
    for weeks in (12, 104):
        chosen = client.get(url, {"weeks": weeks, "by": "week"})
        assert len(chosen.context["chart"].bars) == weeks
        assert _selected_weeks(chosen.content.decode()) == str(weeks)
    # An out-of-scope area is dropped, the week count chosen with it still applies.
    mixed = client.get(url, {"weeks": 12, "unit": 999_999})
    assert len(mixed.context["chart"].bars) == 12 and _selected_weeks(mixed.content.decode()) == "12"


def test_week_selector_offers_a_configured_default_outside_the_usual_choices(client, station_user, settings):
    settings.YTCS_SURVEILLANCE_CURVE_WEEKS = 20
    client.force_login(station_user)
    page = client.get(reverse("surveillance:curve"))
    assert len(page.context["chart"].bars) == 20 and _selected_weeks(page.content.decode()) == "20"


def test_dates_under_the_axis_are_at_most_six_so_they_fit_a_phone():
    start = dt.date(2024, 1, 1)
    for weeks in (1, 6, 12, 52, 156):
        chart = charts.bar_chart([(start + dt.timedelta(weeks=i), i % 7) for i in range(weeks)], label="Tuần")
        assert 1 <= len(chart.x_ticks) <= 6
        assert all(chart.plot_left <= t.position <= chart.plot_right for t in chart.x_ticks)

