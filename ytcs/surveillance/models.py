"""Notifiable-disease surveillance: the disease list, case and weekly reports, the weekly series, signals.

The list of diseases is data (``data/diseases.csv``) with an effective-dated
group history, because the Minister of Health moves diseases between groups
(COVID-19 from A to B on 20/10/2023) and adds new ones (25/11/2025).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _


class DiseaseGroup(models.TextChoices):
    A = "A", _("Nhóm A")
    B = "B", _("Nhóm B")
    C = "C", _("Nhóm C")


class ReportingMode(models.TextChoices):
    CASE = "case", _("Báo cáo từng ca bệnh")
    AGGREGATE = "aggregate", _("Báo cáo tổng hợp theo tuần")
    SEPARATE = "separate", _("Báo cáo theo chế độ riêng")


class Disease(models.Model):
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name_vi = models.CharField(_("tên bệnh"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200)
    icd10 = models.CharField(_("mã ICD-10"), max_length=40, blank=True)
    report_deadline_hours = models.PositiveSmallIntegerField(
        _("thời hạn báo cáo (giờ)"), null=True, blank=True,
        help_text=_("24 or 48 hours from diagnosis under TT 54/2015/TT-BYT; empty when reported weekly"),
    )
    deadline_verified = models.BooleanField(_("thời hạn đã được kiểm chứng"), default=True)
    reporting_mode = models.CharField(_("hình thức báo cáo"), max_length=12, choices=ReportingMode.choices)
    detection_method = models.CharField(_("phương pháp phát hiện"), max_length=60, blank=True)
    detection_params = models.JSONField(_("tham số phát hiện"), default=dict, blank=True)
    source = models.TextField(_("nguồn"), blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("bệnh truyền nhiễm")
        verbose_name_plural = _("bệnh truyền nhiễm")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the reader's language: the English name on an English page, else the Vietnamese one."""
        if (translation.get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_vi

    @property
    def is_immediate(self) -> bool:
        return self.report_deadline_hours == 24


class DiseaseGroupAssignment(models.Model):
    """The group of a disease over a half-open interval ``[valid_from, valid_to)``."""

    disease = models.ForeignKey(Disease, on_delete=models.CASCADE, related_name="group_history")
    group = models.CharField(_("nhóm"), max_length=1, choices=DiseaseGroup.choices)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    source = models.TextField(_("nguồn"), blank=True)

    class Meta:
        verbose_name = _("nhóm bệnh theo thời kỳ")
        verbose_name_plural = _("nhóm bệnh theo thời kỳ")
        constraints = [
            models.UniqueConstraint(fields=["disease", "valid_from"], name="disease_group_unique_start"),
        ]
        ordering = ["disease", "valid_from"]

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


class Classification(models.TextChoices):
    SUSPECTED = "suspected", _("Nghi ngờ")
    PROBABLE = "probable", _("Có thể")
    CONFIRMED = "confirmed", _("Xác định")
    DISCARDED = "discarded", _("Loại trừ")


class LabResult(models.TextChoices):
    NOT_TESTED = "not_tested", _("Chưa xét nghiệm")
    PENDING = "pending", _("Chờ kết quả")
    POSITIVE = "positive", _("Dương tính")
    NEGATIVE = "negative", _("Âm tính")


class Outcome(models.TextChoices):
    UNDER_TREATMENT = "under_treatment", _("Đang điều trị")
    RECOVERED = "recovered", _("Khỏi")
    DIED = "died", _("Tử vong")
    UNKNOWN = "unknown", _("Không rõ")


class CaseReport(models.Model):
    """One case of a notifiable disease reported by a station.

    ``commune`` is where the case lives (the resident's commune, or the commune of
    the village given for an anonymous case): cases count toward that commune's
    weekly series in ``week_start``, the Monday of the onset week (of the report
    week when the onset date is unknown). ``age_years``/``sex`` are copied from
    the resident at onset so curves never need to open the person's record.
    """

    disease = models.ForeignKey(Disease, on_delete=models.PROTECT, related_name="cases", verbose_name=_("bệnh"))
    reporting_unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị báo cáo")
    )
    commune = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường nơi ở")
    )
    village = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("thôn/bản"),
    )
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.PROTECT, null=True, blank=True, related_name="case_reports",
        verbose_name=_("người dân"),
    )
    age_years = models.PositiveSmallIntegerField(_("tuổi (năm)"))
    age_months = models.PositiveSmallIntegerField(_("tháng tuổi"), null=True, blank=True)
    sex = models.CharField(_("giới tính"), max_length=1, choices=[("M", _("Nam")), ("F", _("Nữ"))])
    onset_date = models.DateField(_("ngày khởi phát"), null=True, blank=True)
    diagnosed_at = models.DateTimeField(_("thời điểm chẩn đoán"))
    reported_at = models.DateTimeField(_("thời điểm báo cáo"))
    week_start = models.DateField(_("tuần (thứ Hai)"), db_index=True, editable=False)
    classification = models.CharField(
        _("phân loại"), max_length=12, choices=Classification.choices, default=Classification.SUSPECTED
    )
    lab_test = models.CharField(_("xét nghiệm"), max_length=120, blank=True)
    lab_result = models.CharField(
        _("kết quả xét nghiệm"), max_length=12, choices=LabResult.choices, default=LabResult.NOT_TESTED
    )
    hospitalised = models.BooleanField(_("nhập viện"), default=False)
    outcome = models.CharField(_("diễn biến"), max_length=16, choices=Outcome.choices, default=Outcome.UNDER_TREATMENT)
    notes = models.TextField(_("ghi chú"), blank=True)
    deadline_hours = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    is_late = models.BooleanField(_("báo cáo muộn"), default=False, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ca bệnh")
        verbose_name_plural = _("ca bệnh")
        indexes = [
            models.Index(fields=["disease", "week_start"], name="case_disease_week_idx"),
            models.Index(fields=["commune", "disease", "week_start"], name="case_commune_disease_week_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.disease} #{self.pk}"

    @property
    def counts(self) -> bool:
        """Whether the case counts toward the weekly series (a discarded case does not)."""
        return self.classification != Classification.DISCARDED

    @property
    def deadline_at(self) -> dt.datetime | None:
        if self.deadline_hours is None:
            return None
        return self.diagnosed_at + dt.timedelta(hours=self.deadline_hours)


class WeeklyReport(models.Model):
    """A station's weekly aggregate report for one ISO week; with no lines it says "no cases this week"."""

    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    week_start = models.DateField(_("tuần (thứ Hai)"))
    iso_year = models.PositiveSmallIntegerField()
    iso_week = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField(_("thời điểm gửi"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_time = models.BooleanField(_("đúng hạn"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("báo cáo tuần")
        verbose_name_plural = _("báo cáo tuần")
        constraints = [models.UniqueConstraint(fields=["unit", "week_start"], name="weekly_report_unique_week")]


class AggregateReport(models.Model):
    """One disease line of a weekly report: cases and deaths of the week (zero is a real value)."""

    weekly_report = models.ForeignKey(WeeklyReport, on_delete=models.CASCADE, related_name="lines")
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    week_start = models.DateField()
    disease = models.ForeignKey(Disease, on_delete=models.PROTECT, related_name="aggregate_reports")
    cases = models.PositiveIntegerField(_("số mắc"))
    deaths = models.PositiveIntegerField(_("số tử vong"), default=0)

    class Meta:
        verbose_name = _("dòng báo cáo tuần")
        verbose_name_plural = _("dòng báo cáo tuần")
        constraints = [
            models.UniqueConstraint(fields=["unit", "disease", "week_start"], name="aggregate_unique_unit_week"),
        ]


class WeeklyCount(models.Model):
    """The weekly series of one commune and disease, kept current by every write to its sources.

    ``case_reports`` counts the non-discarded case reports of the week;
    ``aggregate_cases`` is the weekly report's figure (null when no line was
    sent). A weekly report is meant to include the cases also reported one by
    one, so ``count`` is the larger of the two and no case is counted twice.
    """

    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.CASCADE, related_name="+")
    disease = models.ForeignKey(Disease, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    case_reports = models.PositiveIntegerField(default=0)
    aggregate_cases = models.PositiveIntegerField(null=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số mắc theo tuần")
        verbose_name_plural = _("số mắc theo tuần")
        constraints = [
            models.UniqueConstraint(fields=["unit", "disease", "week_start"], name="weekly_count_unique"),
        ]
        indexes = [models.Index(fields=["disease", "week_start"], name="weekly_count_disease_week_idx")]


class DetectionRun(models.Model):
    """One run of the weekly detection job: what it evaluated and with which methods."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)
    as_of = models.DateField()
    first_week = models.DateField()
    last_week = models.DateField()
    scope_unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    method_override = models.CharField(max_length=60, blank=True)
    methods = models.JSONField(default=dict, help_text="disease code -> {method, params}")
    series_count = models.PositiveIntegerField(default=0)
    signal_count = models.PositiveIntegerField(default=0)
    new_signal_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("lần chạy phát hiện dịch")
        verbose_name_plural = _("lần chạy phát hiện dịch")


class SignalStatus(models.TextChoices):
    NEW = "new", _("Mới")
    INVESTIGATING = "investigating", _("Đang điều tra")
    CONFIRMED = "confirmed", _("Xác định ổ dịch")
    FALSE_ALARM = "false_alarm", _("Báo động giả")


# How pages name each detection method (the code stays in the data, the API and ``ytcs detect``).
DETECTION_METHOD_LABELS = {
    "farrington-flexible": _("Farrington cải tiến (Noufaily 2013)"),
    "farrington": _("Farrington (1996)"),
    "ears-c1": "EARS C1",
    "ears-c2": "EARS C2",
    "ears-c3": "EARS C3",
    "cusum": "CUSUM",
}


class Signal(models.Model):
    """A week where a unit's count of a disease exceeded what the method expected."""

    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    disease = models.ForeignKey(Disease, on_delete=models.PROTECT, related_name="signals", verbose_name=_("bệnh"))
    week_start = models.DateField(_("tuần"))
    method = models.CharField(_("phương pháp"), max_length=60)
    params = models.JSONField(default=dict)
    count = models.PositiveIntegerField(_("số mắc"))
    expected = models.FloatField(_("kỳ vọng"), null=True)
    upperbound = models.FloatField(_("ngưỡng"), null=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=SignalStatus.choices, default=SignalStatus.NEW)
    run = models.ForeignKey(DetectionRun, on_delete=models.SET_NULL, null=True, related_name="signals")
    cases = models.ManyToManyField(CaseReport, blank=True, related_name="signals")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tín hiệu")
        verbose_name_plural = _("tín hiệu")
        constraints = [
            models.UniqueConstraint(fields=["unit", "disease", "week_start", "method"], name="signal_unique_week"),
        ]
        indexes = [models.Index(fields=["status", "week_start"], name="signal_status_week_idx")]

    def __str__(self) -> str:
        return f"{self.disease} · {self.unit} · {self.week_start}"

    @property
    def method_label(self) -> str:
        return str(DETECTION_METHOD_LABELS.get(self.method, self.method))

    @property
    def params_text(self) -> str:
        """The method's parameters as "alpha = 0,01 · b = 3" (their names in R ``surveillance``, see
        docs/surveillance-detection.md), not a dict."""
        return " · ".join(f"{name} = {formats.localize(value)}" for name, value in self.params.items())


class SignalReview(models.Model):
    """One step of a signal's review: who moved it from which status to which, when, and why."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="reviews")
    from_status = models.CharField(max_length=16, choices=SignalStatus.choices)
    to_status = models.CharField(max_length=16, choices=SignalStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("lần xử lý tín hiệu")
        verbose_name_plural = _("lần xử lý tín hiệu")
        ordering = ["at", "pk"]


class Alert(models.Model):
    """An immediate alert to the province for a case of a disease on the 24-hour list.

    ``deadline_at`` is 24 h after diagnosis: TT 54/2015 asks each level to pass
    the report on within 24 h, so the province sees how much of that time is left.
    """

    case = models.OneToOneField(CaseReport, on_delete=models.CASCADE, related_name="alert")
    disease = models.ForeignKey(Disease, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    deadline_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("cảnh báo")
        verbose_name_plural = _("cảnh báo")
        indexes = [models.Index(fields=["acknowledged_at", "deadline_at"], name="alert_open_idx")]
