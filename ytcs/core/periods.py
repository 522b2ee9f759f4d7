"""Reporting periods: the one way ytcs names, parses and measures a period of time.

TT 37/2019/TT-BYT (in force 01/04/2020) reports health statistics over calendar periods — month, quarter,
6 months, 9 months, year — and surveillance (TT 54/2015/TT-BYT) counts ISO weeks. Each period has a code,
written the way the reporting regime writes it:

=============  ===============  ============================================
code           type             days
=============  ===============  ============================================
``2025-06``    month            1–30 June 2025
``2025Q2``     quarter          1 April – 30 June 2025
``2025S1``     half_year        1 January – 30 June 2025 (``S2``: July–December)
``2025-9M``    nine_months      1 January – 30 September 2025
``2025``       year             1 January – 31 December 2025
``2025-W23``   week             Monday 2 – Sunday 8 June 2025 (ISO 8601)
=============  ===============  ============================================

A *stock* (residents, insured, stations with a doctor) is taken on one day: the period's last day, or today
for a period still in progress (:func:`stock_date`). A *flow* (births, visits, reports) sums over the period's
days (:attr:`Period.start` to :attr:`Period.end`, both included). Pure Python: no database, no settings; the
error messages are translated.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ytcs.core.errors import DomainError


class PeriodType(StrEnum):
    """The kinds of period, smallest first; the value is the stable code programs and definitions use."""

    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    NINE_MONTHS = "nine_months"
    YEAR = "year"

    @property
    def label(self) -> str:
        return str(_TYPE_LABELS[self])

    @property
    def example(self) -> str:
        """How a period of this type is written (for help texts and the generated docs)."""
        return _EXAMPLES[self]


_TYPE_LABELS = {
    PeriodType.WEEK: pgettext_lazy("period type", "tuần"),
    PeriodType.MONTH: pgettext_lazy("period type", "tháng"),
    PeriodType.QUARTER: pgettext_lazy("period type", "quý"),
    PeriodType.HALF_YEAR: pgettext_lazy("period type", "6 tháng"),
    PeriodType.NINE_MONTHS: pgettext_lazy("period type", "9 tháng"),
    PeriodType.YEAR: pgettext_lazy("period type", "năm"),
}
_EXAMPLES = {
    PeriodType.WEEK: "2025-W23",
    PeriodType.MONTH: "2025-06",
    PeriodType.QUARTER: "2025Q2",
    PeriodType.HALF_YEAR: "2025S1",
    PeriodType.NINE_MONTHS: "2025-9M",
    PeriodType.YEAR: "2025",
}
_PATTERNS = (
    (re.compile(r"(\d{4})-W(\d{2})"), PeriodType.WEEK),
    (re.compile(r"(\d{4})-(\d{2})"), PeriodType.MONTH),
    (re.compile(r"(\d{4})Q(\d)"), PeriodType.QUARTER),
    (re.compile(r"(\d{4})S(\d)"), PeriodType.HALF_YEAR),
    (re.compile(r"(\d{4})-(9)M"), PeriodType.NINE_MONTHS),
    (re.compile(r"(\d{4})()"), PeriodType.YEAR),
)
_COUNT = {PeriodType.MONTH: 12, PeriodType.QUARTER: 4, PeriodType.HALF_YEAR: 2}
MIN_YEAR = 1900


class Aggregation(StrEnum):
    """How a measure behaves over a period."""

    STOCK = "stock"  # taken on one day: the last day of the period, or today for a period in progress
    FLOW = "flow"  # summed over the days of the period


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period; build it with :func:`parse_period` or the class methods, which check it exists."""

    start: dt.date
    end: dt.date  # the last day, included
    type: PeriodType
    year: int
    number: int  # the week, month, quarter or half of the year; 9 for nine months, 1 for a year

    @classmethod
    def week(cls, iso_year: int, week: int) -> Period:
        monday = iso_week_start(iso_year, week)
        return cls(monday, monday + dt.timedelta(days=6), PeriodType.WEEK, iso_year, week)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(dt.date(year, month, 1), dt.date(year, month, last), PeriodType.MONTH, year, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = 3 * quarter - 2
        end = cls.month(year, first + 2).end
        return cls(dt.date(year, first, 1), end, PeriodType.QUARTER, year, quarter)

    @classmethod
    def half_year(cls, year: int, half: int) -> Period:
        start, end = (dt.date(year, 1, 1), dt.date(year, 6, 30)) if half == 1 else (dt.date(year, 7, 1),
                                                                                     dt.date(year, 12, 31))
        return cls(start, end, PeriodType.HALF_YEAR, year, half)

    @classmethod
    def nine_months(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 9, 30), PeriodType.NINE_MONTHS, year, 9)

    @classmethod
    def whole_year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), PeriodType.YEAR, year, 1)

    @classmethod
    def containing(cls, period_type: PeriodType, day: dt.date) -> Period:
        """The period of ``period_type`` that contains ``day`` (nine months: the year's first nine months)."""
        if period_type is PeriodType.WEEK:
            iso = day.isocalendar()
            return cls.week(iso.year, iso.week)
        if period_type is PeriodType.MONTH:
            return cls.month(day.year, day.month)
        if period_type is PeriodType.QUARTER:
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        if period_type is PeriodType.HALF_YEAR:
            return cls.half_year(day.year, 1 if day.month <= 6 else 2)
        if period_type is PeriodType.NINE_MONTHS:
            return cls.nine_months(day.year)
        return cls.whole_year(day.year)

    @property
    def code(self) -> str:
        """The period's code (``2025-06``, ``2025Q2``…), which :func:`parse_period` reads back."""
        match self.type:
            case PeriodType.WEEK:
                return f"{self.year}-W{self.number:02d}"
            case PeriodType.MONTH:
                return f"{self.year}-{self.number:02d}"
            case PeriodType.QUARTER:
                return f"{self.year}Q{self.number}"
            case PeriodType.HALF_YEAR:
                return f"{self.year}S{self.number}"
            case PeriodType.NINE_MONTHS:
                return f"{self.year}-9M"
        return str(self.year)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return self.code

    def next(self) -> Period:
        """The following period of the same type (after ``2025-9M`` comes ``2026-9M``)."""
        if self.type is PeriodType.NINE_MONTHS:
            return Period.nine_months(self.year + 1)
        return Period.containing(self.type, self.end + dt.timedelta(days=1))

    def has_started(self, today: dt.date) -> bool:
        return self.start <= today

    def is_complete(self, today: dt.date) -> bool:
        """Whether every day of the period lies before ``today``."""
        return self.end < today


