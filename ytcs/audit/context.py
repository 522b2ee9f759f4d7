"""Who is acting, from where: what the audit trail needs to know of a request, without the request.

Services and selectors take an :class:`AuditContext` instead of Django's ``HttpRequest``, so the same code
runs from a view, an API call, a ``ytcs`` command or a scheduled job. Edges build it once
(:meth:`AuditContext.from_request`); jobs and commands name themselves (:meth:`AuditContext.system`).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest

JOB_PREFIX = "job:"  # ``client`` of an event written by a command or job


@dataclass(frozen=True)
class AuditContext:
    """The actor (a user, or ``None`` for a job acting on its own) and where the action came from."""

    actor: Any = None
    ip_address: str | None = None
    client: str = ""
    request_id: str = ""
    job: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest) -> AuditContext:
        return cls(
            actor=getattr(request, "user", None),
            ip_address=client_ip(request),
            client=request.META.get("HTTP_USER_AGENT", "")[:300],
            request_id=request.META.get("HTTP_X_REQUEST_ID", "")[:64],
        )

    @classmethod
    def system(cls, job: str, *, actor: Any = None) -> AuditContext:
        """A command or scheduled job, optionally acting for a named user (``ytcs import --user``)."""
        return cls(actor=actor, client=f"{JOB_PREFIX}{job}"[:300], job=job)

    @property
    def user(self) -> Any:
        """The actor, for scope checks; ``None`` for an anonymous job."""
        return self.actor


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or behind ``YTCS_TRUSTED_PROXIES`` reverse proxies
    the ``X-Forwarded-For`` entry those proxies appended (entries further left can be forged)."""
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "YTCS_TRUSTED_PROXIES", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None
