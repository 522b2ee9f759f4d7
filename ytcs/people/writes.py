"""What the register's write services share: the audit's view of a change, completeness, residence periods.

``services`` (residents, households), ``sections`` (the QĐ 831 record) and ``life_events`` all write through
these, so the audit trail keeps the same masked values and the completeness score follows every change.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import models

from ytcs.core.errors import ERROR, DomainError, FieldError
from ytcs.people import identifiers as ids
from ytcs.people.completeness import record_completeness
from ytcs.people.models import ResidenceHistory, Resident

MASKED_FIELDS = {"cccd", "phone", "bhyt_card_number", "social_insurance_number", "emergency_contact_phone"}


def audit_value(field: str, value: Any) -> Any:
    """A JSON-safe value for ``changes``; identifiers and phone numbers only masked."""
    if isinstance(value, models.Model):
        value = value.pk
    if field in MASKED_FIELDS:
        return ids.audit_tail(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def diff(before: dict[str, Any], instance: models.Model, fields: Iterable[str]) -> dict[str, list]:
    """``changes`` for the audit: each field whose value differs from ``before``, as [before, after]."""
    changes = {}
    for name in fields:
        old, new = before.get(name), getattr(instance, name)
        if old != new:
            changes[name] = [audit_value(name, old), audit_value(name, new)]
    return changes


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}


def raise_on_errors(errors: list[FieldError]) -> list[FieldError]:
    """Raise ``DomainError`` with every blocking error; return the warnings, which travel with the record."""
    blocking = [e for e in errors if e.severity == ERROR]
    if blocking:
        raise DomainError(blocking)
    return [e for e in errors if e.severity != ERROR]


def refresh_completeness(resident: Resident) -> int:
    pct = record_completeness(resident).pct
    if pct != resident.completeness_pct:
        Resident.objects.filter(pk=resident.pk).update(completeness_pct=pct)
        resident.completeness_pct = pct
    return pct


def open_residence(resident: Resident, *, since: datetime.date) -> ResidenceHistory:
    return ResidenceHistory.objects.create(
        resident=resident, commune_id=resident.commune_id, village_id=resident.village_id,
        household_id=resident.household_id, valid_from=since,
    )