def stock_date(period: Period, today: dt.date) -> dt.date:
    """The day a stock is taken for ``period``: its last day, or ``today`` while the period is in progress."""
    return min(period.end, today)


def parse_period(code: str, *, field: str = "period") -> Period:
    """The period a code names; :class:`DomainError` (on ``field``) with the accepted forms otherwise."""
    text = code if isinstance(code, str) else ""
    for pattern, period_type in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        year, number = int(match.group(1)), int(match.group(2) or 1)
        if year < MIN_YEAR:
            break
        if period_type is PeriodType.WEEK:
            try:
                return Period.week(year, number)
            except ValueError:
                raise DomainError.one(field, "invalid_period", _(
                    "Năm %(year)s không có tuần ISO %(week)s (mã kỳ “%(code)s”)."
                ) % {"year": year, "week": number, "code": text}) from None
        if not 1 <= number <= _COUNT.get(period_type, number):
            break
        if period_type is PeriodType.MONTH:
            return Period.month(year, number)
        if period_type is PeriodType.QUARTER:
            return Period.quarter(year, number)
        if period_type is PeriodType.HALF_YEAR:
            return Period.half_year(year, number)
        if period_type is PeriodType.NINE_MONTHS:
            return Period.nine_months(year)
        return Period.whole_year(year)
    raise DomainError.one(field, "invalid_period", _(
        "Mã kỳ báo cáo “%(code)s” không hợp lệ. Hãy viết 2025-06 (tháng), 2025Q2 (quý), 2025S1 hoặc 2025S2 "
        "(6 tháng), 2025-9M (9 tháng), 2025 (năm) hoặc 2025-W23 (tuần ISO)."
    ) % {"code": text[:40]})


def periods_between(period_type: PeriodType, first: dt.date, last: dt.date) -> Iterator[Period]:
    """Every period of ``period_type`` that starts on or after ``first`` and on or before ``last``, in order."""
    period = Period.containing(period_type, first)
    if period.start < first:
        period = period.next()
    while period.start <= last:
        yield period
        period = period.next()


# --- ISO weeks, the unit of every surveillance series ---------------------------------------------------


def week_start(day: dt.date) -> dt.date:
    """The Monday of the ISO week that contains ``day``."""
    return day - dt.timedelta(days=day.weekday())


def iso_week_start(iso_year: int, iso_week: int) -> dt.date:
    """The Monday of ISO week ``iso_week`` of ``iso_year``; ``ValueError`` for a week that does not exist."""
    return dt.date.fromisocalendar(iso_year, iso_week, 1)


def last_complete_week(as_of: dt.date) -> dt.date:
    """The Monday of the last ISO week that ended before ``as_of``'s week began."""
    return week_start(as_of) - dt.timedelta(weeks=1)


def week_label(monday: dt.date) -> str:
    iso = monday.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"
