"""Visits (*lượt khám*) with vital signs, ICD-10 diagnoses and prescriptions, and the problem list.

Vital signs are nullable columns on the visit rather than generic observation rows: a commune
station records the same ten measurements every time, and indicators (BP control, BMI) query them
directly. Units are fixed and stated in ``help_text``; plausibility bounds live in ``vitals.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Payer(models.TextChoices):
    BHYT = "bhyt", _("BHYT")
    SELF_PAY = "self_pay", _("Tự chi trả")
    OTHER = "other", _("Nguồn khác")


class Outcome(models.TextChoices):
    TREATED = "treated", _("Điều trị, cấp thuốc")
    REFERRED = "referred", _("Chuyển tuyến")
    OBSERVATION = "observation", _("Lưu theo dõi tại trạm")
    DIED = "died", _("Tử vong")


class Encounter(models.Model):
    """One visit of a resident to a health facility (a row of the commune's examination register)."""

    resident = models.ForeignKey(
        "people.Resident", on_delete=models.PROTECT, related_name="encounters", verbose_name=_("người bệnh")
    )
    commune = models.ForeignKey(
        "orgunits.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("xã/phường nơi khám"),
        help_text=_("Commune of the facility where the visit took place (aggregation anchor)"),
    )
    facility = models.ForeignKey(
        "orgunits.HealthFacility",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="encounters",
        verbose_name=_("cơ sở khám"),
    )
    facility_name = models.CharField(
        _("tên cơ sở khám"), max_length=200, blank=True, help_text=_("Name as recorded (kept if the facility changes)")
    )
    occurred_at = models.DateTimeField(_("thời điểm khám"), db_index=True)
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người khám"),
    )
    practitioner_name = models.CharField(_("tên người khám"), max_length=200, blank=True)
    reason = models.CharField(_("lý do khám"), max_length=500, blank=True)

    systolic = models.PositiveSmallIntegerField(_("huyết áp tâm thu"), null=True, blank=True, help_text="mmHg")
    diastolic = models.PositiveSmallIntegerField(_("huyết áp tâm trương"), null=True, blank=True, help_text="mmHg")
    pulse = models.PositiveSmallIntegerField(_("mạch"), null=True, blank=True, help_text=_("lần/phút"))
    temperature = models.FloatField(_("nhiệt độ"), null=True, blank=True, help_text="°C")
    respiratory_rate = models.PositiveSmallIntegerField(_("nhịp thở"), null=True, blank=True, help_text=_("lần/phút"))
    spo2 = models.PositiveSmallIntegerField(_("SpO2"), null=True, blank=True, help_text="%")
    weight_kg = models.FloatField(_("cân nặng"), null=True, blank=True, help_text="kg")
    height_cm = models.FloatField(_("chiều cao"), null=True, blank=True, help_text="cm")
    bmi = models.FloatField(
        _("BMI"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("kg/m², computed by the service from weight and height"),
    )
    waist_cm = models.FloatField(_("vòng eo"), null=True, blank=True, help_text="cm")
    glucose_mmol = models.FloatField(_("đường huyết mao mạch"), null=True, blank=True, help_text="mmol/L")
    glucose_fasting = models.BooleanField(_("đường huyết lúc đói"), null=True, blank=True)

    payer = models.CharField(_("đối tượng"), max_length=16, choices=Payer.choices, default=Payer.BHYT)
    outcome = models.CharField(_("kết quả"), max_length=16, choices=Outcome.choices, default=Outcome.TREATED)
    advice = models.TextField(_("lời dặn"), blank=True)
    follow_up_on = models.DateField(_("hẹn tái khám"), null=True, blank=True)

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("người nhập")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    voided_at = models.DateTimeField(_("huỷ lúc"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    void_reason = models.CharField(_("lý do huỷ"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("lượt khám")
        verbose_name_plural = _("lượt khám")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["resident", "occurred_at"], name="encounter_resident_at_idx"),
            models.Index(fields=["commune", "occurred_at"], name="encounter_commune_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.resident_id} @ {self.occurred_at:%Y-%m-%d}"

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class Diagnosis(models.Model):
    """An ICD-10 (WHO 2019) code given at a visit; exactly one per visit is primary."""

    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="diagnoses")
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    icd10_code = models.CharField(_("mã ICD-10"), max_length=8, db_index=True)
    is_primary = models.BooleanField(_("bệnh chính"), default=False)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("chẩn đoán")
        verbose_name_plural = _("chẩn đoán")
        ordering = ["encounter", "position"]
        constraints = [
            models.UniqueConstraint(fields=["encounter", "icd10_code"], name="diagnosis_unique_code_per_visit"),
            models.UniqueConstraint(
                fields=["encounter"], condition=Q(is_primary=True), name="diagnosis_one_primary_per_visit"
            ),
        ]

    def __str__(self) -> str:
        return self.icd10_code


class PrescriptionLine(models.Model):
    encounter = models.ForeignKey(Encounter, on_delete=models.CASCADE, related_name="prescription_lines")
    drug_name = models.CharField(_("tên thuốc"), max_length=200)
    strength = models.CharField(_("hàm lượng"), max_length=60, blank=True)
    dose_instructions = models.CharField(_("liều dùng, cách dùng"), max_length=300, blank=True)
    quantity = models.PositiveIntegerField(_("số lượng"))
    unit = models.CharField(_("đơn vị"), max_length=20, default="viên")
    days = models.PositiveSmallIntegerField(_("số ngày"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("dòng đơn thuốc")
        verbose_name_plural = _("dòng đơn thuốc")
        ordering = ["encounter", "position"]

    def __str__(self) -> str:
        return f"{self.drug_name} {self.strength}".strip()


class ConditionStatus(models.TextChoices):
    ACTIVE = "active", _("Đang mắc")
    RESOLVED = "resolved", _("Đã khỏi/ngừng theo dõi")


class ConditionSource(models.TextChoices):
    DIAGNOSIS = "diagnosis", _("Từ chẩn đoán")
    MANUAL = "manual", _("Nhập tay")


class Condition(models.Model):
    """An entry on the resident's problem list (hypertension, diabetes, ...), kept across visits."""

    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="conditions")
    icd10_code = models.CharField(_("mã ICD-10"), max_length=8, db_index=True)
    onset_date = models.DateField(_("ngày phát hiện"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=ConditionStatus.choices, default=ConditionStatus.ACTIVE
    )
    resolved_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=16, choices=ConditionSource.choices)
    source_encounter = models.ForeignKey(Encounter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bệnh mạn tính/vấn đề sức khoẻ")
        verbose_name_plural = _("danh sách vấn đề sức khoẻ")
        ordering = ["status", "onset_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "icd10_code"], condition=Q(status="active"), name="condition_one_active_per_code"
            ),
        ]

    def __str__(self) -> str:
        return self.icd10_code
