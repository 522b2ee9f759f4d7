"""Administrative units and health facilities, effective-dated from day one.

Every unit row has a half-open validity interval ``[valid_from, valid_to)``. The
units abolished or merged on 1 July 2025 keep their rows (``valid_to`` set) and
point at their successors through :class:`OrgUnitSuccession`; the flattened
:class:`OrgUnitRollup` says, for any unit, which current unit(s) it counts toward.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnit(models.Model):
    class Level(models.IntegerChoices):
        COUNTRY = 0, _("Quốc gia")
        PROVINCE = 1, _("Tỉnh/Thành phố")
        DISTRICT = 2, _("Quận/Huyện")
        COMMUNE = 3, _("Xã/Phường/Đặc khu")
        VILLAGE = 4, _("Thôn/Bản/Tổ dân phố")

    code = models.CharField(_("mã"), max_length=20, help_text=_("Official code (GSO/NSO)"))
    name = models.CharField(_("tên"), max_length=200)
    unit_type = models.CharField(_("loại đơn vị"), max_length=40, blank=True)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True, help_text=_("Exclusive end date"))
    path = models.CharField(max_length=255, db_index=True, editable=False, help_text="/<pk>/<pk>/... of ancestors")
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    area_km2 = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "valid_from"], name="orgunit_unique_code_per_version"),
        ]
        indexes = [models.Index(fields=["level", "valid_to"], name="orgunit_level_valid_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class OrgUnitSuccession(models.Model):
    """One edge of the old→new crosswalk: part of ``predecessor`` became (part of) ``successor``.

    The weights of one predecessor's edges sum to 1. ``weight_source`` says how
    the weight was obtained, so approximations are never mistaken for official
    figures and a reload never overwrites an official weight.
    """

    class WeightSource(models.TextChoices):
        WHOLE = "whole", _("Chuyển nguyên vẹn")
        EQUAL = "equal", _("Chia đều (ước lượng)")
        DERIVED = "derived", _("Tính từ các xã thành phần")
        OFFICIAL = "official", _("Số liệu chính thức")

    predecessor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="predecessions")
    weight = models.FloatField(help_text=_("Share of the predecessor's population that went to the successor"))
    effective_date = models.DateField()
    weight_source = models.CharField(max_length=10, choices=WeightSource.choices, default=WeightSource.WHOLE)

    class Meta:
        verbose_name = _("kế thừa đơn vị hành chính")
        verbose_name_plural = _("kế thừa đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique_pair"),
        ]


class OrgUnitRollup(models.Model):
    """Flattened crosswalk: ``unit`` counts toward current ``current_unit`` with ``weight``.

    Current units map to themselves with weight 1, so one join answers "which
    current unit does this (old or current) unit roll up to".
    """

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="rollups")
    current_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="rolled_up_from")
    weight = models.FloatField()

    class Meta:
        verbose_name = _("quy đổi sang đơn vị hiện hành")
        verbose_name_plural = _("quy đổi sang đơn vị hiện hành")
        constraints = [
            models.UniqueConstraint(fields=["unit", "current_unit"], name="rollup_unique_pair"),
        ]


class FacilityKind(models.TextChoices):
    COMMUNE_STATION = "commune_station", _("Trạm y tế xã/phường/đặc khu")
    STATION_POINT = "station_point", _("Điểm trạm y tế")
    REGIONAL_POLYCLINIC = "regional_polyclinic", _("Phòng khám đa khoa khu vực")
    HEALTH_CENTRE = "health_centre", _("Trung tâm y tế khu vực")
    PROVINCIAL_GENERAL_HOSPITAL = "provincial_general_hospital", _("Bệnh viện đa khoa tỉnh")
    REGIONAL_GENERAL_HOSPITAL = "regional_general_hospital", _("Bệnh viện đa khoa khu vực")
    SPECIALISED_HOSPITAL = "specialised_hospital", _("Bệnh viện chuyên khoa")
    PROVINCIAL_CDC = "provincial_cdc", _("Trung tâm Kiểm soát bệnh tật tỉnh")
    OTHER = "other", _("Cơ sở khác")


class TechnicalLevel(models.TextChoices):
    """The three technical levels of Law 15/2023/QH15 (Luật Khám bệnh, chữa bệnh)."""

    PRIMARY = "primary", _("Ban đầu")
    BASIC = "basic", _("Cơ bản")
    SPECIALISED = "specialised", _("Chuyên sâu")


class HealthFacility(models.Model):
    """A health facility placed in the org-unit tree.

    ``org_unit`` is the commune (stations, điểm trạm, centres) or the province
    (provincial hospitals, CDC) the facility sits in. ``technical_level`` is
    blank for facilities outside curative care (a CDC).
    """

    code = models.CharField(_("mã cơ sở"), max_length=20, unique=True)
    name = models.CharField(_("tên cơ sở"), max_length=200)
    kind = models.CharField(_("loại cơ sở"), max_length=40, choices=FacilityKind.choices)
    technical_level = models.CharField(
        _("cấp chuyên môn kỹ thuật"), max_length=12, choices=TechnicalLevel.choices, blank=True
    )
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("địa bàn")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="points",
        verbose_name=_("trạm y tế quản lý"), help_text=_("The station a điểm trạm belongs to"),
    )
    beds = models.PositiveIntegerField(_("số giường"), default=0)
    valid_from = models.DateField(_("hoạt động từ"))
    valid_to = models.DateField(_("hoạt động đến"), null=True, blank=True, help_text=_("Exclusive end date"))

    class Meta:
        verbose_name = _("cơ sở y tế")
        verbose_name_plural = _("cơ sở y tế")
        indexes = [models.Index(fields=["kind", "org_unit"], name="facility_kind_unit_idx")]

    def __str__(self) -> str:
        return self.name


class Cadre(models.TextChoices):
    DOCTOR = "doctor", _("Bác sĩ")
    ASSISTANT_DOCTOR = "assistant_doctor", _("Y sĩ")
    NURSE = "nurse", _("Điều dưỡng")
    MIDWIFE = "midwife", _("Hộ sinh")
    PHARMACIST = "pharmacist", _("Dược sĩ")
    TRADITIONAL_MEDICINE = "traditional_medicine", _("Y học cổ truyền")
    VILLAGE_HEALTH_WORKER = "village_health_worker", _("Nhân viên y tế thôn bản")
    OTHER = "other", _("Khác")


class StaffMember(models.Model):
    """One person on a facility's roster.

    Village health workers belong to their commune station's roster and name
    the village they serve. ``is_trained`` records whether the person has been
    trained or given professional training, the wording of the 2030 target
    "one trained health worker in every village".
    """

    facility = models.ForeignKey(
        HealthFacility, on_delete=models.CASCADE, related_name="staff", verbose_name=_("cơ sở y tế")
    )
    staff_code = models.CharField(_("mã nhân viên"), max_length=30)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    cadre = models.CharField(_("chức danh"), max_length=30, choices=Cadre.choices)
    qualification = models.CharField(_("trình độ chuyên môn"), max_length=200, blank=True)
    is_permanent = models.BooleanField(_("cơ hữu"), default=True)
    is_trained = models.BooleanField(_("đã được đào tạo/tập huấn chuyên môn"), default=True)
    village = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="village_health_workers",
        verbose_name=_("thôn/bản phụ trách"),
    )
    active_from = models.DateField(_("làm việc từ"))
    active_to = models.DateField(_("làm việc đến"), null=True, blank=True, help_text=_("Exclusive end date"))

    class Meta:
        verbose_name = _("nhân viên y tế")
        verbose_name_plural = _("nhân viên y tế")
        constraints = [
            models.UniqueConstraint(fields=["facility", "staff_code"], name="staff_unique_code_per_facility"),
        ]
        indexes = [models.Index(fields=["facility", "cadre"], name="staff_facility_cadre_idx")]

    def __str__(self) -> str:
        return self.full_name
