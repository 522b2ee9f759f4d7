"""Pages of the register for the API: the residents and households a user may open, and one household.

Scoped by the access module (a household outside the search scope answers 404, a refusal on one that exists
audited ``denied``) and audited here, naming every resident returned. Identifiers are masked where they
leave the system, by the API's output schema (``masker_for`` for the reader).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.people.access import get_household_for, scoped_households, scoped_residents
from ytcs.people.models import Household, Resident

MAX_LIMIT = 200


@dataclass(frozen=True)
class Window:
    """Which rows of a list: ``limit`` is clamped to 1..``MAX_LIMIT``, ``offset`` to 0..the row count."""

    limit: int = 50
    offset: int = 0

    def rows(self, queryset: QuerySet) -> tuple[int, list]:
        """The row count and the rows of this window, in primary-key order."""
        count = queryset.count()
        start = min(max(0, self.offset), count)  # past the end is empty, never an out-of-range query
        return count, list(queryset.order_by("pk")[start: start + max(1, min(self.limit, MAX_LIMIT))])


@dataclass(frozen=True)
class ListPage:
    count: int
    items: list[Any]


def resident_list(
    *, context: AuditContext, window: Window, commune: int | None = None, village: int | None = None,
    household: int | None = None,
) -> ListPage:
    """Residents the actor may open, oldest record first; every one returned is named in the audit row."""
    rows = scoped_residents(context.actor).select_related("commune", "village")
    for name, value in (("commune", commune), ("village", village), ("household", household)):
        if value:
            rows = rows.filter(**{f"{name}_id": value})
    count, page = window.rows(rows)
    audit_record(context=context, action=AuditAction.LIST, resource_type=ResourceType.RESIDENT,
                 subject_ids=[r.pk for r in page], changes=_filters(commune=commune, village=village,
                                                                  household=household))
    return ListPage(count, page)


def household_list(
    *, context: AuditContext, window: Window, commune: int | None = None, village: int | None = None
) -> ListPage:
    """Households the actor may open (without their members); the audit row names each head returned."""
    rows = scoped_households(context.actor)
    if commune:
        rows = rows.filter(commune_id=commune)
    if village:
        rows = rows.filter(village_id=village)
    count, page = window.rows(rows)
    audit_record(context=context, action=AuditAction.LIST, resource_type=ResourceType.HOUSEHOLD,
                 subject_ids=[h.head_id for h in page if h.head_id], changes=_filters(commune=commune,
                                                                                    village=village))
    return ListPage(count, page)


def household_view(*, context: AuditContext, pk: Any) -> Household:
    """The household ``pk`` with the members the actor may open (``shown_members``); audited naming them."""
    household = get_household_for(context, pk)
    household.shown_members = household_members(context.actor, household)
    audit_record(context=context, action=AuditAction.VIEW, resource_type=ResourceType.HOUSEHOLD,
                 resource_id=household.pk, subject_ids=[m.pk for m in household.shown_members])
    return household


def household_members(actor: Any, household: Household) -> list[Resident]:
    """The members of ``household`` that ``actor`` may open, in registration order."""
    return list(scoped_residents(actor).filter(household=household).select_related("commune", "village")
                .order_by("pk"))


def _filters(**values: int | None) -> dict[str, int]:
    """The list's filters for the audit row (unit and household ids: not personal data)."""
    return {name: value for name, value in values.items() if value}
