"""Reading and validating weekly count series (the ``week_start,count`` CSV of ``ytcs detect``).

The detection algorithms work on a *regular* weekly series, exactly like R ``surveillance`` works on
an ``sts`` object: one row per week from the first to the last week of the input.  A week that is
absent from the CSV (or whose ``count`` field is empty) becomes a missing value (``NaN``), which is
what an ``NA`` count is in R.  Errors are collected per line so that one run reports every problem;
messages are English, and each problem carries a machine-readable ``code`` so that the web app can
translate it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["Problem", "SeriesError", "WeeklySeries", "parse_counts_csv", "read_counts_csv", "regularise"]

_NUM_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """One validation problem: ``line`` is the 1-based CSV line (header = line 1), 0 if global."""

    line: int
    field: str
    code: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "input"
        return f"{where}: {self.message}"


class SeriesError(ValueError):
    """Raised when an input series is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class WeeklySeries:
    """A regular weekly series: ``weeks[i]`` is the Monday of row ``i``, ``counts[i]`` NaN if missing."""

    start: dt.date
    counts: np.ndarray  # float64, NaN = missing week

    @property
    def weeks(self) -> list[dt.date]:
        return [self.start + dt.timedelta(weeks=i) for i in range(len(self.counts))]

    @property
    def iso_start(self) -> tuple[int, int]:
        """ISO (year, week) of the first row: what R's ``sts(start = c(year, week), frequency = 52)`` gets."""
        iso = self.start.isocalendar()
        return iso.year, iso.week


def regularise(weeks: list[dt.date], counts: list[float]) -> tuple[WeeklySeries, np.ndarray]:
    """Place (Monday, count) pairs on a regular weekly grid; return the series and each input's row."""
    start = min(weeks)
    rows = np.array([(w - start).days // 7 for w in weeks], dtype=np.int64)
    values = np.full(int(rows.max()) + 1, np.nan)
    values[rows] = np.asarray(counts, dtype=float)
    return WeeklySeries(start=start, counts=values), rows


def _parse_date(text: str, line: int, problems: list[Problem]) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(text)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
    except ValueError:
        problems.append(Problem(line, "week_start", "bad_date",
                                f"week_start {text!r} is not an ISO date (YYYY-MM-DD)"))
        return None
    if day.weekday() != 0:
        problems.append(Problem(line, "week_start", "not_monday",
                                f"week_start {text} is a {day.strftime('%A')}, not a Monday"))
        return None
    return day


def _parse_count(text: str, line: int, problems: list[Problem]) -> float | None:
    if text == "":
        return float("nan")  # an empty count is a missing week, like an absent row
    if not _NUM_RE.match(text):
        problems.append(Problem(line, "count", "bad_count", f"count {text!r} is not a number"))
        return None
    value = float(text)
    if not np.isfinite(value):
        problems.append(Problem(line, "count", "bad_count", f"count {text!r} is not a finite number"))
        return None
    if value < 0:
        problems.append(Problem(line, "count", "negative_count", f"count {text} is negative"))
        return None
    if value != int(value):
        problems.append(Problem(line, "count", "non_integer_count", f"count {text} is not a whole number"))
        return None
    return value


def parse_counts_csv(text: str) -> tuple[WeeklySeries, list[dt.date]]:
    """Parse ``week_start,count`` CSV text; return the regular series and the input weeks in input order.

    Extra columns are ignored.  Raises :class:`SeriesError` naming every offending line.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text))
    problems: list[Problem] = []
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise SeriesError([Problem(0, "", "empty", "the input is empty")]) from None
    missing = [c for c in ("week_start", "count") if c not in header]
    if missing:
        raise SeriesError([Problem(1, ",".join(missing), "missing_column",
                                   f"header lacks column(s) {', '.join(missing)} (need week_start,count)")])
    i_week, i_count = header.index("week_start"), header.index("count")
    weeks: list[dt.date] = []
    counts: list[float] = []
    seen: dict[dt.date, int] = {}
    for line_no, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) <= max(i_week, i_count):
            problems.append(Problem(line_no, "", "short_row", "row has too few fields"))
            continue
        day = _parse_date(row[i_week].strip(), line_no, problems)
        count = _parse_count(row[i_count].strip(), line_no, problems)
        if day is not None:
            if day in seen:
                problems.append(Problem(line_no, "week_start", "duplicate_week",
                                        f"week {day} already given on line {seen[day]}"))
                day = None
            else:
                seen[day] = line_no
        if day is not None and count is not None:
            weeks.append(day)
            counts.append(count)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise SeriesError(problems)
    if not weeks:
        raise SeriesError([Problem(0, "", "empty", "the input has no data rows")])
    series, _ = regularise(weeks, counts)
    return series, weeks


def read_counts_csv(path: str | Path) -> tuple[WeeklySeries, list[dt.date]]:
    """Read a ``week_start,count`` CSV file (UTF-8, optional BOM)."""
    return parse_counts_csv(Path(path).read_text(encoding="utf-8"))
