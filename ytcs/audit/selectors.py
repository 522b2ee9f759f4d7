"""Reading the audit trail: only system administrators, and only through these functions."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ytcs.accounts.models import User
from ytcs.accounts.scope import OutOfScope, is_system_admin
from ytcs.audit.display import data_type_groups
from ytcs.audit.models import AuditEvent, AuditSubject
from ytcs.audit.vocabulary import ResourceType


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
