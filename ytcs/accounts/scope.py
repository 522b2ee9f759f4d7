"""The one place that decides which personal data a user may reach.

Three scopes, as DHIS2 keeps them: *capture* (enter data), *search* (find and
open individual records) and *aggregate* (see counts). Each is a set of current
org-unit subtrees rooted at the user's *effective units* (:func:`effective_units`):
their own unit, or for a unit that no longer exists (a commune abolished on
1 July 2025) every current unit it became through the crosswalk. Pages, menus,
APIs and services ask :func:`effective_units` / :func:`effective_unit`, never
``user.org_unit``, so a user attached to an old commune keeps working on the same
people after the merger and what the menu offers is what answers.

Personal data is anchored on a *commune* (``Resident.commune``) and refined by a
*village*. A scope rooted at a commune or above filters on the commune; a scope
rooted at a village (a village health worker) filters on the village, because a
commune path never starts with a village path.

Outside the search scope a record does not exist for the user: the API and UI
answer 404, never 403, so existence is not leaked.

The module is generic: it builds filters for any model with a commune/village
field (:meth:`Scope.q`) and opens one row of any queryset within a scope
(:func:`get_in_scope`), auditing a refused attempt on a row that exists. It knows
no domain's models; the doors to them live with their app (residents and
households: ``ytcs.people.access``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import reduce
from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, Q, QuerySet

from ytcs.accounts.models import Role, User
from ytcs.audit.context import AuditContext
from ytcs.audit.models import AuditAction
from ytcs.audit.services import audit_record
from ytcs.audit.vocabulary import ResourceType
from ytcs.core.errors import NotAllowed, OutOfScope
from ytcs.orgunits.models import OrgUnit, OrgUnitSuccession
from ytcs.orgunits.selectors import current_units_for

M = TypeVar("M", bound=Model)

_OPENS_RECORDS_BY_DEFAULT = {
    Role.VILLAGE_HEALTH_WORKER,
    Role.STATION_STAFF,
    Role.STATION_HEAD,
    Role.SYSTEM_ADMIN,
}
MAX_ID = 2**63 - 1  # the largest primary key (PostgreSQL bigint)
_CAPTURES_DATA = {Role.VILLAGE_HEALTH_WORKER, Role.STATION_STAFF, Role.STATION_HEAD}
_CACHE_ATTR = "_ytcs_effective_units"


@dataclass(frozen=True)
class ScopeUnit:
    """A current org unit at the root of a scope subtree."""

    pk: int
    path: str
    level: int


@dataclass(frozen=True)
class Scope:
    """The current org-unit subtrees a right covers; empty means none."""

    units: tuple[ScopeUnit, ...] = ()

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(unit.path for unit in self.units)

    def __bool__(self) -> bool:
        return bool(self.units)

    def q(self, field: str = "commune", *, village_field: str | None = None) -> Q:
        """A filter limiting rows whose org-unit foreign key is ``field`` to the scope.

        For a commune-anchored field (its name ends in ``commune``) the village
        field defaults to the sibling ``…village`` (``resident__commune`` →
        ``resident__village``); village-rooted scopes filter on it. Pass
        ``village_field=""`` for data that has no village: a village scope then
        matches none of it. Any other field is filtered by path prefix, which is
        right for a foreign key to a unit at any level. An empty scope matches
        nothing.
        """
        if not self.units:
            return Q(pk__in=[])
        if not field.endswith("commune"):
            return _any_of(Q(**{f"{field}__path__startswith": unit.path}) for unit in self.units)
        if village_field is None:
            village_field = field.removesuffix("commune") + "village"
        communes = [u.pk for u in self.units if u.level == OrgUnit.Level.COMMUNE]
        villages = [u.pk for u in self.units if u.level > OrgUnit.Level.COMMUNE]
        above = [u.path for u in self.units if u.level < OrgUnit.Level.COMMUNE]
        conditions = [Q(**{f"{field}__path__startswith": path}) for path in above]
        if communes:
            conditions.append(Q(**{f"{field}_id__in": communes}))
        if villages and village_field:
            conditions.append(Q(**{f"{village_field}_id__in": villages}))
        return _any_of(conditions) if conditions else Q(pk__in=[])

    def covers(self, unit: OrgUnit) -> bool:
        """Whether ``unit`` lies in one of the scope's subtrees."""
        return any(unit.path.startswith(path) for path in self.paths)

    def covers_place(self, commune: OrgUnit, village: OrgUnit | None = None) -> bool:
        """Whether a record placed at ``commune`` (and ``village``) lies in the scope."""
        if village is None:
            return self.covers(commune)
        return village.path.startswith(commune.path) and self.covers(village)


