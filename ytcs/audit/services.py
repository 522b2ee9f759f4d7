"""Writing audit events. Called explicitly by services and selectors, never from signals."""

from collections.abc import Iterable
from typing import Any

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
    that are safe to keep in the trail.
    """
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_username=getattr(actor, "username", "") or "",
        actor_role=getattr(actor, "role", "") or "",
        actor_org_unit_id=getattr(actor, "org_unit_id", None),
        action=action,
        resource_type=resource_type,
        resource_id=str(resource_id),
        changes=changes or {},
        ip_address=_client_ip(request),
        client=(request.META.get("HTTP_USER_AGENT", "")[:300] if request else ""),
        request_id=(request.META.get("HTTP_X_REQUEST_ID", "")[:64] if request else ""),
        outcome=outcome,
    )
    subjects = [AuditSubject(event=event, resident_id=rid) for rid in dict.fromkeys(subject_ids)]
    if subjects:
        AuditSubject.objects.bulk_create(subjects)
    return event


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None
