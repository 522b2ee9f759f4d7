"""Who may write where in the register: the refusal rule of ``docs/architecture.md`` applied to its writes.

Every write of the register is placed somewhere: a registration at a commune (and village), a change of a
record at the place the record lies. The answer is one of three, decided by the access module
(``accounts.scope.require_capture``) for every app; this module applies it to the register and audits:

- the actor captures data there (``capture_scope``: the station roles in their commune, a village health
  worker in their village): the write goes ahead;
- the actor can see the place or the record but their role may not write there (a provincial viewer posting
  a registration into one of their communes, an administrator editing a record they can open, a village
  health worker opening the commune-wide register pages): :class:`~ytcs.core.errors.NotAllowed`, 403;
- anything else, and any unit that no longer exists: :class:`~ytcs.core.errors.OutOfScope`, 404, the answer
  for a place or record that does not exist.

"Can see" is the aggregate scope for a place (a unit is not personal data) and the search scope for a
record (opening it is the right to see it). A refused write on a record that exists is audited as
``denied`` naming the person(s) it is about, like a refused read at the door (``get_resident_for``).
"""

from __future__ import annotations

from collections.abc import Callable

from ytcs.accounts.models import User
from ytcs.accounts.scope import Scope, aggregate_scope, capture_communes, require_capture, search_scope
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.errors import NotAllowed, OutOfScope
from ytcs.orgunits.models import OrgUnit
from ytcs.people.models import Household, Resident


def require_capture_of(actor: User, commune: OrgUnit, village: OrgUnit | None = None, *,
                       seen: Callable[[User], Scope] = aggregate_scope) -> None:
    """Return when ``actor`` may write at ``commune`` (and ``village``); raise ``NotAllowed`` or ``OutOfScope``.

    ``seen`` is the scope in which the target counts as visible (the aggregate scope for a place, the search
    scope for a record). A named village is where the write lands, so its own commune is the one checked; a
    village of another of the actor's communes than ``commune`` is then left to the input checks (a 422 that
    names the field), while a village outside their scope is a 404 like any unit there.
    """
    if village is not None and village.parent_id != commune.pk and village.parent is not None:
        commune = village.parent
    require_capture(actor, commune, village=village, seen=seen)


def require_capture_of_record(context: AuditContext, record: Resident | Household) -> None:
    """:func:`require_capture_of` for a write on ``record`` where it lies; a refusal is audited as ``denied``."""
    try:
        require_capture_of(context.actor, record.commune, record.village, seen=search_scope)
    except (NotAllowed, OutOfScope):
        audit_refused_write(context, record)
        raise


def require_capture_of_place(context: AuditContext, commune: OrgUnit, village: OrgUnit | None = None, *,
                             household: Household | None = None) -> None:
    """:func:`require_capture_of` for a registration at ``commune``/``village``, into ``household`` if named.

    A refusal of a registration into a household that exists is audited on that household.
    """
    try:
        require_capture_of(context.actor, commune, village)
    except (NotAllowed, OutOfScope):
        if household is not None:
            audit_refused_write(context, household)
        raise


def audit_refused_write(context: AuditContext, record: Resident | Household) -> None:
    """The ``denied`` row of a refused write: the record, and the resident(s) it is about as subjects."""
    if isinstance(record, Resident):
        people = [record.pk]
    else:
        people = list(Resident.objects.filter(household=record).order_by("pk").values_list("pk", flat=True))
    audit_record(context=context, action=AuditAction.DENIED, resource_type=ResourceType.of(record),
                 resource_id=record.pk, subject_ids=people, outcome="denied")


def registration_commune(actor: User, chosen: int | str | None = None, *, village: OrgUnit | None = None) -> OrgUnit:
    """The commune a registration goes to: ``chosen`` (a unit id), else that of the ``village`` named, else the
    actor's main capture commune.

    Whether the actor may register there is :func:`require_capture_of_place`'s answer; here an id that is not
    a commune is a 404, and nothing to go by a 403 (the role registers nowhere: the provincial, national and
    administrator roles).
    """
    if chosen is not None and str(chosen).strip() != "":
        try:
            pk = int(chosen)
        except ValueError:
            raise OutOfScope from None
        commune = OrgUnit.objects.filter(pk=pk, level=OrgUnit.Level.COMMUNE).first()
        if commune is None:
            raise OutOfScope
        return commune
    if village is not None and village.parent is not None and village.parent.level == OrgUnit.Level.COMMUNE:
        return village.parent
    communes = capture_communes(actor)
    if communes:
        return communes[0]
    raise NotAllowed


def register_commune(actor: User, chosen: int | str | None = None) -> OrgUnit:
    """The commune of a commune-wide register page (registration, import, template), for station users only.

    ``chosen`` picks one of a split commune's successors; 404 for a commune the actor cannot see, 403 for one
    they see but do not capture in, and for a role that captures in no commune.
    """
    commune = registration_commune(actor, chosen)
    require_capture_of(actor, commune)
    return commune