def _any_of(conditions: Iterable[Q]) -> Q:
    return reduce(operator.or_, conditions)


def effective_units(user: User | Any) -> tuple[OrgUnit, ...]:
    """The current unit(s) the user works at: the one answer every page, menu, API and service uses.

    A user attached to a current unit works there. A user attached to a unit that no
    longer exists works on every current unit it became, the main successor first
    (see :func:`current_units_for`): a commune merged into one new commune resolves
    to that commune, a commune split across several resolves to all of them. Nothing
    for an anonymous, inactive or unattached user. Computed once per user object (so
    once per request): one query for the unit and, for an old unit, one for the
    crosswalk.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.org_unit_id is None:
        return ()
    key = (user.pk, user.org_unit_id)
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None and cached[0] == key:
        return cached[1]
    units = tuple(current_units_for(user.org_unit))
    setattr(user, _CACHE_ATTR, (key, units))
    return units


def effective_unit(user: User | Any, chosen: int | str | None = None) -> OrgUnit | None:
    """The one current unit a page, API call or service acts for (a station's register, its weekly report).

    By default the main successor (the first of :func:`effective_units`); ``chosen``
    (a unit id from a query string or a payload) picks another of the user's units —
    one of the successors of a split commune. An id that is not one of them is a 404.
    """
    units = effective_units(user)
    if chosen is None or str(chosen).strip() == "":
        return units[0] if units else None
    for unit in units:
        if str(unit.pk) == str(chosen).strip():
            return unit
    raise OutOfScope


def capture_communes(user: User | Any) -> tuple[OrgUnit, ...]:
    """The communes where the user registers households and residents (main one first).

    The station roles' effective communes. A village health worker captures in a
    village, not a commune, so registration is not offered to them.
    """
    if not capture_scope(user):
        return ()
    return tuple(unit for unit in effective_units(user) if unit.level == OrgUnit.Level.COMMUNE)


def capture_commune(user: User | Any, chosen: int | str | None = None) -> OrgUnit:
    """The commune a registration (page or API) goes to: :func:`effective_unit` among :func:`capture_communes`.

    404 when the user registers nowhere or ``chosen`` is not one of their communes.
    """
    unit = effective_unit(user, chosen)
    if unit is None or unit not in capture_communes(user):
        raise OutOfScope
    return unit


@dataclass(frozen=True)
class UnitChange:
    """A user's unit that no longer exists, the current unit(s) it became, and since when."""

    old: OrgUnit
    successors: tuple[OrgUnit, ...]
    since: date | None


def unit_change(user: User | Any) -> UnitChange | None:
    """How the user's abolished unit resolves, for display; ``None`` when the unit is current or absent.

    The date is the crosswalk's effective date (the first day of the new map), else the
    day the old unit stopped being valid.
    """
    if user_unit_is_current(user):
        return None
    old = user.org_unit
    edges = OrgUnitSuccession.objects.filter(predecessor=old).order_by("effective_date")
    since = edges.values_list("effective_date", flat=True).first() or old.valid_to
    return UnitChange(old=old, successors=effective_units(user), since=since)


def user_unit_is_current(user: User | Any) -> bool:
    """Whether the user is attached to no unit or to a current one (nothing to resolve or to move)."""
    return getattr(user, "org_unit_id", None) is None or user.org_unit.is_current


def _home_scope(user: User | Any) -> Scope:
    """The user's own subtree(s): those of their effective units."""
    return Scope(tuple(ScopeUnit(u.pk, u.path, u.level) for u in effective_units(user)))


def may_open_records(user: User | Any) -> bool:
    """The role's default right to open individual records, or the user's explicit override."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.may_open_records is not None:
        return user.may_open_records
    return user.role in _OPENS_RECORDS_BY_DEFAULT


def is_system_admin(user: User | Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.SYSTEM_ADMIN)


def aggregate_scope(user: User) -> Scope:
    """Where the user may see counts and indicators: the whole home subtree, for every role."""
    return _home_scope(user)


def search_scope(user: User) -> Scope:
    """Where the user may find and open individual records."""
    return _home_scope(user) if may_open_records(user) else Scope()


def capture_scope(user: User) -> Scope:
    """Where the user may enter or change data: only the station and village roles."""
    if not getattr(user, "is_authenticated", False) or user.role not in _CAPTURES_DATA:
        return Scope()
    return _home_scope(user)


def require_capture(
    user: User,
    unit: OrgUnit,
    *,
    village: OrgUnit | None = None,
    seen: Callable[[User], Scope] | None = None,
) -> None:
    """The refusal rule for a write placed at ``unit`` (a commune, or a village) and ``village``: return when
    the user captures data there; otherwise 403 (:class:`NotAllowed`) when they can see the place — ``seen``,
    the aggregate scope for a place, the search scope for a record someone opened — and 404
    (:class:`OutOfScope`) when they cannot, or the unit no longer exists. Every app's writes ask here.

    Writes go only to current units; a village health worker must name the village.
    """
    if unit.level == OrgUnit.Level.VILLAGE and village is None:
        unit, village = unit.parent, unit
    if not unit.is_current or (village is not None and not village.is_current):
        raise OutOfScope
    if capture_scope(user).covers_place(unit, village):
        return
    if (seen or aggregate_scope)(user).covers_place(unit, village):
        raise NotAllowed
    raise OutOfScope


def require_aggregate(user: User, unit: OrgUnit) -> None:
    """Refuse (404) aggregate figures for ``unit`` when it lies outside the aggregate scope."""
    if not aggregate_scope(user).covers(unit):
        raise OutOfScope


def scoped_aggregate(user: User, queryset: QuerySet, field: str = "commune", *, village_field: str | None = None):
    """``queryset`` limited to the user's aggregate scope (see :meth:`Scope.q` for the fields)."""
    return queryset.filter(aggregate_scope(user).q(field, village_field=village_field))


def aggregate_units(user: User) -> QuerySet[OrgUnit]:
    """The current org units the user may see figures for (for pickers and drill-down)."""
    scope = aggregate_scope(user)
    if not scope:
        return OrgUnit.objects.none()
    subtrees = _any_of(Q(path__startswith=path) for path in scope.paths)
    return OrgUnit.objects.filter(subtrees, valid_to__isnull=True).order_by("path")


def aggregate_province(user: User, code: str) -> OrgUnit:
    """The current province with official ``code`` if the user may see its figures; 404 otherwise.

    Drill-down pages name a province by its code in the URL (``?province=04``): a unit code is not
    personal data, and unlike a primary key it reads the same on every installation.
    """
    code = code.strip()
    if not code or "\x00" in code:  # a NUL byte would be a PostgreSQL error, not a miss
        raise OutOfScope
    unit = OrgUnit.objects.filter(level=OrgUnit.Level.PROVINCE, valid_to__isnull=True, code=code).first()
    if unit is None:
        raise OutOfScope
    require_aggregate(user, unit)
    return unit


def get_in_scope(
    queryset: QuerySet[M],
    pk: Any,
    *,
    scope: Scope,
    context: AuditContext,
    field: str = "commune",
    village_field: str | None = None,
    subjects: Callable[[int], Iterable[int]] | None = None,
) -> M:
    """The row ``pk`` of ``queryset`` if it lies in ``scope`` (on ``field``, see :meth:`Scope.q`); 404 otherwise.

    Absent, out-of-scope and malformed ids answer alike (:class:`OutOfScope`). A refused attempt on a row
    that exists is written to the audit trail here, so every door refuses the same way: action ``denied``,
    the model's :class:`ResourceType`, and as subject the resident when the row is a resident or belongs to
    one (a ``resident`` foreign key), so probing shows up in "who tried to see this person". A row about
    several people (a household) names them through ``subjects(pk)``.
    """
    resource_type = ResourceType.of(queryset.model)  # fails at once for a model the audit does not name
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise OutOfScope from None
    if not 0 < pk <= MAX_ID:  # past a bigint PostgreSQL raises instead of finding nothing
        raise OutOfScope
    row = queryset.filter(scope.q(field, village_field=village_field), pk=pk).first()
    if row is None:
        _audit_refusal(queryset.model, resource_type, pk, context, subjects)
        raise OutOfScope
    return row


def _audit_refusal(
    model: type[Model],
    resource_type: ResourceType,
    pk: int,
    context: AuditContext,
    subjects: Callable[[int], Iterable[int]] | None,
) -> None:
    """Audit a refused attempt on the ``model`` row ``pk``; nothing when no such row exists."""
    subject = _subject_field(model)
    found = list(model._base_manager.filter(pk=pk).values_list(subject or "pk", flat=True)[:1])
    if not found:
        return
    named = [found[0]] if subject and found[0] is not None else []
    if subjects is not None:
        named = list(subjects(pk))
    audit_record(
        context=context,
        action=AuditAction.DENIED,
        resource_type=resource_type,
        resource_id=pk,
        subject_ids=named,
        outcome="denied",
    )


def _subject_field(model: type[Model]) -> str | None:
    """The field naming the person a row is about: ``pk`` for a resident, ``resident_id`` for their records."""
    if ResourceType.of(model) is ResourceType.RESIDENT:
        return "pk"
    try:
        link = model._meta.get_field("resident")
    except FieldDoesNotExist:
        return None
    if link.many_to_one and link.related_model._meta.label == ResourceType.RESIDENT:
        return link.attname
    return None
