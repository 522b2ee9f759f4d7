"""Append-only audit trail of every access to personal health data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    VIEW = "view", _("Xem")
    LIST = "list", _("Danh sách")
    SEARCH = "search", _("Tìm kiếm")
    CREATE = "create", _("Tạo")
    UPDATE = "update", _("Sửa")
    DELETE = "delete", _("Xoá")
    EXPORT = "export", _("Xuất")
    LOGIN = "login", _("Đăng nhập")
    LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
    LOGOUT = "logout", _("Đăng xuất")
    DENIED = "denied", _("Bị từ chối")


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ANN003 - mirrors QuerySet.update
        raise PermissionError("Audit events are append-only")

    def delete(self):
        raise PermissionError("Audit events are append-only")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_username = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=32, blank=True)
    actor_org_unit_id = models.BigIntegerField(null=True)
    action = models.CharField(_("hành động"), max_length=16, choices=AuditAction.choices)
    resource_type = models.CharField(_("loại dữ liệu"), max_length=64)
    resource_id = models.CharField(_("mã bản ghi"), max_length=64, blank=True, db_index=True)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True, help_text="{field: [before, after]}")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    client = models.CharField(_("ứng dụng"), max_length=300, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    outcome = models.CharField(max_length=16, default="ok")

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký truy cập")
        verbose_name_plural = _("nhật ký truy cập")
        indexes = [models.Index(fields=["actor", "at"], name="audit_actor_at_idx")]

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003
        if self.pk is not None:
            raise PermissionError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003
        raise PermissionError("Audit events are append-only")


class AuditSubject(models.Model):
    """A person whose data an event exposed: list and export events name every resident shown."""

    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="subjects")
    resident_id = models.BigIntegerField(db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("người dân được ghi trong nhật ký")
        verbose_name_plural = _("người dân được ghi trong nhật ký")
