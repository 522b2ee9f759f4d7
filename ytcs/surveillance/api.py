"""JSON API of surveillance (/api/surveillance/): diseases, case reports, weekly reports, counts, signals.

Endpoints parse the body into the services' typed inputs and raise; the project's handlers
(``ytcs.core.api``) answer with the one error body ``{"errors": [{"field", "code", "message"}]}``: 422 for
input, 404 for a record, unit or resident outside what the caller can see, 403 where the caller can see it
but their role may not act. A date-time without a UTC offset is Vietnam time (:mod:`ytcs.core.datetimes`).
"""

import datetime as dt
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import AfterValidator

from ytcs.audit.context import AuditContext
from ytcs.core.api import ErrorOut
from ytcs.core.datetimes import LocalDateTime
from ytcs.surveillance import selectors, services
from ytcs.surveillance.diseases import group_on
from ytcs.surveillance.inputs import CaseReportInput, WeeklyLine, WeeklyReportInput
from ytcs.surveillance.models import Classification, Disease, LabResult, Outcome
from ytcs.surveillance.weeks import last_complete_week

router = Router(tags=["surveillance"])


def _no_nul(value: str) -> str:
    """Refuse a NUL character (422): no code or text holds one, and PostgreSQL cannot store or compare it."""
    if "\x00" in value:
        raise ValueError("NUL character")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
