"""Login and logout (Django's views plus throttling and an audit row for every attempt); accounts to move."""

from dataclasses import dataclass, replace

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ytcs.accounts.forms import LoginForm
from ytcs.accounts.selectors import users_to_move
from ytcs.accounts.services import login_failure_audit, login_record, logout_record
from ytcs.accounts.throttle import login_failure_record, login_failures_clear
from ytcs.audit.context import AuditContext


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
        login_record(context=replace(AuditContext.from_request(self.request), actor=user))
        return response

    def form_invalid(self, form: LoginForm) -> HttpResponse:
        username = (form.cleaned_data.get("username") or form.data.get("username") or "")[:150]
        context = replace(AuditContext.from_request(self.request), actor=_LoginAttempt(username))
        if form.throttled:
            outcome = "throttled"
        elif form.attempted_login:
            outcome = "failed"
            login_failure_record(username=username, ip=context.ip_address)
        else:
            outcome = "incomplete"
        login_failure_audit(context=context, outcome=outcome)
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.user.is_authenticated:
            logout_record(context=AuditContext.from_request(request))
        return super().post(request, *args, **kwargs)


@login_required
def users_to_move_list(request: HttpRequest) -> HttpResponse:
    """System administrators: active users still attached to an abolished unit, with its successor(s)."""
    rows = users_to_move(context=AuditContext.from_request(request))
    return render(request, "accounts/users_to_move.html", {"rows": rows})
