"""Login throttling with counters in the database, so every worker process sees the same count.

A username is refused after ``YTCS_LOGIN_MAX_FAILURES`` failures within
``YTCS_LOGIN_WINDOW_SECONDS``; an address after ``YTCS_LOGIN_MAX_FAILURES_PER_IP``
(higher, because a whole commune station may share one address). While refused,
the password is not checked at all.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ytcs.accounts.models import LoginFailure


def _window_start():
    return timezone.now() - timedelta(seconds=settings.YTCS_LOGIN_WINDOW_SECONDS)


def _key(username: str) -> str:
    return username.strip().casefold()[:150]


def login_blocked(*, username: str, ip: str | None) -> bool:
    """Whether a login for ``username`` from ``ip`` must be refused without checking the password."""
    recent = LoginFailure.objects.filter(at__gte=_window_start())
    if recent.filter(username=_key(username)).count() >= settings.YTCS_LOGIN_MAX_FAILURES:
        return True
    per_ip = getattr(settings, "YTCS_LOGIN_MAX_FAILURES_PER_IP", 4 * settings.YTCS_LOGIN_MAX_FAILURES)
    return ip is not None and recent.filter(ip_address=ip).count() >= per_ip


def login_failure_record(*, username: str, ip: str | None) -> None:
    """Count one failed login and prune failures that have left the window."""
    LoginFailure.objects.filter(at__lt=_window_start()).delete()
    LoginFailure.objects.create(username=_key(username), ip_address=ip)


def login_failures_clear(*, username: str) -> None:
    """Forget a user's failures after a successful login.

    Failures counted against the address stay: one good login must not reset a password spray.
    """
    LoginFailure.objects.filter(username=_key(username)).delete()


def retry_minutes() -> int:
    return max(1, round(settings.YTCS_LOGIN_WINDOW_SECONDS / 60))
