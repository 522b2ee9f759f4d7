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
    """One edge of the old→new crosswalk: part of ``predecessor`` became (part of) ``successor``."""

    predecessor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="successions")
    successor = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="predecessions")
    weight = models.FloatField(help_text=_("Share of the predecessor's population that went to the successor"))
    effective_date = models.DateField()

    class Meta:
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
        constraints = [
            models.UniqueConstraint(fields=["unit", "current_unit"], name="rollup_unique_pair"),
        ]
