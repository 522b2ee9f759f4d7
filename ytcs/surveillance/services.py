"""Writes of the surveillance app: case reports, weekly reports, alerts and signal reviews.

Each function takes a typed input (``inputs.py``) and the :class:`~ytcs.audit.context.AuditContext` of who
acts, refuses by the rule of ``access.py`` (404 outside what the user can see, 403 where the role may not
act), checks what the values mean (raising :class:`~ytcs.core.errors.DomainError` with every problem found,
in the user's language), writes in one transaction, keeps ``WeeklyCount`` in step and leaves an audit row.
Refusals are decided before the transaction opens, so their ``denied`` audit rows are not rolled back with it.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from ytcs.accounts.models import Role
from ytcs.accounts.scope import capture_scope, effective_unit
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.errors import DomainError, FieldError, NotAllowed
from ytcs.orgunits.models import OrgUnit
from ytcs.surveillance import conf
from ytcs.surveillance.access import audit_refusal, require_capture, visible_resident, visible_unit
from ytcs.surveillance.counts import refresh_cells
from ytcs.surveillance.diseases import group_on
from ytcs.surveillance.inputs import CaseFollowUp, CaseReportInput, WeeklyReportInput
from ytcs.surveillance.models import (
    AggregateReport,
    Alert,
    CaseReport,
    Disease,
    ReportingMode,
    Signal,
    SignalReview,
    SignalStatus,
    WeeklyReport,
)
from ytcs.surveillance.validation import (
    EARLIEST_DAY,
    check_case,
    check_follow_up,
    check_weekly_lines,
    earliest_moment,
)
from ytcs.surveillance.weeks import week_start as monday_of

REVIEWER_ROLES = {Role.PROVINCIAL}
SIGNAL_TRANSITIONS: dict[str, set[str]] = {
    SignalStatus.NEW: {SignalStatus.INVESTIGATING, SignalStatus.FALSE_ALARM},
    SignalStatus.INVESTIGATING: {SignalStatus.CONFIRMED, SignalStatus.FALSE_ALARM},
    SignalStatus.FALSE_ALARM: {SignalStatus.INVESTIGATING},
    SignalStatus.CONFIRMED: set(),
}
_NOTE_REQUIRED = {SignalStatus.CONFIRMED, SignalStatus.FALSE_ALARM}
_CASE_RELATIONS = ["created_by", "resident", "disease", "reporting_unit", "commune", "village"]


def resolve_disease(code: str, *, on: dt.date, field: str = "disease") -> Disease:
    """The listed disease ``code`` on day ``on``; a ``DomainError`` naming the reason otherwise."""
    disease = Disease.objects.prefetch_related("group_history").filter(code=code).first()
    if disease is None:
        raise DomainError.one(field, "unknown_code", _(
            "Bệnh “%(code)s” không có trong danh mục bệnh truyền nhiễm phải báo cáo.") % {"code": code})
    if group_on(disease, on) is None:
        raise DomainError.one(field, "not_listed", _("Bệnh “%(name)s” chưa có trong danh mục vào ngày %(day)s.")
                              % {"name": disease.name, "day": on.strftime("%d/%m/%Y")})
    if disease.reporting_mode == ReportingMode.SEPARATE:
        raise DomainError.one(field, "separate_regime", _(
            "Bệnh “%(name)s” được báo cáo theo chế độ riêng, không qua mẫu này.") % {"name": disease.name})
    return disease


def _age_at(birth: dt.date, day: dt.date) -> tuple[int, int]:
    months = (day.year - birth.year) * 12 + day.month - birth.month - (day.day < birth.day)
    months = max(months, 0)
    return months // 12, months % 12


def _full_clean(instance: Model, exclude: list[str]) -> None:
    """The model's own checks, as the project's errors (the services check first; this is the backstop)."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise DomainError(FieldError(field, "invalid", message) for field, messages in exc.message_dict.items()
                          for message in messages) from exc


