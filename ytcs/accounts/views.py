"""Login and logout (Django's views plus throttling and an audit row for every attempt); accounts to move."""

from dataclasses import dataclass

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ytcs.accounts.forms import LoginForm
from ytcs.accounts.selectors import users_to_move
from ytcs.accounts.throttle import login_failure_record, login_failures_clear
from ytcs.audit.context import client_ip
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record


@dataclass(frozen=True)
class _LoginAttempt:
    """Stands in for the unknown actor of a failed login, so the trail keeps the name typed."""

    username: str
    is_authenticated: bool = False


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        login_failures_clear(username=user.get_username())
        audit_record(actor=user, action=AuditAction.LOGIN, resource_type="session", request=self.request)
        return response

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        username = (form.cleaned_data.get("username") or form.data.get("username") or "")[:150]
        if form.throttled:
            outcome = "throttled"
        elif form.attempted_login:
            outcome = "failed"
            login_failure_record(username=username, ip=client_ip(self.request))
        else:
            outcome = "incomplete"
        audit_record(
            actor=_LoginAttempt(username),
            action=AuditAction.LOGIN_FAILED,
            resource_type="session",
            request=self.request,
            outcome=outcome,
        )
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.user.is_authenticated:
            audit_record(actor=request.user, action=AuditAction.LOGOUT, resource_type="session", request=request)
        return super().post(request, *args, **kwargs)


@login_required
def users_to_move_list(request: HttpRequest) -> HttpResponse:
    """System administrators: active users still attached to an abolished unit, with its successor(s)."""
    rows = users_to_move(actor=request.user, request=request)
    return render(request, "accounts/users_to_move.html", {"rows": rows})
