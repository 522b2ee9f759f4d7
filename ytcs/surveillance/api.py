"""JSON API of surveillance (/api/surveillance/): diseases, case reports, weekly reports, counts, signals.

Invalid input answers 422 with ``{"errors": [{"field": ..., "message": ...}]}``;
records outside the caller's scope answer 404. A date-time without a UTC offset is Vietnam time
(:mod:`ytcs.core.datetimes`).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from ytcs.core.datetimes import LocalDateTime
from ytcs.people.access import get_resident_for
from ytcs.surveillance import selectors, services
from ytcs.surveillance.diseases import group_on
from ytcs.surveillance.models import Classification, Disease, LabResult, Outcome
from ytcs.surveillance.weeks import iso_week_start, last_complete_week

router = Router(tags=["surveillance"])


class FieldError(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    errors: list[FieldError]


def _errors(exc: ValidationError) -> dict:
    return {"errors": [{"field": f, "message": m} for f, ms in exc.message_dict.items() for m in ms]}


def _forbidden(exc: PermissionDenied) -> HttpError:
    return HttpError(403, str(exc) or "forbidden")


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


@router.get("/diseases", response=list[DiseaseOut])
def list_diseases(request: HttpRequest, on: dt.date | None = None) -> list[dict]:
    """The notifiable-disease list with each disease's group on ``on`` (default today; null = not listed)."""
    day = on or timezone.localdate()
    return [
        {**{f: getattr(d, f) for f in DiseaseOut.model_fields if f != "group"}, "group": group_on(d, day)}
        for d in Disease.objects.prefetch_related("group_history")
    ]


class CaseIn(Schema):
    disease: str
    diagnosed_at: LocalDateTime
    onset_date: dt.date | None = None
    reported_at: LocalDateTime | None = None
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


@router.post("/cases", response={201: CaseOut, 422: ErrorOut})
def create_case(request: HttpRequest, payload: CaseIn) -> tuple[int, dict]:
    """Report a case. ``resident_id`` must be a resident the caller may open (404 otherwise)."""
    from ytcs.orgunits.models import OrgUnit

    user = request.user
    data = payload.dict()
    resident_id, village_id, commune_id = (data.pop(k) for k in ("resident_id", "village_id", "commune_id"))
    resident = get_resident_for(user, resident_id) if resident_id else None
    village = OrgUnit.objects.filter(pk=village_id).first() if village_id else None
    commune = OrgUnit.objects.filter(pk=commune_id).first() if commune_id else None
    try:
        case = services.case_report_create(actor=user, resident=resident, village=village, commune=commune,
                                           request=request, **data)
    except ValidationError as exc:
        return Status(422, _errors(exc))
    except PermissionDenied as exc:
        raise _forbidden(exc) from exc
    row = selectors.LineListRow(case, resident.full_name if resident else "", resident.pk if resident else None)
    return Status(201, _case_out(row))


@router.get("/cases", response=list[CaseOut])
def list_cases(
    request: HttpRequest, disease: str | None = None, unit_id: int | None = None, first_day: dt.date | None = None,
    last_day: dt.date | None = None, limit: int = 100, offset: int = 0,
) -> list[dict]:
    """Case reports in the caller's area, newest first (audited with every linked resident)."""
    disease_obj = get_object_or_404(Disease, code=disease) if disease else None
    cases = selectors.case_list(actor=request.user, disease=disease_obj, unit=_unit(request, unit_id),
                                first_day=first_day, last_day=last_day)
    page = list(cases[max(offset, 0): max(offset, 0) + min(max(limit, 1), 500)])
    return [_case_out(r) for r in selectors.line_list_rows(actor=request.user, cases=page, request=request)]


class LineIn(Schema):
    disease: str
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


@router.post("/weekly-reports", response={201: WeeklyReportOut, 422: ErrorOut})
def submit_weekly_report(request: HttpRequest, payload: WeeklyReportIn) -> tuple[int, dict]:
    """Submit a station's weekly report; an empty ``lines`` list is a zero report ("no cases this week")."""
    try:
        week = iso_week_start(payload.iso_year, payload.iso_week)
    except ValueError:
        return Status(422, {"errors": [{"field": "iso_week", "message": _("Tuần ISO không tồn tại.")}]})
    unit = _unit(request, payload.unit_id)
    try:
        report = services.weekly_report_submit(
            actor=request.user, week=week, unit=unit, request=request,
            lines={line.disease: (line.cases, line.deaths) for line in payload.lines},
        )
    except ValidationError as exc:
        return Status(422, _errors(exc))
    except PermissionDenied as exc:
        raise _forbidden(exc) from exc
    return Status(201, {**{f: getattr(report, f) for f in WeeklyReportOut.model_fields if f != "lines"},
                        "lines": report.lines.count()})


class WeekCountOut(Schema):
    week_start: dt.date
    count: int


@router.get("/weekly-counts", response=list[WeekCountOut])
def weekly_counts(
    request: HttpRequest, unit_id: int | None = None, disease: str | None = None, weeks: int = 52,
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


@router.get("/signals", response=list[SignalOut])
def list_signals(
    request: HttpRequest, status: str | None = None, disease: str | None = None, unit_id: int | None = None,
    limit: int = 100, offset: int = 0,
) -> list[dict]:
    disease_obj = get_object_or_404(Disease, code=disease) if disease else None
    signals = selectors.signal_list(actor=request.user, status=status, disease=disease_obj,
                                    unit=_unit(request, unit_id)).prefetch_related("cases")
    return [_signal_out(s) for s in signals[max(offset, 0): max(offset, 0) + min(max(limit, 1), 500)]]


class ReviewIn(Schema):
    to_status: str
    note: str = ""


@router.post("/signals/{signal_id}/review", response={200: SignalOut, 422: ErrorOut})
def review_signal(request: HttpRequest, signal_id: int, payload: ReviewIn) -> tuple[int, dict]:
    """Move a signal to ``to_status`` (province users; allowed transitions only)."""
    signal = selectors.get_signal_for(request.user, signal_id)
    try:
        services.signal_review(actor=request.user, signal=signal, to_status=payload.to_status, note=payload.note,
                               request=request)
    except ValidationError as exc:
        return Status(422, _errors(exc))
    except PermissionDenied as exc:
        raise _forbidden(exc) from exc
    return Status(200, _signal_out(selectors.get_signal_for(request.user, signal_id)))
