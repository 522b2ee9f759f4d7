"""Writes of the surveillance app: case reports, weekly reports, alerts and signal reviews.

Each function validates its input (raising ``ValidationError`` keyed by field,
in the user's language), writes in one transaction, keeps ``WeeklyCount`` in
step and leaves an audit row.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ytcs.accounts.models import Role, User
from ytcs.accounts.scope import aggregate_scope, capture_scope, effective_unit
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.orgunits.models import OrgUnit
from ytcs.surveillance import conf
from ytcs.surveillance.counts import refresh_cells
from ytcs.surveillance.diseases import group_on
from ytcs.surveillance.models import (
    AggregateReport,
    Alert,
    CaseReport,
    Classification,
    Disease,
    LabResult,
    Outcome,
    ReportingMode,
    Signal,
    SignalReview,
    SignalStatus,
    WeeklyReport,
)
from ytcs.surveillance.weeks import week_start as monday_of

_CLOCK_SKEW = dt.timedelta(minutes=5)
REVIEWER_ROLES = {Role.PROVINCIAL}
SIGNAL_TRANSITIONS: dict[str, set[str]] = {
    SignalStatus.NEW: {SignalStatus.INVESTIGATING, SignalStatus.FALSE_ALARM},
    SignalStatus.INVESTIGATING: {SignalStatus.CONFIRMED, SignalStatus.FALSE_ALARM},
    SignalStatus.FALSE_ALARM: {SignalStatus.INVESTIGATING},
    SignalStatus.CONFIRMED: set(),
}
_NOTE_REQUIRED = {SignalStatus.CONFIRMED, SignalStatus.FALSE_ALARM}
_FOLLOW_UP_FIELDS = ("classification", "lab_test", "lab_result", "hospitalised", "outcome", "notes", "onset_date")


def resolve_disease(code: str, *, on: dt.date, field: str = "disease") -> Disease:
    """The listed disease ``code`` on day ``on``; ``ValidationError`` naming the reason otherwise."""
    disease = Disease.objects.prefetch_related("group_history").filter(code=code).first()
    if disease is None:
        raise ValidationError({field: _("Bệnh “%(code)s” không có trong danh mục bệnh truyền nhiễm phải báo cáo.")
                               % {"code": code}})
    if group_on(disease, on) is None:
        raise ValidationError({field: _("Bệnh “%(name)s” chưa có trong danh mục vào ngày %(day)s.")
                               % {"name": disease.name, "day": on.strftime("%d/%m/%Y")}})
    if disease.reporting_mode == ReportingMode.SEPARATE:
        raise ValidationError({field: _("Bệnh “%(name)s” được báo cáo theo chế độ riêng, không qua mẫu này.")
                               % {"name": disease.name}})
    return disease


def _age_at(birth: dt.date, day: dt.date) -> tuple[int, int]:
    months = (day.year - birth.year) * 12 + day.month - birth.month - (day.day < birth.day)
    months = max(months, 0)
    return months // 12, months % 12


def _valid_place(village: OrgUnit | None, commune: OrgUnit | None) -> bool:
    """A current village, or a current commune that has no villages on file."""
    if village is not None:
        return village.level == OrgUnit.Level.VILLAGE and village.valid_to is None
    if commune is None or commune.level != OrgUnit.Level.COMMUNE or commune.valid_to is not None:
        return False
    return not OrgUnit.objects.filter(parent=commune, level=OrgUnit.Level.VILLAGE, valid_to__isnull=True).exists()


def _require_capture(actor: User, unit: OrgUnit) -> None:
    if not capture_scope(actor).covers(unit):
        raise PermissionDenied(_("Bạn không được nhập số liệu cho đơn vị này."))


@transaction.atomic
def case_report_create(
    *,
    actor: User,
    disease: str,
    diagnosed_at: dt.datetime,
    resident: Any = None,
    village: OrgUnit | None = None,
    commune: OrgUnit | None = None,
    age_years: int | None = None,
    age_months: int | None = None,
    sex: str = "",
    onset_date: dt.date | None = None,
    reported_at: dt.datetime | None = None,
    reporting_unit: OrgUnit | None = None,
    classification: str = Classification.SUSPECTED,
    lab_test: str = "",
    lab_result: str = LabResult.NOT_TESTED,
    hospitalised: bool = False,
    outcome: str = Outcome.UNDER_TREATMENT,
    notes: str = "",
    request: HttpRequest | None = None,
) -> CaseReport:
    """Record one case; raise an immediate alert for a disease on the 24-hour list.

    ``resident`` must already have been opened through ``get_resident_for`` (so
    it is in the actor's scope). Without a resident the case is anonymous and
    needs age, sex and village (or the commune, when it has no villages on
    file). The report is late when it is entered after the disease's 24/48-hour
    deadline counted from diagnosis.
    """
    now = timezone.now()
    reported_at = reported_at or now
    reporting_unit = reporting_unit or effective_unit(actor)
    if reporting_unit is None:
        raise PermissionDenied(_("Tài khoản chưa gắn với đơn vị nào."))
    _require_capture(actor, reporting_unit)
    report_day = timezone.localdate(reported_at)
    errors: dict[str, list[str]] = {}
    try:
        disease_obj = resolve_disease(disease, on=report_day)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        disease_obj = None
    if reported_at > now + _CLOCK_SKEW:
        errors.setdefault("reported_at", []).append(_("Thời điểm báo cáo không được ở tương lai."))
    if diagnosed_at > reported_at:
        errors.setdefault("diagnosed_at", []).append(_("Thời điểm chẩn đoán phải trước thời điểm báo cáo."))
    if onset_date is not None:
        if onset_date > timezone.localdate(now):
            errors.setdefault("onset_date", []).append(_("Ngày khởi phát không được ở tương lai."))
        elif onset_date > report_day:
            errors.setdefault("onset_date", []).append(
                _("Ngày khởi phát (%(onset)s) sau ngày báo cáo (%(report)s).")
                % {"onset": onset_date.strftime("%d/%m/%Y"), "report": report_day.strftime("%d/%m/%Y")}
            )
        elif onset_date > timezone.localdate(diagnosed_at):
            errors.setdefault("onset_date", []).append(_("Ngày khởi phát sau ngày chẩn đoán."))
    if resident is not None:
        commune, village = resident.commune, resident.village
        sex = resident.sex
        age_years, age_months = _age_at(resident.birth_date, onset_date or timezone.localdate(diagnosed_at))
    else:
        if village is not None:
            commune = village.parent
        if not _valid_place(village, commune):
            errors.setdefault("village", []).append(_("Ca bệnh không gắn với người dân cần có thôn/bản nơi ở."))
        if sex not in ("M", "F"):
            errors.setdefault("sex", []).append(_("Ca bệnh không gắn với người dân cần có giới tính."))
        if age_years is None or not 0 <= age_years <= 120:
            errors.setdefault("age_years", []).append(_("Tuổi phải từ 0 đến 120."))
        if age_months is not None and not 0 <= age_months <= 11:
            errors.setdefault("age_months", []).append(_("Tháng tuổi phải từ 0 đến 11."))
    if classification not in Classification.values:
        errors.setdefault("classification", []).append(_("Phân loại không hợp lệ."))
    if errors:
        raise ValidationError(errors)
    case = CaseReport(
        disease=disease_obj, reporting_unit=reporting_unit, commune=commune, village=village, resident=resident,
        age_years=age_years, age_months=age_months, sex=sex, onset_date=onset_date, diagnosed_at=diagnosed_at,
        reported_at=reported_at, week_start=monday_of(onset_date or report_day), classification=classification,
        lab_test=lab_test, lab_result=lab_result, hospitalised=hospitalised, outcome=outcome, notes=notes,
        deadline_hours=disease_obj.report_deadline_hours, created_by=actor,
    )
    case.is_late = case.deadline_at is not None and reported_at > case.deadline_at
    case.full_clean(exclude=["created_by", "resident", "disease", "reporting_unit", "commune", "village"])
    case.save()
    refresh_cells([(case.commune_id, case.disease_id, case.week_start)])
    if disease_obj.is_immediate:
        Alert.objects.create(case=case, disease=disease_obj, commune=commune, deadline_at=case.deadline_at)
    audit_record(
        actor=actor, action=AuditAction.CREATE, resource_type="surveillance.CaseReport", resource_id=case.pk,
        subject_ids=[resident.pk] if resident is not None else [], request=request,
        changes={"disease": [None, disease_obj.code], "is_late": [None, case.is_late]},
    )
    return case


@transaction.atomic
def case_report_update(
    *, actor: User, case: CaseReport, changes: dict[str, Any], request: HttpRequest | None = None
) -> CaseReport:
    """Record follow-up on a case (classification, lab result, outcome...); recounts the weeks it touches."""
    _require_capture(actor, case.reporting_unit)
    unknown = set(changes) - set(_FOLLOW_UP_FIELDS)
    if unknown:
        raise ValidationError({field: _("Không sửa được trường này.") for field in sorted(unknown)})
    case = CaseReport.objects.select_for_update().get(pk=case.pk)
    before_cell = (case.commune_id, case.disease_id, case.week_start)
    diff = {f: [str(getattr(case, f)), str(v)] for f, v in changes.items() if getattr(case, f) != v}
    for field, value in changes.items():
        setattr(case, field, value)
    onset = case.onset_date
    if onset is not None and (onset > timezone.localdate(case.reported_at) or onset > timezone.localdate()):
        raise ValidationError({"onset_date": _("Ngày khởi phát (%(onset)s) sau ngày báo cáo (%(report)s).") % {
            "onset": onset.strftime("%d/%m/%Y"), "report": timezone.localdate(case.reported_at).strftime("%d/%m/%Y")}})
    case.week_start = monday_of(onset or timezone.localdate(case.reported_at))
    case.full_clean(exclude=["created_by", "resident", "disease", "reporting_unit", "commune", "village"])
    case.save()
    refresh_cells([before_cell, (case.commune_id, case.disease_id, case.week_start)])
    audit_record(
        actor=actor, action=AuditAction.UPDATE, resource_type="surveillance.CaseReport", resource_id=case.pk,
        subject_ids=[case.resident_id] if case.resident_id else [], changes=diff, request=request,
    )
    return case


@transaction.atomic
def case_report_delete(*, actor: User, case: CaseReport, reason: str, request: HttpRequest | None = None) -> None:
    """Remove a case entered in error (the reason stays in the audit trail); recounts its week."""
    _require_capture(actor, case.reporting_unit)
    if not reason.strip():
        raise ValidationError({"reason": _("Cần ghi lý do xoá.")})
    case = CaseReport.objects.select_for_update().get(pk=case.pk)
    cell = (case.commune_id, case.disease_id, case.week_start)
    pk, resident_id = case.pk, case.resident_id
    case.signals.clear()
    case.delete()
    refresh_cells([cell])
    audit_record(
        actor=actor, action=AuditAction.DELETE, resource_type="surveillance.CaseReport", resource_id=pk,
        subject_ids=[resident_id] if resident_id else [], changes={"reason": [None, reason]}, request=request,
    )


def report_due_at(week: dt.date) -> dt.datetime:
    """When the weekly report of the week starting ``week`` is due (a setting: the national cut-off is NOT FOUND)."""
    weekday = int(conf.get("YTCS_SURVEILLANCE_REPORT_DUE_WEEKDAY"))
    hour = int(conf.get("YTCS_SURVEILLANCE_REPORT_DUE_HOUR"))
    day = week + dt.timedelta(days=7 + weekday)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@transaction.atomic
def weekly_report_submit(
    *,
    actor: User,
    week: dt.date,
    lines: dict[str, tuple[int, int]],
    unit: OrgUnit | None = None,
    submitted_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> WeeklyReport:
    """Submit (or correct) a station's weekly report; empty ``lines`` means "no cases this week".

    ``lines`` maps disease code to (cases, deaths). A correction replaces the
    lines but keeps the first submission time, which decides timeliness.
    """
    unit = unit or effective_unit(actor)
    if unit is None:
        raise PermissionDenied(_("Tài khoản chưa gắn với đơn vị nào."))
    _require_capture(actor, unit)
    now = submitted_at or timezone.now()
    errors: dict[str, list[str]] = {}
    if week.weekday() != 0:
        errors["week"] = [_("Tuần phải bắt đầu vào thứ Hai.")]
    elif week > monday_of(timezone.localdate(now)):
        errors["week"] = [_("Không báo cáo trước cho tuần chưa bắt đầu.")]
    diseases: dict[str, Disease] = {}
    for code, (cases, deaths) in lines.items():
        field = f"cases_{code}"
        try:
            diseases[code] = resolve_disease(code, on=week + dt.timedelta(days=6), field=field)
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        if cases < 0 or deaths < 0:
            errors[field] = [_("Số mắc và số tử vong không được âm.")]
    if errors:
        raise ValidationError(errors)
    iso = week.isocalendar()
    report, created = WeeklyReport.objects.select_for_update().get_or_create(
        unit=unit, week_start=week,
        defaults={"iso_year": iso.year, "iso_week": iso.week, "submitted_at": now, "submitted_by": actor,
                  "on_time": now <= report_due_at(week)},
    )
    touched = set(report.lines.values_list("disease_id", flat=True))
    report.lines.all().delete()
    AggregateReport.objects.bulk_create([
        AggregateReport(weekly_report=report, unit=unit, week_start=week, disease=diseases[code], cases=cases,
                        deaths=deaths)
        for code, (cases, deaths) in lines.items()
    ])
    if not created:
        report.save(update_fields=["updated_at"])
    touched |= {d.pk for d in diseases.values()}
    refresh_cells([(unit.pk, disease_id, week) for disease_id in touched])
    audit_record(
        actor=actor, action=AuditAction.CREATE if created else AuditAction.UPDATE,
        resource_type="surveillance.WeeklyReport", resource_id=report.pk, request=request,
        changes={"lines": [None, {code: list(v) for code, v in lines.items()}]},
    )
    return report


def _may_see(actor: User, unit: OrgUnit) -> bool:
    return aggregate_scope(actor).covers(unit)


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert, note: str = "", request: HttpRequest | None = None) -> Alert:
    """The province has seen the alert and taken it in hand."""
    if actor.role not in REVIEWER_ROLES or not _may_see(actor, alert.commune):
        raise Http404
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.acknowledged_at is None:
        alert.acknowledged_at, alert.acknowledged_by, alert.note = timezone.now(), actor, note
        alert.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
        audit_record(actor=actor, action=AuditAction.UPDATE, resource_type="surveillance.Alert",
                     resource_id=alert.pk, changes={"acknowledged": [False, True]}, request=request)
    return alert


@transaction.atomic
def signal_review(
    *, actor: User, signal: Signal, to_status: str, note: str = "", request: HttpRequest | None = None
) -> SignalReview:
    """Move a signal along new → investigating → confirmed / false alarm, recording who, when and why."""
    if not _may_see(actor, signal.unit):
        raise Http404
    if actor.role not in REVIEWER_ROLES:
        raise PermissionDenied(_("Chỉ cán bộ cấp tỉnh được xử lý tín hiệu."))
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if to_status not in SIGNAL_TRANSITIONS.get(signal.status, set()):
        raise ValidationError({"to_status": _("Không chuyển được từ “%(from)s” sang “%(to)s”.") % {
            "from": SignalStatus(signal.status).label, "to": dict(SignalStatus.choices).get(to_status, to_status)}})
    if to_status in _NOTE_REQUIRED and not note.strip():
        raise ValidationError({"note": _("Cần ghi nhận xét khi kết luận tín hiệu.")})
    review = SignalReview.objects.create(
        signal=signal, from_status=signal.status, to_status=to_status, by=actor, note=note.strip()
    )
    signal.status = to_status
    signal.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, resource_type="surveillance.Signal", resource_id=signal.pk,
                 changes={"status": [review.from_status, to_status]}, request=request)
    return review