def _case_places(report: CaseReportInput, context: AuditContext):  # noqa: ANN202 - (resident, village, commune, unit)
    """Everything the report names, looked up through the user's scopes: 404 first, then 403.

    Whatever lies outside what the user can see answers 404 before anything they can see but may not
    report into answers 403, so a refusal never tells which of several named places exists.
    """
    kind = ResourceType.CASE_REPORT
    resident = visible_resident(context, report.resident_id) if report.resident_id is not None else None
    village = commune = None
    if report.village_id is not None:
        village = visible_unit(context, report.village_id, resource_type=kind, field="village")
    if report.commune_id is not None:
        commune = visible_unit(context, report.commune_id, resource_type=kind, field="commune")
    reporting_unit = effective_unit(context.actor)
    if reporting_unit is None:
        raise NotAllowed(_("Tài khoản chưa gắn với đơn vị nào."))
    if resident is not None:
        require_capture(context, resident.village or resident.commune, resource_type=kind,
                        subject_ids=[resident.pk])
    for field, unit in (("village", village), ("commune", commune), ("reporting_unit", reporting_unit)):
        if unit is not None:
            require_capture(context, unit, resource_type=kind, changes={field: unit.pk})
    return resident, village, commune, reporting_unit


def case_report_create(report: CaseReportInput, *, context: AuditContext) -> CaseReport:
    """Record one case; raise an immediate alert for a disease on the 24-hour list.

    A resident must be one the user may open and report on; without one the case is anonymous and needs
    age, sex and village (or the commune, when it has no villages on file), all in the user's capture
    scope. The report is late when it is entered after the disease's 24/48-hour deadline counted from
    diagnosis.
    """
    resident, village, commune, reporting_unit = _case_places(report, context)
    reported_at = report.reported_at or timezone.now()
    errors: list[FieldError] = []
    disease = None
    listed_on = timezone.localdate(min(max(reported_at, earliest_moment()), timezone.now()))  # even if refused
    try:
        disease = resolve_disease(report.disease, on=listed_on)
    except DomainError as exc:
        errors.extend(exc.errors)
    errors.extend(check_case(report, reported_at, resident=resident, village=village, commune=commune))
    if errors:
        raise DomainError(errors)
    onset, report_day = report.onset_date, timezone.localdate(reported_at)
    if resident is not None:
        commune, village, sex = resident.commune, resident.village, resident.sex
        age_years, age_months = _age_at(resident.birth_date, onset or timezone.localdate(report.diagnosed_at))
    else:
        commune = village.parent if village is not None else commune
        sex, age_years, age_months = report.sex, report.age_years, report.age_months
    case = CaseReport(
        disease=disease, reporting_unit=reporting_unit, commune=commune, village=village, resident=resident,
        age_years=age_years, age_months=age_months, sex=sex, onset_date=onset, diagnosed_at=report.diagnosed_at,
        reported_at=reported_at, week_start=monday_of(onset or report_day), classification=report.classification,
        lab_test=report.lab_test, lab_result=report.lab_result, hospitalised=report.hospitalised,
        outcome=report.outcome, notes=report.notes, deadline_hours=disease.report_deadline_hours,
        created_by=context.actor,
    )
    case.is_late = case.deadline_at is not None and reported_at > case.deadline_at
    _full_clean(case, _CASE_RELATIONS)
    changes = {"disease": [None, disease.code], "is_late": [None, case.is_late]}
    with transaction.atomic():
        case.save()
        refresh_cells([(case.commune_id, case.disease_id, case.week_start)])
        if disease.is_immediate:
            Alert.objects.create(case=case, disease=disease, commune=commune, deadline_at=case.deadline_at)
            changes["alert"] = [None, True]
        audit_record(
            context=context, action=AuditAction.CREATE, resource_type=ResourceType.CASE_REPORT,
            resource_id=case.pk, subject_ids=[resident.pk] if resident is not None else [], changes=changes,
        )
    return case


def check_may_follow_up(case: CaseReport, *, context: AuditContext) -> None:
    """403 (audited, naming the person) when the user, who can see ``case``, may not correct it.

    A case is corrected by the station that reported it: its reporting unit must be in the capture scope.
    """
    if not capture_scope(context.actor).covers(case.reporting_unit):
        audit_refusal(context, ResourceType.CASE_REPORT, resource_id=case.pk, subject_ids=[case.resident_id])
        raise NotAllowed(_("Chỉ trạm đã báo cáo ca bệnh được cập nhật ca bệnh này."))


def case_report_update(case: CaseReport, follow_up: CaseFollowUp, *, context: AuditContext) -> CaseReport:
    """Record follow-up on a case (classification, lab result, outcome...); recounts the weeks it touches."""
    check_may_follow_up(case, context=context)
    with transaction.atomic():
        return _update_case(case, follow_up, context)


