"""The door to residents and households: rows a user may open, through the scope of ``ytcs.accounts.scope``.

Views, API endpoints and the selectors of every app reach ``Resident`` and ``Household`` rows only through
these functions (``accounts/tests/test_one_door.py`` fails the build when an edge queries them directly).
Each takes who asks as an ``AuditContext``.
Each is the generic access check (:func:`~ytcs.accounts.scope.get_in_scope`) applied to the register: a
record outside the user's search scope answers 404 exactly like one that does not exist, and a refused
attempt on one that exists is audited as ``denied`` naming the person.

A module of its own rather than part of ``selectors.py``: the selectors of clinical and surveillance open
residents too, and this keeps their import to the door alone, not the register's search and pages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ytcs.accounts.models import User
from ytcs.accounts.scope import get_in_scope, search_scope
from ytcs.audit.context import AuditContext
from ytcs.people.models import Household, Resident


def scoped_residents(user: User) -> QuerySet[Resident]:
    """Residents ``user`` may search and open. The only door to ``Resident`` rows for views and APIs."""
    return Resident.objects.filter(search_scope(user).q("commune"))


def scoped_households(user: User) -> QuerySet[Household]:
    """Households ``user`` may search and open."""
    return Household.objects.filter(search_scope(user).q("commune"))


def get_resident_for(context: AuditContext, pk: Any) -> Resident:
    """The resident with ``pk`` if ``context.actor`` may open it; 404 for absent and out-of-scope alike.

    A refused attempt on a record that exists is written to the audit trail
    (action ``denied``) so probing shows up in "who tried to see this person".
    """
    residents = Resident.objects.select_related("commune", "village", "household")
    return get_in_scope(residents, pk, scope=search_scope(context.actor), context=context)


def get_household_for(context: AuditContext, pk: Any) -> Household:
    """The household with ``pk`` if ``context.actor`` may open it; 404 otherwise (a refusal audited naming its
    members)."""
    households = Household.objects.select_related("commune", "village")
    return get_in_scope(households, pk, scope=search_scope(context.actor), context=context, subjects=_members)


def _members(household_id: int) -> list[int]:
    """The residents a household names, for the audit row of a refused attempt on it."""
    return list(Resident.objects.filter(household_id=household_id).values_list("pk", flat=True))


def get_resident_record_for(context: AuditContext, queryset: QuerySet, pk: Any) -> Any:
    """The row ``pk`` of ``queryset`` (a model with a ``resident`` link) if ``context.actor`` may open its
    resident.

    Visits, problem-list entries and other per-person records are reached through their resident's scope,
    so they answer 404 exactly when the resident would; a refusal is audited as one on that record, naming
    its resident.
    """
    rows = queryset.select_related("resident__commune", "resident__village", "resident__household")
    return get_in_scope(rows, pk, scope=search_scope(context.actor), field="resident__commune", context=context)
