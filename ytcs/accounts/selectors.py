"""Reads over user accounts, for system administrators.

Users attached to a unit that no longer exists keep working (``scope.effective_units``
resolves them to the successor), but their attachment should be moved to the current
unit: this lists them with where the crosswalk says they went.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ytcs.accounts.models import User
from ytcs.accounts.scope import OutOfScope, aggregate_scope, is_system_admin
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.orgunits.models import OrgUnit, OrgUnitSuccession
from ytcs.orgunits.selectors import current_units_for


@dataclass(frozen=True)
class UserToMove:
    """An active user on an abolished unit, the current unit(s) it became (main one first) and since when."""

    user: User
    successors: tuple[OrgUnit, ...]
    since: date | None

    @property
    def old_unit(self) -> OrgUnit:
        return self.user.org_unit


def users_to_move(*, context: AuditContext) -> list[UserToMove]:
    """Active users attached to units that are no longer valid, within the administrator's area.

    A user is in the area when their old unit or one of its successors lies in the
    administrator's aggregate scope. Everyone but an active system administrator gets a 404;
    A context without an actor is the command line (``ytcs users to-move``), whose operator sees every unit.
    The listing is audited (the usernames shown are staff data).
    """
    actor = context.actor
    if actor is not None and not is_system_admin(actor):
        raise OutOfScope
    scope = aggregate_scope(actor) if actor is not None else None
    users = (
        User.objects.filter(is_active=True, org_unit__valid_to__isnull=False)
        .select_related("org_unit")
        .order_by("org_unit__name_folded", "org_unit__pk", "username")
    )
    successors: dict[int, tuple[OrgUnit, ...]] = {}
    rows = []
    for user in users:
        old = user.org_unit
        if old.pk not in successors:
            successors[old.pk] = tuple(current_units_for(old))
        if scope is None or scope.covers(old) or any(scope.covers(unit) for unit in successors[old.pk]):
            rows.append(user)
    since = _since_by_unit({user.org_unit_id for user in rows})
    result = [
        UserToMove(user, successors[user.org_unit_id], since.get(user.org_unit_id) or user.org_unit.valid_to)
        for user in rows
    ]
    audit_record(context=context, action=AuditAction.LIST, resource_type=ResourceType.USER, resource_id="to-move")
    return result


def _since_by_unit(unit_ids: set[int]) -> dict[int, date]:
    """The first effective date of each old unit's crosswalk edges."""
    found: dict[int, date] = {}
    edges = OrgUnitSuccession.objects.filter(predecessor_id__in=unit_ids).order_by("effective_date")
    for predecessor_id, effective in edges.values_list("predecessor_id", "effective_date"):
        found.setdefault(predecessor_id, effective)
    return found
