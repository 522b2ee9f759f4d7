"""What the values of a case or weekly report mean: the checks the services run for the pages and the API.

Each function returns every problem found as core :class:`~ytcs.core.errors.FieldError`s named as the API
client sends the input (``village_id``, ``lines.1.cases``); the services raise them together. Codes are
stable for programs: ``required``, ``invalid``, ``out_of_range``, ``in_future``, ``too_long``,
``after_report``, ``onset_after_report``, ``onset_after_diagnosis``, ``duplicate``.
"""

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ytcs.core.errors import FieldError
from ytcs.orgunits.models import OrgUnit
from ytcs.surveillance.inputs import CaseFollowUp, CaseReportInput, WeeklyLine
from ytcs.surveillance.models import CaseReport, Classification, LabResult, Outcome

CLOCK_SKEW = dt.timedelta(minutes=5)
EARLIEST_DAY = dt.date(1900, 1, 1)  # before it a date is a typing error, and time-zone arithmetic could overflow
MAX_WEEKLY_COUNT = 1_000_000
_LAB_TEST_LENGTH = CaseReport._meta.get_field("lab_test").max_length


def earliest_moment() -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(EARLIEST_DAY, dt.time()))


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _too_early(field: str) -> FieldError:
    return FieldError(field, "out_of_range", _("Ngày phải từ %(day)s trở về sau.") % {"day": _day(EARLIEST_DAY)})


def _check_moments(report: CaseReportInput, reported_at: dt.datetime) -> list[FieldError]:
    """Diagnosis, report and onset in order, none in the future; days are compared in Vietnam time."""
    errors = []
    now = timezone.now()
    earliest = earliest_moment()
    for field, moment in (("diagnosed_at", report.diagnosed_at), ("reported_at", reported_at)):
        if moment < earliest:
            errors.append(_too_early(field))
    if reported_at > now + CLOCK_SKEW:
        errors.append(FieldError("reported_at", "in_future", _("Thời điểm báo cáo không được ở tương lai.")))
    if errors:
        return errors
    if report.diagnosed_at > reported_at:
        return [FieldError("diagnosed_at", "after_report", _("Thời điểm chẩn đoán phải trước thời điểm báo cáo."))]
    onset, report_day = report.onset_date, timezone.localdate(reported_at)
    if onset is None:
        return []
    if onset < EARLIEST_DAY:
        return [_too_early("onset_date")]
    if onset > timezone.localdate(now):
        return [FieldError("onset_date", "in_future", _("Ngày khởi phát không được ở tương lai."))]
    if onset > report_day:
        return [FieldError("onset_date", "onset_after_report", _(
            "Ngày khởi phát (%(onset)s) sau ngày báo cáo (%(report)s).") % {"onset": _day(onset),
                                                                            "report": _day(report_day)})]
    if onset > timezone.localdate(report.diagnosed_at):
        return [FieldError("onset_date", "onset_after_diagnosis", _("Ngày khởi phát sau ngày chẩn đoán."))]
    return []


def _check_place(village: OrgUnit | None, commune: OrgUnit | None) -> list[FieldError]:
    """An anonymous case lives in a current village, or in a current commune that has no villages on file."""
    needs_village = FieldError("village_id", "required", _("Ca bệnh không gắn với người dân cần có thôn/bản nơi ở."))
    if village is not None:
        if village.level != OrgUnit.Level.VILLAGE or not village.is_current:
            return [FieldError("village_id", "invalid", _("Đơn vị này không phải thôn/bản hiện hành."))]
        return []
    if commune is None:
        return [needs_village]
    if commune.level != OrgUnit.Level.COMMUNE or not commune.is_current:
        return [FieldError("commune_id", "invalid", _("Đơn vị này không phải xã/phường hiện hành."))]
    if OrgUnit.objects.filter(parent=commune, level=OrgUnit.Level.VILLAGE, valid_to__isnull=True).exists():
        return [needs_village]
    return []


def _check_person(report: CaseReportInput) -> list[FieldError]:
    errors = []
    if report.sex not in ("M", "F"):
        code = "required" if not report.sex else "invalid"
        errors.append(FieldError("sex", code, _("Ca bệnh không gắn với người dân cần có giới tính.")))
    if report.age_years is None or not 0 <= report.age_years <= 120:
        code = "required" if report.age_years is None else "out_of_range"
        errors.append(FieldError("age_years", code, _("Tuổi phải từ 0 đến 120.")))
    if report.age_months is not None and not 0 <= report.age_months <= 11:
        errors.append(FieldError("age_months", "out_of_range", _("Tháng tuổi phải từ 0 đến 11.")))
    return errors


def _check_choices(values: CaseReportInput | CaseFollowUp) -> list[FieldError]:
    errors = []
    checks = (
        ("classification", Classification.values, _("Phân loại không hợp lệ.")),
        ("lab_result", LabResult.values, _("Kết quả xét nghiệm không hợp lệ.")),
        ("outcome", Outcome.values, _("Diễn biến không hợp lệ.")),
    )
    for field, allowed, message in checks:
        value = getattr(values, field)
        if value is not None and value not in allowed:
            errors.append(FieldError(field, "invalid", message))
    if values.lab_test is not None and len(values.lab_test) > _LAB_TEST_LENGTH:
        errors.append(FieldError("lab_test", "too_long", _("Tối đa %(n)s ký tự.") % {"n": _LAB_TEST_LENGTH}))
    return errors


def check_case(
    report: CaseReportInput,
    reported_at: dt.datetime,
    *,
    resident: object | None,
    village: OrgUnit | None,
    commune: OrgUnit | None,
) -> list[FieldError]:
    """Every problem with a new case: dates, choices, and for an anonymous case its person and place."""
    errors = _check_moments(report, reported_at) + _check_choices(report)
    if resident is None:
        errors += _check_person(report) + _check_place(village, commune)
    return errors


def check_follow_up(case: CaseReport, follow_up: CaseFollowUp) -> list[FieldError]:
    """Every problem with a follow-up of ``case``: choices, and an onset after the report or in the future."""
    errors = _check_choices(follow_up)
    onset = follow_up.onset_date
    if onset is not None:
        report_day = timezone.localdate(case.reported_at)
        if onset < EARLIEST_DAY:
            errors.append(_too_early("onset_date"))
        elif onset > report_day or onset > timezone.localdate():
            errors.append(FieldError("onset_date", "onset_after_report", _(
                "Ngày khởi phát (%(onset)s) sau ngày báo cáo (%(report)s).") % {"onset": _day(onset),
                                                                                "report": _day(report_day)}))
    return errors


def check_weekly_lines(lines: Iterable[WeeklyLine]) -> list[FieldError]:
    """Counts from 0 to ``MAX_WEEKLY_COUNT``, one line per disease (the disease itself is resolved apart)."""
    errors = []
    seen: set[str] = set()
    for index, line in enumerate(lines):
        if line.disease in seen:
            errors.append(FieldError(f"lines.{index}.disease", "duplicate", _("Bệnh này đã có một dòng.")))
        seen.add(line.disease)
        for field in ("cases", "deaths"):
            if not 0 <= getattr(line, field) <= MAX_WEEKLY_COUNT:
                errors.append(FieldError(f"lines.{index}.{field}", "out_of_range", _(
                    "Số mắc và số tử vong phải từ 0 đến %(max)s.") % {
                    "max": number_format(MAX_WEEKLY_COUNT, force_grouping=True)}))
    return errors
