"""The refusal rule of ``docs/architecture.md`` applied to what surveillance reads and writes.

- A case, signal, alert, org unit or resident that is absent or outside what the user can see answers 404
  (:class:`~ytcs.core.errors.OutOfScope`): the *aggregate* scope for units and unit-level records, the
  *search* scope for a resident.
- One the user can see but may not act on answers 403 (:class:`~ytcs.core.errors.NotAllowed`): a report
  placed outside the *capture* scope (a provincial viewer reporting a case into one of their communes), a
  review by a role outside ``services.REVIEWER_ROLES``.

Every refusal of something that exists leaves a ``denied`` audit row, naming the resident when there is one,
so probing other communes shows in the trail. Places named in a report are written in ``changes`` by their
model field (``village``, ``commune``, ``unit``); a unit is not personal data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from ytcs.accounts.scope import aggregate_scope
from ytcs.accounts.scope import require_capture as scope_require_capture
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.errors import NotAllowed, OutOfScope
from ytcs.orgunits.models import OrgUnit
from ytcs.people.access import get_resident_for

if TYPE_CHECKING:
    from ytcs.people.models import Resident

_MAX_PK = 2**63 - 1


def as_pk(value: Any) -> int | None:
    """``value`` as a primary key, or ``None`` when it cannot be one (text, zero, past a 64-bit integer)."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk <= _MAX_PK else None


def audit_refusal(
    context: AuditContext,
    resource_type: ResourceType,
    *,
    resource_id: int | str = "",
    subject_ids: Iterable[int] = (),
    changes: dict | None = None,
) -> None:
    """The ``denied`` row of a refused read or write."""
    audit_record(
        context=context, action=AuditAction.DENIED, resource_type=resource_type, resource_id=resource_id,
        subject_ids=[pk for pk in subject_ids if pk], changes=changes, outcome="denied",
    )


def not_allowed_to_capture() -> NotAllowed:
    return NotAllowed(_("Bạn không được nhập số liệu cho đơn vị này."))


def visible_unit(context: AuditContext, pk: Any, *, resource_type: ResourceType, field: str) -> OrgUnit:
    """The org unit ``pk`` named in a report, if the user can see it (aggregate scope); 404 otherwise.

    ``field`` is the report's field naming it, for the audit row of a refusal.
    """
    pk = as_pk(pk)
    unit = OrgUnit.objects.filter(pk=pk).select_related("parent").first() if pk is not None else None
    if unit is None:
        raise OutOfScope
    if not aggregate_scope(context.actor).covers(unit):
        audit_refusal(context, resource_type, changes={field: unit.pk})
        raise OutOfScope
    return unit


def require_capture(
    context: AuditContext,
    unit: OrgUnit,
    *,
    resource_type: ResourceType,
    changes: dict | None = None,
    subject_ids: Iterable[int] = (),
) -> None:
    """The access module's refusal rule for a report placed at ``unit`` (visible to the user already): 403
    when they may not enter data there, with the reason; the refusal is audited."""
    try:
        scope_require_capture(context.actor, unit)
    except (NotAllowed, OutOfScope):
        audit_refusal(context, resource_type, changes=changes, subject_ids=subject_ids)
        raise not_allowed_to_capture() from None


def visible_resident(context: AuditContext, pk: Any) -> Resident:
    """The resident ``pk`` a report is about, if the user may open the record (search scope); 404 otherwise.

    The access module's getter audits a refused attempt on a resident who exists.
    """
    if as_pk(pk) is None:
        raise OutOfScope
    return get_resident_for(context, pk)
