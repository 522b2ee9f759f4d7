"""Writing audit events. Called explicitly by services and selectors, never from signals."""

from collections.abc import Iterable

from django.db import transaction

from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditEvent, AuditSubject
from ytcs.audit.vocabulary import ResourceType


def audit_record(
    *,
    context: AuditContext,
    action: str,
    resource_type: ResourceType | str,
    resource_id: str | int = "",
    subject_ids: Iterable[int] = (),
    changes: dict | None = None,
    outcome: str = "ok",
) -> AuditEvent:
    """Append one audit event and the residents it exposed.

    ``context`` says who acted and from where (``AuditContext``); ``resource_type`` is a member of the
    vocabulary (``ValueError`` otherwise, so a new kind of record cannot slip into the trail unnamed).
    ``changes`` maps field name to ``[before, after]``; callers pass only fields that are safe to keep in the
    trail. The event and its subjects are written in one transaction (the caller's, when there is one).
    """
    try:
        resource_type = ResourceType(resource_type)
    except ValueError:
        raise ValueError(f"{resource_type!r} is not a ResourceType (ytcs.audit.vocabulary)") from None
    actor = context.actor
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic(savepoint=False):
        event = AuditEvent.objects.create(
            actor=actor if authenticated else None,
            actor_username=(getattr(actor, "username", "") or "")[:150],
            actor_role=getattr(actor, "role", "") or "",
            actor_org_unit_id=getattr(actor, "org_unit_id", None),
            action=action,
            resource_type=str(resource_type),
            resource_id=str(resource_id)[:64],
            changes=changes or {},
            ip_address=context.ip_address,
            client=context.client,
            request_id=context.request_id,
            outcome=outcome,
        )
        subjects = [AuditSubject(event=event, resident_id=rid) for rid in dict.fromkeys(subject_ids)]
        if subjects:
            AuditSubject.objects.bulk_create(subjects)
    return event
