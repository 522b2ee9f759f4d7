"""Surveillance settings with their defaults, overridable in Django settings or the environment.

The national cut-off for the weekly aggregate report is NOT FOUND in our sources
(vn-domain.md §7.2), so it is a setting: by default a week's report is on time
when it arrives before Monday 17:00 following the reported week.
"""

import os
from typing import Any

from django.conf import settings

_DEFAULTS: dict[str, Any] = {
    # Weekday (0 = Monday) and hour after the end of the reported ISO week by which the weekly report is due.
    "YTCS_SURVEILLANCE_REPORT_DUE_WEEKDAY": 0,
    "YTCS_SURVEILLANCE_REPORT_DUE_HOUR": 17,
    # Detection method used for a disease that names none in diseases.csv.
    "YTCS_SURVEILLANCE_DEFAULT_METHOD": "farrington-flexible",
    # Processes for the detection engine (0 = one per available core).
    "YTCS_SURVEILLANCE_WORKERS": 0,
    # Weeks shown on an epidemic curve by default.
    "YTCS_SURVEILLANCE_CURVE_WEEKS": 52,
}


def get(name: str) -> Any:
    """The setting ``name``: Django settings first, then the environment, then the default."""
    if hasattr(settings, name):
        return getattr(settings, name)
    default = _DEFAULTS[name]
    raw = os.environ.get(name)
    if raw is None:
        return default
    return type(default)(raw)
