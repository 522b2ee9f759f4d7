"""Reading the audit trail: only system administrators, and only through these functions."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ytcs.accounts.models import User
from ytcs.accounts.scope import OutOfScope, is_system_admin
from ytcs.audit.context import AuditContext
from ytcs.audit.display import data_type_groups
from ytcs.audit.models import AuditAction, AuditEvent, AuditSubject
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.errors import NotAllowed
from ytcs.people.access import get_resident_for
from ytcs.people.models import Resident

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    actor_username: str = ""
    resident_id: int | None = None
    action: str = ""
    resource_types: tuple[str, ...] = ()  # any of these (a member and its legacy codes: people.Resident, resident)
    date_from: date | None = None
    date_to: date | None = None


def require_audit_reader(actor: User) -> None:
    """Everyone but an active system administrator gets 404 for the audit pages."""
    if not is_system_admin(actor):
        raise OutOfScope


def audit_event_list(*, actor: User, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """Events matching ``filters``, newest first, with the number of people each exposed.

    The resident filter answers "who saw this person": events that name the
    resident as a subject (lists, exports) or as the record itself.
    """
    require_audit_reader(actor)
    events = AuditEvent.objects.all()
    if filters.actor_id is not None:
        events = events.filter(actor_id=filters.actor_id)
    if filters.actor_username:
        events = events.filter(actor_username__iexact=filters.actor_username.strip())
    if filters.resident_id is not None:
        named = AuditSubject.objects.filter(resident_id=filters.resident_id).values("event_id")
        as_record = Q(resource_type__in=data_type_groups()[ResourceType.RESIDENT], resource_id=str(filters.resident_id))
        events = events.filter(Q(pk__in=named) | as_record)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.resource_types:
        events = events.filter(resource_type__in=filters.resource_types)
    if filters.date_from:
        events = events.filter(at__gte=_day_start(filters.date_from))
    if filters.date_to:
        events = events.filter(at__lt=_day_start(filters.date_to + timedelta(days=1)))
    return events.annotate(subject_count=Count("subjects")).order_by("-pk")


def residents_seen_count(*, actor: User, user_id: int) -> int:
    """How many distinct people ``user_id`` has been shown ("what did Y see")."""
    require_audit_reader(actor)
    return AuditSubject.objects.filter(event__actor_id=user_id).values("resident_id").distinct().count()


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_event_page(
    *, context: AuditContext, filters: AuditFilter, page: str | int | None, looked_at: str, subject_ids: list[int]
) -> Page:
    """One page of :func:`audit_event_list`; reading the trail is itself audited.

    ``looked_at`` says which view of the trail was read (``all``, ``resident:12``, ``user:3``); the page's
    events are read before this visit's own event is written, so it never lists itself.
    """
    events = audit_event_list(actor=context.actor, filters=filters)
    result = Paginator(events, PAGE_SIZE).get_page(page)
    result.object_list = list(result.object_list)
    audit_record(
        context=context,
        action=AuditAction.LIST,
        resource_type=ResourceType.AUDIT_EVENT,
        resource_id=looked_at,
        subject_ids=subject_ids,
    )
    return result


def resident_trail_open(*, context: AuditContext, pk: Any) -> Resident:
    """The resident whose trail is asked for: 404 unless the reader may open the person (the door audits
    that refusal); 403 for a reader who may open them but reads no trail, that refusal audited here."""
    resident = get_resident_for(context, pk)
    if not is_system_admin(context.actor):
        audit_record(context=context, action=AuditAction.DENIED, resource_type=ResourceType.AUDIT_EVENT,
                     resource_id=f"resident:{resident.pk}", subject_ids=[resident.pk], outcome="denied")
        raise NotAllowed
    return resident