def _update_case(case: CaseReport, follow_up: CaseFollowUp, context: AuditContext) -> CaseReport:
    case = CaseReport.objects.select_for_update().get(pk=case.pk)
    errors = check_follow_up(case, follow_up)
    if errors:
        raise DomainError(errors)
    changes = follow_up.changes()
    before_cell = (case.commune_id, case.disease_id, case.week_start)
    diff = {f: [str(getattr(case, f)), str(v)] for f, v in changes.items() if getattr(case, f) != v}
    for field, value in changes.items():
        setattr(case, field, value)
    case.week_start = monday_of(case.onset_date or timezone.localdate(case.reported_at))
    _full_clean(case, _CASE_RELATIONS)
    case.save()
    refresh_cells([before_cell, (case.commune_id, case.disease_id, case.week_start)])
    audit_record(
        context=context, action=AuditAction.UPDATE, resource_type=ResourceType.CASE_REPORT, resource_id=case.pk,
        subject_ids=[case.resident_id] if case.resident_id else [], changes=diff,
    )
    return case


def case_report_delete(case: CaseReport, *, reason: str, context: AuditContext) -> None:
    """Remove a case entered in error (the reason stays in the audit trail); recounts its week."""
    check_may_follow_up(case, context=context)
    if not reason.strip():
        raise DomainError.one("reason", "required", _("Cần ghi lý do xoá."))
    with transaction.atomic():
        case = CaseReport.objects.select_for_update().get(pk=case.pk)
        cell = (case.commune_id, case.disease_id, case.week_start)
        pk, resident_id = case.pk, case.resident_id
        case.signals.clear()
        case.delete()
        refresh_cells([cell])
        audit_record(
            context=context, action=AuditAction.DELETE, resource_type=ResourceType.CASE_REPORT, resource_id=pk,
            subject_ids=[resident_id] if resident_id else [], changes={"reason": [None, reason]},
        )


def report_due_at(week: dt.date) -> dt.datetime:
    """When the weekly report of the week starting ``week`` is due (a setting: the national cut-off is NOT FOUND)."""
    weekday = int(conf.get("YTCS_SURVEILLANCE_REPORT_DUE_WEEKDAY"))
    hour = int(conf.get("YTCS_SURVEILLANCE_REPORT_DUE_HOUR"))
    day = week + dt.timedelta(days=7 + weekday)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def weekly_report_unit(unit_id: int | str | None, *, context: AuditContext) -> OrgUnit:
    """The unit a weekly report is for: by default the user's station (after a merger, the unit theirs became).

    A named unit is checked like every place a report names: 404 outside what the user can see, 403 when they
    can see it but it lies outside their capture scope (a provincial viewer naming one of their communes).
    A unit that no longer exists takes no report.
    """
    kind = ResourceType.WEEKLY_REPORT
    if unit_id is None or str(unit_id).strip() == "":
        unit = effective_unit(context.actor)
        if unit is None:
            raise NotAllowed(_("Tài khoản chưa gắn với đơn vị nào."))
    else:
        unit = visible_unit(context, unit_id, resource_type=kind, field="unit")
    if not unit.is_current:
        raise DomainError.one("unit_id", "invalid", _("Đơn vị này không còn hiện hành."))
    require_capture(context, unit, resource_type=kind, changes={"unit": unit.pk})
    return unit


def weekly_report_submit(
    report: WeeklyReportInput, *, context: AuditContext, submitted_at: dt.datetime | None = None
) -> WeeklyReport:
    """Submit (or correct) a station's weekly report; no lines means "no cases this week".

    A correction replaces the lines but keeps the first submission time, which decides timeliness.
    """
    unit = weekly_report_unit(report.unit_id, context=context)
    week, now = report.week, submitted_at or timezone.now()
    errors: list[FieldError] = []
    if week.weekday() != 0:
        errors.append(FieldError("week", "invalid", _("Tuần phải bắt đầu vào thứ Hai.")))
    elif week < EARLIEST_DAY:
        errors.append(FieldError("week", "out_of_range", _("Ngày phải từ %(day)s trở về sau.")
                                 % {"day": EARLIEST_DAY.strftime("%d/%m/%Y")}))
    elif week > monday_of(timezone.localdate(now)):
        errors.append(FieldError("week", "in_future", _("Không báo cáo trước cho tuần chưa bắt đầu.")))
    diseases: dict[str, Disease] = {}
    for index, line in enumerate(report.lines):
        try:
            diseases[line.disease] = resolve_disease(line.disease, on=week + dt.timedelta(days=6),
                                                     field=f"lines.{index}.disease")
        except DomainError as exc:
            errors.extend(exc.errors)
    errors.extend(check_weekly_lines(report.lines))
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        return _store_weekly_report(report, unit, diseases, now, context)


