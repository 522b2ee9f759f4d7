"""The login form, with throttling checked before the password."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ytcs.accounts.throttle import login_blocked, retry_minutes
from ytcs.audit.context import client_ip


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khoá."),
        "throttled": _(
            "Đăng nhập sai quá nhiều lần. Vì an toàn, tài khoản tạm thời không đăng nhập được; "
            "vui lòng thử lại sau %(minutes)s phút."
        ),
    }

    throttled = False

    def clean(self) -> dict:
        username = self.cleaned_data.get("username") or ""
        if login_blocked(username=username, ip=client_ip(self.request)):
            self.throttled = True
            raise ValidationError(
                self.error_messages["throttled"], code="throttled", params={"minutes": retry_minutes()}
            )
        return super().clean()

    @property
    def attempted_login(self) -> bool:
        """Whether the password was actually checked (both fields given, not throttled)."""
        return not self.throttled and bool(self.cleaned_data.get("username")) and "password" in self.cleaned_data
