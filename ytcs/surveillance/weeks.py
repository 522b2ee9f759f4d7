"""ISO weeks (Monday start), the unit of every surveillance series."""

import datetime as dt


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