def _store_weekly_report(
    report: WeeklyReportInput, unit: OrgUnit, diseases: dict[str, Disease], now: dt.datetime, context: AuditContext
) -> WeeklyReport:
    week = report.week
    iso = week.isocalendar()
    weekly, created = WeeklyReport.objects.select_for_update().get_or_create(
        unit=unit, week_start=week,
        defaults={"iso_year": iso.year, "iso_week": iso.week, "submitted_at": now, "submitted_by": context.actor,
                  "on_time": now <= report_due_at(week)},
    )
    touched = set(weekly.lines.values_list("disease_id", flat=True))
    weekly.lines.all().delete()
    AggregateReport.objects.bulk_create([
        AggregateReport(weekly_report=weekly, unit=unit, week_start=week, disease=diseases[line.disease],
                        cases=line.cases, deaths=line.deaths)
        for line in report.lines
    ])
    if not created:
        weekly.save(update_fields=["updated_at"])
    touched |= {d.pk for d in diseases.values()}
    refresh_cells([(unit.pk, disease_id, week) for disease_id in touched])
    audit_record(
        context=context, action=AuditAction.CREATE if created else AuditAction.UPDATE,
        resource_type=ResourceType.WEEKLY_REPORT, resource_id=weekly.pk,
        changes={"lines": [None, {line.disease: [line.cases, line.deaths] for line in report.lines}]},
    )
    return weekly


def check_may_review(record: Signal | Alert, *, context: AuditContext) -> None:
    """403 (audited) when the user, who can see the signal or alert, may not review or acknowledge it."""
    if getattr(context.actor, "role", None) not in REVIEWER_ROLES:
        audit_refusal(context, ResourceType.of(record), resource_id=record.pk)
        if isinstance(record, Signal):
            raise NotAllowed(_("Chỉ cán bộ cấp tỉnh được xử lý tín hiệu."))
        raise NotAllowed(_("Chỉ cán bộ cấp tỉnh được xác nhận cảnh báo."))


def alert_acknowledge(alert: Alert, *, note: str = "", context: AuditContext) -> Alert:
    """The province has seen the alert and taken it in hand (``alert`` comes from ``selectors.get_alert_for``)."""
    check_may_review(alert, context=context)
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.acknowledged_at is None:
            alert.acknowledged_at, alert.acknowledged_by, alert.note = timezone.now(), context.actor, note
            alert.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
            audit_record(context=context, action=AuditAction.UPDATE, resource_type=ResourceType.ALERT,
                         resource_id=alert.pk, changes={"acknowledged": [False, True]})
    return alert


def signal_review(signal: Signal, *, to_status: str, note: str = "", context: AuditContext) -> SignalReview:
    """Move a signal along new → investigating → confirmed / false alarm, recording who, when and why.

    ``signal`` comes from ``selectors.get_signal_for`` (404 outside the aggregate scope).
    """
    check_may_review(signal, context=context)
    with transaction.atomic():
        return _review_signal(signal, to_status, note, context)


def _review_signal(signal: Signal, to_status: str, note: str, context: AuditContext) -> SignalReview:
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    errors = []
    if to_status not in SIGNAL_TRANSITIONS.get(signal.status, set()):
        errors.append(FieldError("to_status", "invalid_transition", _(
            "Không chuyển được từ “%(from)s” sang “%(to)s”.") % {
            "from": SignalStatus(signal.status).label, "to": dict(SignalStatus.choices).get(to_status, to_status)}))
    if to_status in _NOTE_REQUIRED and not note.strip():
        errors.append(FieldError("note", "required", _("Cần ghi nhận xét khi kết luận tín hiệu.")))
    if errors:
        raise DomainError(errors)
    review = SignalReview.objects.create(
        signal=signal, from_status=signal.status, to_status=to_status, by=context.actor, note=note.strip()
    )
    signal.status = to_status
    signal.save(update_fields=["status", "updated_at"])
    audit_record(context=context, action=AuditAction.UPDATE, resource_type=ResourceType.SIGNAL,
                 resource_id=signal.pk, changes={"status": [review.from_status, to_status]})
    return review
