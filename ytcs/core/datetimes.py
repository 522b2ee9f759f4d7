"""Date-times arriving in API bodies: one rule for every app.

A date-time without a UTC offset (``"2025-01-01T00:00:00"``, what a spreadsheet, a form or a hand-written
client sends) is read as Vietnam time, the project's ``TIME_ZONE`` (Asia/Ho_Chi_Minh, UTC+7), the clock
the station's staff read it on; one with an offset keeps it. Either way the value is aware, so services can
compare it with ``timezone.now()`` instead of failing on a naive one.
"""

import datetime as dt
from typing import Annotated

from django.utils import timezone
from pydantic import AfterValidator, Field


def as_vietnam_time(value: dt.datetime) -> dt.datetime:
    """``value`` as it is when it has a UTC offset; otherwise the same wall-clock time in ``settings.TIME_ZONE``."""
    if timezone.is_aware(value):
        return value
    return timezone.make_aware(value, timezone.get_default_timezone())


# The type of every date-time field of an API input schema.
LocalDateTime = Annotated[
    dt.datetime,
    AfterValidator(as_vietnam_time),
    Field(description="ISO 8601; without a UTC offset it is Vietnam time (UTC+7)"),
]
