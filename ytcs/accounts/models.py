"""Users, each attached to one org unit and one role."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VILLAGE_HEALTH_WORKER = "village_health_worker", _("Nhân viên y tế thôn bản")
    STATION_STAFF = "station_staff", _("Nhân viên trạm y tế")
    STATION_HEAD = "station_head", _("Trưởng trạm y tế")
    PROVINCIAL = "provincial", _("Sở Y tế tỉnh")
    NATIONAL_VIEWER = "national_viewer", _("Người xem cấp quốc gia")
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")


class User(AbstractUser):
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices, default=Role.STATION_STAFF)
    org_unit = models.ForeignKey(
        "orgunits.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="users",
        verbose_name=_("đơn vị"),
    )
    may_open_records = models.BooleanField(
        _("được mở hồ sơ cá nhân"),
        null=True,
        blank=True,
        help_text=_("Override of the role's default right to search and open individual records"),
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")


class LoginFailure(models.Model):
    """One failed login, kept for the throttling window so every process sees the same count.

    ``username`` is case-folded; rows older than the window are pruned on the next failure.
    """

    username = models.CharField(max_length=150)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lần đăng nhập thất bại")
        verbose_name_plural = _("lần đăng nhập thất bại")
        indexes = [
            models.Index(fields=["username", "at"], name="loginfailure_username_at_idx"),
            models.Index(fields=["ip_address", "at"], name="loginfailure_ip_at_idx"),
        ]