READ_ERRORS = {404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
_MAX_OFFSET = 1_000_000_000  # past it a page is empty anyway; a larger number would overflow the database


def _page(rows: QuerySet, limit: int, offset: int) -> QuerySet:
    """``limit`` rows (1 to 500) from ``offset``, both bounded."""
    start = min(max(offset, 0), _MAX_OFFSET)
    return rows[start: start + min(max(limit, 1), 500)]


class DiseaseOut(Schema):
    code: str
    name_vi: str
    name_en: str
    icd10: str
    group: str | None
    report_deadline_hours: int | None
    deadline_verified: bool
    reporting_mode: str
    detection_method: str


@router.get("/diseases", response={200: list[DiseaseOut], 422: ErrorOut})
def list_diseases(request: HttpRequest, on: dt.date | None = None) -> list[dict]:
    """The notifiable-disease list with each disease's group on ``on`` (default today; null = not listed)."""
    day = on or timezone.localdate()
    return [
        {**{f: getattr(d, f) for f in DiseaseOut.model_fields if f != "group"}, "group": group_on(d, day)}
        for d in Disease.objects.prefetch_related("group_history")
    ]


class CaseIn(Schema):
    disease: Text
    diagnosed_at: LocalDateTime
    onset_date: dt.date | None = None
    reported_at: LocalDateTime | None = None
    resident_id: int | None = None
    village_id: int | None = None
    commune_id: int | None = None
    age_years: int | None = None
    age_months: int | None = None
    sex: Text = ""
    classification: Text = Classification.SUSPECTED
    lab_test: Text = ""
    lab_result: Text = LabResult.NOT_TESTED
    hospitalised: bool = False
    outcome: Text = Outcome.UNDER_TREATMENT
    notes: Text = ""


class CaseOut(Schema):
    id: int
    disease: str
    commune_id: int
    village_id: int | None
    reporting_unit_id: int
    resident_id: int | None
    name: str
    age_years: int
    age_months: int | None
    sex: str
    onset_date: dt.date | None
    diagnosed_at: dt.datetime
    reported_at: dt.datetime
    week_start: dt.date
    classification: str
    lab_result: str
    hospitalised: bool
    outcome: str
    is_late: bool
    deadline_hours: int | None


def _case_out(row: selectors.LineListRow) -> dict:
    case = row.case
    fields = [f for f in CaseOut.model_fields if f not in ("disease", "name", "id", "resident_id")]
    return {**{f: getattr(case, f) for f in fields}, "id": case.pk, "disease": case.disease.code, "name": row.name,
            "resident_id": row.resident_id}


def _unit(request: HttpRequest, unit_id: int | None):  # noqa: ANN202 - OrgUnit or None
    return selectors.scoped_unit(request.user, unit_id) if unit_id is not None else None


@router.post("/cases", response={201: CaseOut, **WRITE_ERRORS})
def create_case(request: HttpRequest, payload: CaseIn) -> tuple[int, dict]:
    """Report a case into the caller's capture scope.

    ``resident_id`` must be a resident the caller may open, ``village_id``/``commune_id`` units they can see
    (404 otherwise); either outside the caller's capture scope is 403.
    """
    case = services.case_report_create(CaseReportInput(**payload.dict()), context=AuditContext.from_request(request))
    resident = case.resident
    row = selectors.LineListRow(case, resident.full_name if resident else "", resident.pk if resident else None)
    return Status(201, _case_out(row))


@router.get("/cases", response={200: list[CaseOut], **READ_ERRORS})
def list_cases(
    request: HttpRequest, disease: Text | None = None, unit_id: int | None = None, first_day: dt.date | None = None,
    last_day: dt.date | None = None, limit: int = 100, offset: int = 0,
) -> list[dict]:
    """Case reports in the caller's area, newest first (audited with every linked resident)."""
    disease_obj = get_object_or_404(Disease, code=disease) if disease else None
    cases = selectors.case_list(actor=request.user, disease=disease_obj, unit=_unit(request, unit_id),
                                first_day=first_day, last_day=last_day)
    rows = selectors.line_list_rows(list(_page(cases, limit, offset)), context=AuditContext.from_request(request))
    return [_case_out(r) for r in rows]


class LineIn(Schema):
    disease: Text
    cases: int
    deaths: int = 0


class WeeklyReportIn(Schema):
    iso_year: int
    iso_week: int
    unit_id: int | None = None
    lines: list[LineIn] = []


class WeeklyReportOut(Schema):
    id: int
    unit_id: int
    week_start: dt.date
    iso_year: int
    iso_week: int
    submitted_at: dt.datetime
    on_time: bool
    lines: int


@router.post("/weekly-reports", response={201: WeeklyReportOut, **WRITE_ERRORS})
def submit_weekly_report(request: HttpRequest, payload: WeeklyReportIn) -> tuple[int, dict]:
    """Submit a station's weekly report; an empty ``lines`` list is a zero report ("no cases this week").

    ``unit_id`` (default: the caller's station) must be one of the caller's own units: 404 for a unit they
    cannot see or that is not theirs, 403 for one they can see but may not report for.
    """
    lines = tuple(WeeklyLine(line.disease, line.cases, line.deaths) for line in payload.lines)
    report = services.weekly_report_submit(
        WeeklyReportInput.from_iso(payload.iso_year, payload.iso_week, lines=lines, unit_id=payload.unit_id),
        context=AuditContext.from_request(request),
    )
    return Status(201, {**{f: getattr(report, f) for f in WeeklyReportOut.model_fields if f != "lines"},
                        "lines": report.lines.count()})


class WeekCountOut(Schema):
    week_start: dt.date
    count: int


@router.get("/weekly-counts", response={200: list[WeekCountOut], **READ_ERRORS})
def weekly_counts(
    request: HttpRequest, unit_id: int | None = None, disease: Text | None = None, weeks: int = 52,
) -> list[dict]:
    """Cases per ISO week in a unit's area (aggregate: no personal data), ending last week."""
    unit = selectors.scoped_unit(request.user, unit_id)
    disease_obj = get_object_or_404(Disease, code=disease) if disease else None
    last = last_complete_week(timezone.localdate())
    points = selectors.epi_curve_weekly(actor=request.user, unit=unit, disease=disease_obj,
                                        first_week=last - dt.timedelta(weeks=min(max(weeks, 1), 520) - 1),
                                        last_week=last)
    return [{"week_start": w, "count": n} for w, n in points]


class SignalOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    disease: str
    week_start: dt.date
    method: str
    count: int
    expected: float | None
    upperbound: float | None
    status: str
    case_ids: list[int]


def _signal_out(signal: object) -> dict:
    return {
        "id": signal.pk, "unit_id": signal.unit_id, "unit_name": signal.unit.name, "disease": signal.disease.code,
        "week_start": signal.week_start, "method": signal.method, "count": signal.count,
        "expected": signal.expected, "upperbound": signal.upperbound, "status": signal.status,
        "case_ids": [c.pk for c in signal.cases.all()],
    }


@router.get("/signals", response={200: list[SignalOut], **READ_ERRORS})
def list_signals(
    request: HttpRequest, status: Text | None = None, disease: Text | None = None, unit_id: int | None = None,
    limit: int = 100, offset: int = 0,
) -> list[dict]:
    disease_obj = get_object_or_404(Disease, code=disease) if disease else None
    signals = selectors.signal_list(actor=request.user, status=status, disease=disease_obj,
                                    unit=_unit(request, unit_id)).prefetch_related("cases")
    return [_signal_out(s) for s in _page(signals, limit, offset)]


class ReviewIn(Schema):
    to_status: Text
    note: Text = ""


@router.post("/signals/{signal_id}/review", response={200: SignalOut, **WRITE_ERRORS})
def review_signal(request: HttpRequest, signal_id: int, payload: ReviewIn) -> tuple[int, dict]:
    """Move a signal to ``to_status`` (allowed transitions only): 404 outside the caller's area, 403 for a
    role that may not review (province users review)."""
    context = AuditContext.from_request(request)
    signal = selectors.get_signal_for(signal_id, context=context)
    services.signal_review(signal, to_status=payload.to_status, note=payload.note, context=context)
    signal.refresh_from_db()
    return Status(200, _signal_out(signal))
