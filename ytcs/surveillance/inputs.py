"""What a surveillance write takes: typed inputs shared by the pages and the API.

The API's ninja schemas and the pages' forms parse types (a number, a date); each builds one of these and
hands it to the service, which checks what the values mean and raises
:class:`~ytcs.core.errors.DomainError` with the input's names as the API client sends them (``village_id``,
``lines.2.cases``). Places and people are named by id: the service looks them up through the user's scopes,
so the same refusal (404 outside, 403 where the role may not act) answers a page and the API alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ytcs.core.errors import DomainError
from ytcs.surveillance.models import Classification, LabResult, Outcome
from ytcs.surveillance.weeks import iso_week_start


@dataclass(frozen=True)
class CaseReportInput:
    """One case of a notifiable disease: a resident of the register, or an anonymous case with its place."""

    disease: str
    diagnosed_at: dt.datetime
    onset_date: dt.date | None = None
    reported_at: dt.datetime | None = None
    resident_id: int | None = None
    village_id: int | None = None
    commune_id: int | None = None
    age_years: int | None = None
    age_months: int | None = None
    sex: str = ""
    classification: str = Classification.SUSPECTED
    lab_test: str = ""
    lab_result: str = LabResult.NOT_TESTED
    hospitalised: bool = False
    outcome: str = Outcome.UNDER_TREATMENT
    notes: str = ""


@dataclass(frozen=True)
class CaseFollowUp:
    """What follow-up may change on a reported case; ``None`` leaves a field as it is."""

    classification: str | None = None
    lab_test: str | None = None
    lab_result: str | None = None
    hospitalised: bool | None = None
    outcome: str | None = None
    notes: str | None = None
    onset_date: dt.date | None = None

    def changes(self) -> dict[str, object]:
        return {name: value for name, value in vars(self).items() if value is not None}


@dataclass(frozen=True)
class WeeklyLine:
    """Cases and deaths of one disease in a weekly report."""

    disease: str
    cases: int
    deaths: int = 0


@dataclass(frozen=True)
class WeeklyReportInput:
    """A station's report for the ISO week starting ``week``; no lines says "no cases this week".

    ``unit_id`` names the station; by default the user's own (after a merger, the unit theirs became).
    """

    week: dt.date
    lines: tuple[WeeklyLine, ...] = ()
    unit_id: int | None = None

    @classmethod
    def from_iso(cls, iso_year: int, iso_week: int, **fields: object) -> WeeklyReportInput:
        """The report of ISO week ``iso_week`` of ``iso_year``; refused (``iso_week``) for a week that is none."""
        try:
            week = iso_week_start(iso_year, iso_week)
        except (ValueError, OverflowError) as exc:
            raise DomainError.one("iso_week", "invalid", _("Tuần ISO không tồn tại.")) from exc
        return cls(week=week, **fields)
