"""ISO weeks (Monday start), the unit of every surveillance series: kept in :mod:`ytcs.core.periods`."""

from ytcs.core.periods import iso_week_start, last_complete_week, week_label, week_start  # noqa: F401
