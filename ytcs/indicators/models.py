"""Indicator definitions (versioned), stored totals, and the statistics office's population estimates.

A definition is data (``data/*.toml``); :func:`ytcs.indicators.services.definitions_load` keeps one row per
version here, so a stored value names the version that made it and a changed definition never rewrites what
was reported with the old one.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Factor(models.TextChoices):
    """What the ratio numerator ÷ denominator is multiplied by; ``none`` with no denominator is a count."""

    PERCENT = "percent", _("phần trăm (%)")
    PER_1000 = "per_1000", _("trên 1.000")
    PER_10000 = "per_10000", _("trên 10.000")
    NONE = "none", _("không nhân (số đếm hoặc tỷ số)")

    @property
    def multiplier(self) -> int:
        return {"percent": 100, "per_1000": 1000, "per_10000": 10000}.get(self.value, 1)


class IndicatorDefinition(models.Model):
    """One version of one indicator: what it counts over what, for which periods, and on whose authority."""

    code = models.CharField(_("mã chỉ số"), max_length=60)
    version = models.PositiveIntegerField(_("phiên bản"))
    indicator_set = models.CharField(_("bộ chỉ số"), max_length=40)
    name_vi = models.CharField(_("tên tiếng Việt"), max_length=300)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=300)
    factor = models.CharField(_("hệ số"), max_length=10, choices=Factor.choices)
    numerator = models.JSONField(_("tử số"), help_text="{measure, params}: a measure of ytcs.indicators.measures")
    denominator = models.JSONField(_("mẫu số"), null=True, blank=True, help_text="As numerator; null for a count")
    period_types = models.JSONField(_("loại kỳ báo cáo"))
    disaggregations = models.JSONField(_("phân tổ"), default=list)
    complete_periods_only = models.BooleanField(_("chỉ tính kỳ đã kết thúc"), default=False)
    description_vi = models.TextField(_("mô tả (tiếng Việt)"))
    description_en = models.TextField(_("mô tả (tiếng Anh)"))
    legal_source = models.TextField(_("căn cứ pháp lý"))
    target_note = models.CharField(_("mục tiêu (ghi chú)"), max_length=300, blank=True)
    content_hash = models.CharField(max_length=64, editable=False)
    is_current = models.BooleanField(_("đang dùng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("định nghĩa chỉ số")
        verbose_name_plural = _("định nghĩa chỉ số")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="indicator_unique_version"),
            models.UniqueConstraint(fields=["code"], condition=models.Q(is_current=True),
                                    name="indicator_one_current_version"),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class IndicatorValue(models.Model):
    """A stored total: one definition version, one current unit, one period (for dashboards and home pages).

    Reads of a single value (``ytcs indicators value``, the API) compute it live from the records; these rows
    are written by ``ytcs indicators rebuild``. Breakdowns are never stored.
    """

    definition = models.ForeignKey(IndicatorDefinition, on_delete=models.PROTECT, related_name="values")
    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị"))
    period = models.CharField(_("kỳ báo cáo"), max_length=10)
    period_type = models.CharField(_("loại kỳ"), max_length=12)
    period_start = models.DateField()
    period_end = models.DateField()
    numerator = models.FloatField(_("tử số"), null=True, blank=True)
    denominator = models.FloatField(_("mẫu số"), null=True, blank=True)
    value = models.FloatField(_("giá trị"), null=True, blank=True)
    computed_at = models.DateTimeField(_("tính lúc"))

    class Meta:
        verbose_name = _("giá trị chỉ số")
        verbose_name_plural = _("giá trị chỉ số")
        constraints = [
            models.UniqueConstraint(fields=["definition", "unit", "period"], name="indicator_value_unique"),
        ]
        indexes = [models.Index(fields=["unit", "period"], name="indicator_value_unit_idx")]


class PopulationEstimate(models.Model):
    """The statistics office's population of a unit (of the era it names) for a year: aggregate data.

    The denominator of the indicators whose population is not the register's (EHR coverage). Loaded with
    ``ytcs indicators load-population``; a year without an estimate leaves those indicators empty.
    """

    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị"))
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.PositiveIntegerField(_("dân số"))
    source = models.CharField(_("nguồn"), max_length=300)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dân số ước tính")
        verbose_name_plural = _("dân số ước tính")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="population_unique_unit_year")]
