"""The resident register: households and the people who live in them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class Household(models.Model):
    code = models.CharField(_("mã hộ"), max_length=32, unique=True)
    village = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="households", verbose_name=_("thôn/bản")
    )
    commune = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã/phường")
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    head = models.ForeignKey(
        "Resident", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("chủ hộ")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")

    def __str__(self) -> str:
        return self.code


class Resident(models.Model):
    """A person on a commune's register.

    ``commune`` is the current commune of residence and the anchor of every
    access-scope check; ``village`` refines it.
    """

    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="members",
        verbose_name=_("hộ gia đình"),
    )
    relationship_to_head = models.CharField(_("quan hệ với chủ hộ"), max_length=32, blank=True)
    commune = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, related_name="residents", verbose_name=_("xã/phường")
    )
    village = models.ForeignKey(
        "orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="village_residents",
        verbose_name=_("thôn/bản"),
    )
    family_name = models.CharField(_("họ"), max_length=60)
    middle_name = models.CharField(_("tên đệm"), max_length=60, blank=True)
    given_name = models.CharField(_("tên"), max_length=60)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("ngày sinh"))
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), db_index=True, editable=False)
    ethnicity = models.CharField(_("dân tộc"), max_length=40, blank=True)
    occupation = models.CharField(_("nghề nghiệp"), max_length=100, blank=True)
    cccd = models.CharField(_("số CCCD"), max_length=12, null=True, blank=True, unique=True)
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True, db_index=True)
    bhyt_card_number = models.CharField(_("mã thẻ BHYT"), max_length=15, blank=True, db_index=True)
    social_insurance_number = models.CharField(
        _("mã số BHXH"), max_length=10, null=True, blank=True, unique=True
    )
    bhyt_valid_from = models.DateField(_("BHYT có giá trị từ"), null=True, blank=True)
    bhyt_valid_to = models.DateField(_("BHYT có giá trị đến"), null=True, blank=True)
    date_of_death = models.DateField(_("ngày mất"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("người dân")
        verbose_name_plural = _("người dân")
        indexes = [models.Index(fields=["commune", "name_folded"], name="resident_commune_name_idx")]

    def __str__(self) -> str:
        return self.full_name
