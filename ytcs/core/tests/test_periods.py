"""Period codes as TT 37/2019 writes them, their days, stock dates, and the refusal of a bad code."""

import datetime as dt

import pytest
from django.utils import translation

from ytcs.core.errors import DomainError
from ytcs.core.periods import (
    Period,
    PeriodType,
    parse_period,
    periods_between,
    stock_date,
    week_label,
    week_start,
)
from ytcs.surveillance import weeks

D = dt.date


@pytest.mark.parametrize(("code", "kind", "start", "end"), [
    ("2025-06", PeriodType.MONTH, D(2025, 6, 1), D(2025, 6, 30)),
    ("2024-02", PeriodType.MONTH, D(2024, 2, 1), D(2024, 2, 29)),
    ("2025Q2", PeriodType.QUARTER, D(2025, 4, 1), D(2025, 6, 30)),
    ("2025Q4", PeriodType.QUARTER, D(2025, 10, 1), D(2025, 12, 31)),
    ("2025S1", PeriodType.HALF_YEAR, D(2025, 1, 1), D(2025, 6, 30)),
    ("2025S2", PeriodType.HALF_YEAR, D(2025, 7, 1), D(2025, 12, 31)),
    ("2025-9M", PeriodType.NINE_MONTHS, D(2025, 1, 1), D(2025, 9, 30)),
    ("2025", PeriodType.YEAR, D(2025, 1, 1), D(2025, 12, 31)),
    ("2025-W23", PeriodType.WEEK, D(2025, 6, 2), D(2025, 6, 8)),
    ("2021-W01", PeriodType.WEEK, D(2021, 1, 4), D(2021, 1, 10)),  # ISO week 1 of 2021 starts in January
    ("2020-W53", PeriodType.WEEK, D(2020, 12, 28), D(2021, 1, 3)),  # and 2020 had 53 weeks
])
def test_each_code_names_its_days_and_reads_back(code, kind, start, end):
    period = parse_period(code)
    assert (period.type, period.start, period.end) == (kind, start, end)
    assert period.code == code
    assert period.days == (end - start).days + 1
    assert start in period and end in period and end + dt.timedelta(days=1) not in period


@pytest.mark.parametrize("code", [
    "2025-13", "2025-00", "2025Q5", "2025Q0", "2025S3", "2025-8M", "25", "2025-6", "2025q2", " 2025", "2025-W54",
    "2021-W53", "", "abc", "0999", "2025-06-01", "2025\x00",
])
def test_a_bad_code_is_refused_with_the_accepted_forms(code):
    with translation.override("vi"), pytest.raises(DomainError) as refused:
        parse_period(code)
    (error,) = refused.value.errors
    assert (error.field, error.code) == ("period", "invalid_period")
    assert "2025Q2" in error.message or "tuần ISO" in error.message


def test_the_refusal_names_the_field_it_was_given_and_speaks_english_on_request():
    with translation.override("en"), pytest.raises(DomainError) as refused:
        parse_period("2025-13", field="from")
    (error,) = refused.value.errors
    assert error.field == "from"
    assert "not a valid period" in error.message and "2025-9M (9 months)" in error.message


def test_a_stock_is_taken_on_the_last_day_or_today_while_the_period_runs():
    june = parse_period("2025-06")
    assert stock_date(june, today=D(2026, 1, 1)) == D(2025, 6, 30)
    assert stock_date(june, today=D(2025, 6, 12)) == D(2025, 6, 12)
    assert june.has_started(D(2025, 6, 1)) and not june.has_started(D(2025, 5, 31))
    assert june.is_complete(D(2025, 7, 1)) and not june.is_complete(D(2025, 6, 30))


def test_periods_follow_one_another_and_can_be_listed_over_a_range():
    assert parse_period("2025-12").next().code == "2026-01"
    assert parse_period("2025Q4").next().code == "2026Q1"
    assert parse_period("2025S1").next().code == "2025S2"
    assert parse_period("2025-9M").next().code == "2026-9M"
    assert parse_period("2025").next().code == "2026"
    assert parse_period("2020-W53").next().code == "2021-W01"
    months = [p.code for p in periods_between(PeriodType.MONTH, D(2025, 5, 15), D(2025, 8, 1))]
    assert months == ["2025-06", "2025-07", "2025-08"]
    assert [p.code for p in periods_between(PeriodType.QUARTER, D(2025, 1, 1), D(2025, 12, 31))] == [
        "2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    assert Period.containing(PeriodType.NINE_MONTHS, D(2025, 11, 1)).code == "2025-9M"


def test_surveillance_weeks_are_the_shared_iso_weeks():
    """``surveillance.weeks`` delegates to the one periods module: the same functions, the same answers."""
    assert weeks.week_start is week_start and weeks.week_label is week_label
    assert weeks.week_start(D(2025, 6, 8)) == D(2025, 6, 2)
    assert weeks.iso_week_start(2025, 23) == parse_period("2025-W23").start
    assert weeks.last_complete_week(D(2025, 6, 11)) == D(2025, 6, 2)
    assert weeks.week_label(D(2025, 6, 2)) == "2025-W23"
