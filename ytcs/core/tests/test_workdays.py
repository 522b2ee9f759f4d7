"""The working-day calendar: weekends, holidays, compensatory and swapped days, deadlines, and its limits."""

import datetime as dt
from pathlib import Path

import pytest

from ytcs.core.errors import DomainError
from ytcs.core.workdays import DATA_FILE, read_calendar, working_calendar, working_days_after

D = dt.date


def test_weekends_holidays_and_swaps():
    cal = working_calendar()
    assert cal.is_working_day(D(2025, 6, 2))  # a Monday
    assert not cal.is_working_day(D(2025, 6, 7))  # a Saturday
    assert not cal.is_working_day(D(2025, 1, 29))  # Tết Ất Tỵ (lunar date, from the data)
    assert not cal.is_working_day(D(2025, 4, 7))  # Giỗ Tổ Hùng Vương, 10/3 âm lịch
    assert not cal.is_working_day(D(2025, 5, 2))  # swapped with Saturday 26 April ...
    assert cal.is_working_day(D(2025, 4, 26))  # ... which was worked
    assert not cal.is_working_day(D(2023, 5, 3))  # compensatory: 30/4/2023 was a Sunday


@pytest.mark.parametrize(("period_end", "deadline"), [
    (D(2025, 1, 31), D(2025, 2, 7)),  # an ordinary week
    (D(2024, 12, 31), D(2025, 1, 8)),  # 1 January off
    (D(2025, 4, 30), D(2025, 5, 9)),  # 30/4, 1/5, the swapped 2/5 and a weekend off
    (D(2025, 1, 24), D(2025, 2, 7)),  # Tết: 27–31 January 2025 off
    (D(2026, 1, 31), D(2026, 2, 6)),
])
def test_a_commune_report_is_due_five_working_days_after_the_period(period_end, deadline):
    """TT 37/2019: the commune level reports within 5 working days after the period ends."""
    assert working_days_after(period_end, 5) == deadline


def test_working_days_between_counts_after_the_first_day():
    cal = working_calendar()
    assert cal.working_days_between(D(2025, 1, 24), D(2025, 2, 7)) == 5
    assert cal.working_days_between(D(2025, 2, 7), D(2025, 2, 7)) == 0


def test_a_year_outside_the_data_is_refused_not_guessed():
    cal = working_calendar()
    assert (cal.first_year, cal.last_year) == (2021, 2026)
    with pytest.raises(DomainError) as refused:
        cal.is_working_day(D(2027, 2, 8))
    assert refused.value.errors[0].code == "calendar_not_covered"
    with pytest.raises(DomainError):
        working_days_after(D(2026, 12, 28), 5)  # runs into 2027


def test_every_covered_year_has_the_eleven_days_off_of_art_112():
    """Labour Code 2019 Art. 112(1): 1 + 5 (Tết) + 1 + 1 + 2 + 1 = 11 holidays a year; each appears as a weekday
    off (the holiday itself or its compensatory day), the Tết days as five weekdays."""
    cal = working_calendar()
    for year in range(cal.first_year, cal.last_year + 1):
        days = cal.days_off(year)
        off = [d for d in days if d.kind in ("holiday", "compensatory")]
        extra = 1 if year >= 2026 else 0  # Ngày Văn hóa Việt Nam, 24/11, from 2026 (unverified; see the file)
        assert len(off) == 11 + extra, (year, [str(d.date) for d in off])
        assert sum(d.kind == "swapped_off" for d in days) == sum(d.kind == "workday" for d in days)
        assert all(d.source for d in days)


def test_the_file_is_checked_when_read(tmp_path: Path):
    bad = tmp_path / "days.toml"
    bad.write_text(DATA_FILE.read_text(encoding="utf-8").replace("date = 2025-04-26", "date = 2025-04-25"),
                   encoding="utf-8")
    with pytest.raises(ValueError, match="2025-04-25"):
        read_calendar(bad)  # a "workday" on a Friday, which is worked anyway
