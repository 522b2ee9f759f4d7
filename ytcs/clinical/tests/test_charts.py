"""The timeline's charts in Vietnamese (the default language): coordinates keep a decimal point, text follows
the language, and the first and last dates stay inside the chart."""

import re
from datetime import date, timedelta

from django.utils import timezone, translation

from ytcs.clinical.charts import ReferenceLine, Series, line_chart_svg
from ytcs.clinical.tests.factories import EncounterFactory
from ytcs.core.tests.locale_numbers import html_number_errors, svg_number_errors

WEIGHTS = [(date(2025, 1, 6), 58.4), (date(2025, 3, 3), 57.25), (date(2025, 6, 30), 59.05)]


def test_weight_chart_in_vietnamese_parses_and_shows_decimal_commas_only_in_text():
    with translation.override("vi"):
        svg = line_chart_svg(title="Cân nặng theo thời gian", unit="kg", series=[Series("Cân nặng", "weight", WEIGHTS)])
    assert svg_number_errors(svg) == []
    assert "58,4 kg" in svg  # the tooltip is Vietnamese text
    points = re.search(r'points="([^"]+)"', svg).group(1).split()
    assert len(points) == len(WEIGHTS)


def test_blood_pressure_chart_with_reference_lines_parses_in_vietnamese():
    readings = [(date(2025, 1, 6), 162, 95), (date(2025, 2, 3), 148.5, 91), (date(2025, 3, 3), 139, 88.5)]
    with translation.override("vi"):
        svg = line_chart_svg(
            title="Huyết áp theo thời gian", unit="mmHg",
            series=[Series("Tâm thu", "systolic", [(d, s) for d, s, _ in readings]),
                    Series("Tâm trương", "diastolic", [(d, di) for d, _, di in readings])],
            references=[ReferenceLine(140, "140"), ReferenceLine(90, "90")],
        )
    assert svg_number_errors(svg) == []
    assert svg.count('class="dot systolic"') == 3 and svg.count('class="reference"') == 2


def test_first_and_last_dates_are_anchored_inside_the_chart():
    with translation.override("vi"):
        svg = line_chart_svg(title="Cân nặng", unit="kg", series=[Series("Cân nặng", "weight", WEIGHTS)])
        single = line_chart_svg(title="Cân nặng", unit="kg", series=[Series("Cân nặng", "weight", WEIGHTS[:1])])
    assert re.search(r'text-anchor="start">06.01.2025<', svg) and re.search(r'text-anchor="end">30.06.2025<', svg)
    assert re.search(r'text-anchor="middle">06.01.2025<', single)


def test_timeline_page_in_vietnamese_has_no_language_dependent_numbers(client, place, patient):
    for days, weight in ((90, 61.5), (60, 60.75), (30, 59.2)):
        EncounterFactory(resident=patient, occurred_at=timezone.now() - timedelta(days=days), systolic=150,
                         diastolic=92, weight_kg=weight, temperature=37.6)
    client.force_login(place.nurse_a)
    html = client.get(f"/clinical/residents/{patient.pk}/timeline/").content.decode()
    assert 'lang="vi"' in html and "37,6 °C" in html
    assert svg_number_errors(html) == []
    assert html_number_errors(html) == []
