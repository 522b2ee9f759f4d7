"""Writing audit events. Called explicitly by services and selectors, never from signals."""

import ipaddress
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from ytcs.audit.models import AuditEvent, AuditSubject


def audit_record(
    *,
    actor: Any,
    action: str,
    resource_type: str,
    resource_id: str | int = "",
    subject_ids: Iterable[int] = (),
    changes: dict | None = None,
    request: HttpRequest | None = None,
    outcome: str = "ok",
) -> AuditEvent:
    """Append one audit event and the residents it exposed.

    ``changes`` maps field name to ``[before, after]``; callers pass only fields
    that are safe to keep in the trail. The event and its subjects are written in
    one transaction (the caller's, when there is one).
    """
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic(savepoint=False):
        event = AuditEvent.objects.create(
            actor=actor if authenticated else None,
            actor_username=(getattr(actor, "username", "") or "")[:150],
            actor_role=getattr(actor, "role", "") or "",
            actor_org_unit_id=getattr(actor, "org_unit_id", None),
            action=action,
            resource_type=resource_type,
            resource_id=str(resource_id)[:64],
            changes=changes or {},
            ip_address=client_ip(request),
            client=(request.META.get("HTTP_USER_AGENT", "")[:300] if request else ""),
            request_id=(request.META.get("HTTP_X_REQUEST_ID", "")[:64] if request else ""),
            outcome=outcome,
        )
        subjects = [AuditSubject(event=event, resident_id=rid) for rid in dict.fromkeys(subject_ids)]
        if subjects:
            AuditSubject.objects.bulk_create(subjects)
    return event


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
