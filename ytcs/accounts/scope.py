"""The one place that decides which personal data a user may reach.

Three scopes, as DHIS2 keeps them: *capture* (enter data), *search* (find and
open individual records) and *aggregate* (see counts). Each is a set of current
org-unit subtrees. A unit that no longer exists (a merged commune) is resolved
through the crosswalk to the current unit(s) it became, so a user attached to an
old commune keeps working on the same people after the merger.

Outside the search scope a record does not exist for the user: the API and UI
answer 404, never 403.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from ytcs.accounts.models import Role, User
from ytcs.orgunits.models import OrgUnit, OrgUnitRollup

_OPENS_RECORDS_BY_DEFAULT = {
    Role.VILLAGE_HEALTH_WORKER,
    Role.STATION_STAFF,
    Role.STATION_HEAD,
    Role.SYSTEM_ADMIN,
}
_CAPTURES_DATA = {Role.VILLAGE_HEALTH_WORKER, Role.STATION_STAFF, Role.STATION_HEAD}


@dataclass(frozen=True)
class Scope:
    """Paths of the current org-unit subtrees a right covers; empty means none."""

    paths: tuple[str, ...]

    def q(self, field: str) -> Q:
        """A filter on ``<field>__path`` limited to the scope (matches nothing when empty)."""
        if not self.paths:
            return Q(pk__in=[])
        condition = Q()
        for path in self.paths:
            condition |= Q(**{f"{field}__path__startswith": path})
        return condition

    def covers(self, unit: OrgUnit) -> bool:
        return any(unit.path.startswith(path) for path in self.paths)


def current_units_for(unit: OrgUnit) -> list[OrgUnit]:
    """The current unit(s) ``unit`` rolls up to (itself when it is current)."""
    if unit.valid_to is None:
        return [unit]
    rollups = OrgUnitRollup.objects.filter(unit=unit).select_related("current_unit")
    return [r.current_unit for r in rollups]


def _home_scope(user: User) -> Scope:
    if not user.is_active or user.org_unit_id is None:
        return Scope(())
    return Scope(tuple(unit.path for unit in current_units_for(user.org_unit)))


def aggregate_scope(user: User) -> Scope:
    return _home_scope(user)


def search_scope(user: User) -> Scope:
    opens = user.may_open_records
    if opens is None:
        opens = user.role in _OPENS_RECORDS_BY_DEFAULT
    return _home_scope(user) if opens else Scope(())


def capture_scope(user: User) -> Scope:
    return _home_scope(user) if user.role in _CAPTURES_DATA else Scope(())


def scoped_residents(user: User) -> QuerySet:
    """Residents ``user`` may search and open. The only door to ``Resident`` rows for views and APIs."""
    from ytcs.people.models import Resident

    scope = search_scope(user)
    return Resident.objects.filter(scope.q("commune"))


def scoped_households(user: User) -> QuerySet:
    from ytcs.people.models import Household

    return Household.objects.filter(search_scope(user).q("commune"))


def get_resident_for(user: User, pk: int) -> "Resident":  # noqa: F821
    """The resident with ``pk`` if ``user`` may open it; 404 for absent and out-of-scope alike."""
    try:
        return scoped_residents(user).select_related("commune", "village", "household").get(pk=pk)
    except (ValueError, TypeError) as exc:
        raise Http404 from exc
    except scoped_residents(user).model.DoesNotExist as exc:
        raise Http404 from exc
