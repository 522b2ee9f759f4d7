"""Staff rosters through the access module: the names of health workers are personal data too.

A facility's roster is listed to users whose *aggregate* scope covers the facility's unit (the station and its
communes' staff for the station, the whole province for the provincial department, and so on); a facility
outside it answers 404 like one that does not exist, and both the refusal and every listing are audited.
This sits with the access module rather than in ``orgunits``, which lies below the audit trail and the scopes
(``docs/architecture.md``, "Layers run one way"); ``orgunits.selectors.staff_roster`` stays the unscoped
query for commands and coverage counts.
"""

from __future__ import annotations

from datetime import date

from ytcs.accounts.scope import aggregate_scope, get_in_scope
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.orgunits.models import HealthFacility, StaffMember
from ytcs.orgunits.selectors import staff_roster


def facility_staff_list(*, context: AuditContext, facility_id: int, as_of: date | None = None) -> list[StaffMember]:
    """The active roster of the facility ``facility_id`` on ``as_of``; 404 outside the actor's aggregate scope.

    Audited as a ``list`` of staff members of that facility, naming every staff member shown (by id) so
    "who saw this health worker's name" can be answered.
    """
    facility = get_in_scope(
        HealthFacility.objects.select_related("org_unit"), facility_id,
        scope=aggregate_scope(context.actor), field="org_unit", context=context,
    )
    roster = list(staff_roster(facility, as_of=as_of))
    audit_record(
        context=context,
        action=AuditAction.LIST,
        resource_type=ResourceType.STAFF_MEMBER,
        resource_id=facility.pk,
        changes={"staff": [member.pk for member in roster]},
    )
    return roster
