"""The working-day calendar of public-sector units: reporting deadlines, later referral slips.

TT 37/2019/TT-BYT gives each level a deadline in *working days* after the period ends (commune: 5), and a
referral slip is valid for a number of working days (TT 01/2025/TT-BYT). A working day is a Monday–Friday
that is not a public holiday or a day off the Government moved, or a Saturday the Government made a working
day. Those days come from ``data/vn_days_off.toml`` — dated data with their legal source, because the lunar
holidays and the yearly schedules cannot be computed — and a year the file does not cover is refused rather
than guessed (:class:`DomainError` ``calendar_not_covered``).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ytcs.core.errors import DomainError

DATA_FILE = Path(__file__).parent / "data" / "vn_days_off.toml"
KINDS = ("holiday", "compensatory", "swapped_off", "workday")


@dataclass(frozen=True)
class SpecialDay:
    """A day whose working status differs from its weekday's: a day off on a weekday, or a Saturday worked."""

    date: dt.date
    kind: str  # one of KINDS
    name_vi: str
    name_en: str
    source: str

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi

    @property
    def is_day_off(self) -> bool:
        return self.kind != "workday"


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days between ``first_year`` and ``last_year`` (both included)."""

    first_year: int
    last_year: int
    weekly_rest: frozenset[int]  # weekday numbers, Monday = 0
    special: dict[dt.date, SpecialDay]

    def covers(self, day: dt.date) -> bool:
        return self.first_year <= day.year <= self.last_year

    def _check(self, day: dt.date) -> None:
        if not self.covers(day):
            raise DomainError.one(None, "calendar_not_covered", _(
                "Lịch ngày làm việc chỉ có các năm %(first)s–%(last)s; chưa có ngày nghỉ lễ của năm %(year)s."
            ) % {"first": self.first_year, "last": self.last_year, "year": day.year})

    def is_working_day(self, day: dt.date) -> bool:
        self._check(day)
        special = self.special.get(day)
        if special is not None:
            return not special.is_day_off
        return day.weekday() not in self.weekly_rest

    def working_days_after(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day`` (``day`` itself not counted; ``count`` ≥ 1).

        A commune's report for June 2025 is due ``working_days_after(date(2025, 6, 30), 5)``.
        """
        if count < 1:
            raise ValueError("count must be at least 1")
        current = day
        while count:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                count -= 1
        return current

    def working_days_between(self, first: dt.date, last: dt.date) -> int:
        """How many working days lie after ``first`` up to and including ``last`` (0 when ``last`` ≤ ``first``)."""
        days = (last - first).days
        return sum(self.is_working_day(first + dt.timedelta(days=n)) for n in range(1, days + 1))

    def days_off(self, year: int) -> list[SpecialDay]:
        """The listed days of ``year`` in date order (weekends are not listed)."""
        return sorted((d for d in self.special.values() if d.date.year == year), key=lambda d: d.date)


def read_calendar(path: Path = DATA_FILE) -> WorkingCalendar:
    """Parse and check a calendar file: every date in the covered years, known kinds, day-offs on weekdays."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    first, last = data["covers"]
    rest = frozenset(data["weekly_rest"])
    special: dict[dt.date, SpecialDay] = {}
    for row in data.get("day", []):
        day = SpecialDay(row["date"], row["kind"], row["name_vi"], row["name_en"], row["source"])
        if day.kind not in KINDS or not first <= day.date.year <= last or day.date in special:
            raise ValueError(f"{path.name}: bad or repeated day {row!r}")
        if day.is_day_off == (day.date.weekday() in rest):
            raise ValueError(f"{path.name}: {day.date} is a {day.kind} on a day that is already so")
        special[day.date] = day
    return WorkingCalendar(first, last, rest, special)


@cache
def working_calendar() -> WorkingCalendar:
    """Vietnam's public-sector working-day calendar (read once per process)."""
    return read_calendar()


def is_working_day(day: dt.date) -> bool:
    return working_calendar().is_working_day(day)


def working_days_after(day: dt.date, count: int) -> dt.date:
    return working_calendar().working_days_after(day, count)
