"""Reads over the effective-dated org-unit tree, the crosswalk and the facility rosters.

Org units are not personal data, so these selectors take no actor; the staff
roster is reachable only by signed-in users (the API enforces it).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.lookups import StartsWith
from django.utils import timezone

from ytcs.core.text import fold
from ytcs.orgunits.models import Cadre, FacilityKind, HealthFacility, OrgUnit, OrgUnitRollup, StaffMember

Level = OrgUnit.Level

# Common short forms people type for provinces (folded).
_PROVINCE_ALIASES = {
    "hcm": "ho chi minh", "tp hcm": "ho chi minh", "tphcm": "ho chi minh", "sai gon": "ho chi minh",
    "hn": "ha noi", "tt hue": "thua thien hue", "brvt": "ba ria - vung tau", "ba ria vung tau": "ba ria - vung tau",
}


def today() -> date:
    return timezone.localdate()


def valid_at(as_of: date, prefix: str = "") -> Q:
    """Units (or rows through ``prefix``) whose half-open validity contains ``as_of``."""
    return Q(**{f"{prefix}valid_from__lte": as_of}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": as_of})
    )


def unit_path_filter(unit: OrgUnit, field: str = "") -> Q:
    """Rows whose unit (``field`` → OrgUnit, empty for OrgUnit itself) is ``unit`` or lies below it."""
    return Q(**{f"{field}{'__' if field else ''}path__startswith": unit.path})


def current_units_for(unit: OrgUnit) -> list[OrgUnit]:
    """The current unit(s) ``unit`` rolls up to (itself when it is current), in one query.

    The main successor comes first: the one that received the largest share of the
    old unit's population (``OrgUnitRollup.weight``), then by official code. This is
    the one answer for "what did this unit become": a user's effective units
    (``accounts.scope``), an old province named on the command line.
    """
    if unit.is_current:
        return [unit]
    rollups = (
        OrgUnitRollup.objects.filter(unit=unit, current_unit__valid_to__isnull=True)
        .select_related("current_unit")
        .order_by("-weight", "current_unit__code", "current_unit__pk")
    )
    return [r.current_unit for r in rollups]


def rollup_targets(unit: OrgUnit) -> QuerySet:
    """``OrgUnitRollup`` rows of ``unit`` with their current unit, for display with weights."""
    return OrgUnitRollup.objects.filter(unit=unit).select_related("current_unit").order_by("-weight")


def units_under(unit: OrgUnit, *, as_of: date) -> QuerySet:
    """Every unit valid on ``as_of`` that belongs to ``unit`` (``unit`` included when valid), as one query.

    When ``unit`` itself is valid on ``as_of`` this is its subtree. Otherwise the
    question crosses the 2025 reorganisation and is answered through the
    crosswalk: units valid on ``as_of`` that roll up into (the subtree of) a
    current unit that ``unit`` rolls up to. "The new Lào Cai as of 2024" gives
    the old Lào Cai and Yên Bái units; "old district D as of 2026" gives the new
    communes D went into. A split unit appears under each of its successors.
    """
    units = OrgUnit.objects.filter(valid_at(as_of))
    if unit.valid_from <= as_of and (unit.valid_to is None or as_of < unit.valid_to):
        return units.filter(unit_path_filter(unit))
    targets = OrgUnitRollup.objects.filter(unit_id=unit.pk)
    rolls_in = OrgUnitRollup.objects.filter(unit_id=OuterRef("pk")).filter(
        Exists(targets.filter(StartsWith(OuterRef("current_unit__path"), F("current_unit__path"))))
    )
    return units.filter(Exists(rolls_in))


def unit_by_code(code: str, *, level: int, as_of: date | None = None) -> OrgUnit | None:
    """The unit with official ``code`` at ``level`` valid on ``as_of`` (today by default)."""
    return OrgUnit.objects.filter(valid_at(as_of or today()), level=level, code=code.strip()).first()


def province_lookup(text: str, *, as_of: date | None = None) -> OrgUnit | None:
    """A province by code ("04", "4") or name, ignoring case, marks, tone placement and "Tỉnh"/"Thành phố"."""
    text = text.strip()
    provinces = OrgUnit.objects.filter(valid_at(as_of or today()), level=Level.PROVINCE)
    if text.isdigit():
        return provinces.filter(code=text.zfill(2)).first()
    key = fold(text)
    for prefix in ("tinh ", "thanh pho ", "tp. ", "tp "):
        key = key.removeprefix(prefix)
    key = _PROVINCE_ALIASES.get(key, key)
    return provinces.filter(name_folded__in=[key, f"tinh {key}", f"thanh pho {key}"]).first()


def province_lookup_any_era(text: str) -> OrgUnit | None:
    """A current province by name or code, or the current province an old one (e.g. "Yên Bái") merged into."""
    found = province_lookup(text)
    if found is not None:
        return found
    old = province_lookup(text, as_of=date(2025, 6, 30))
    if old is None:
        return None
    return next(iter(current_units_for(old)), None)


def unit_search(*, query: str = "", as_of: date | None = None, level: int | None = None,
                parent: OrgUnit | None = None) -> QuerySet:
    units = OrgUnit.objects.filter(valid_at(as_of or today()))
    if query:
        units = units.filter(Q(name_folded__contains=fold(query)) | Q(code=query.strip()))
    if level is not None:
        units = units.filter(level=level)
    if parent is not None:
        units = units.filter(parent=parent)
    return units.order_by("level", "code")


# --- facts recorded against units of any era ---------------------------------------------------------


# Position of each level in a current unit's path: country/province/commune/village (no districts).
_CURRENT_DEPTH = {Level.COUNTRY: 0, Level.PROVINCE: 1, Level.COMMUNE: 2, Level.VILLAGE: 3}


@dataclass(frozen=True)
class RollupTotals:
    """Weighted totals per current unit at one level; ``unplaced`` counts facts recorded above that level."""

    by_unit: dict[OrgUnit, float]
    unplaced: float

    def for_unit(self, unit: OrgUnit) -> float:
        return self.by_unit.get(unit, 0.0)


def rollup_totals(facts: QuerySet, *, unit_field: str, level: int, value: str | None = None) -> RollupTotals:
    """Sum ``facts`` (counted, or ``value`` summed) into current units at ``level``, whatever unit they name.

    A fact recorded in 2024 against an old commune counts toward the commune(s)
    that replaced it, each with its crosswalk weight, and toward their province.
    The weighted sum runs in SQL, grouped by current unit; the step up to
    ``level`` follows the materialised paths.
    """
    if level not in _CURRENT_DEPTH:
        raise ValueError("current units have no district level")
    depth = _CURRENT_DEPTH[level]
    weight = F(f"{unit_field}__rollups__weight")
    amount = weight * F(value) if value else weight
    rows = (
        facts.order_by()
        .values(target=F(f"{unit_field}__rollups__current_unit"))
        .annotate(total=Sum(amount))
        .values_list("target", "total")
    )
    per_current = {target: float(total or 0) for target, total in rows if target is not None}
    paths = dict(OrgUnit.objects.filter(pk__in=per_current).values_list("pk", "path"))
    ancestor_ids: dict[int, int] = {}
    for pk, path in paths.items():
        parts = [int(p) for p in path.strip("/").split("/")]
        if len(parts) > depth:
            ancestor_ids[pk] = parts[depth]
    ancestors = OrgUnit.objects.in_bulk(set(ancestor_ids.values()))
    by_unit: dict[OrgUnit, float] = defaultdict(float)
    unplaced = 0.0
    for pk, total in per_current.items():
        if pk in ancestor_ids:
            by_unit[ancestors[ancestor_ids[pk]]] += total
        else:
            unplaced += total
    return RollupTotals(dict(by_unit), unplaced)


# --- facilities and the Directive 25 targets ---------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    total: int
    covered: int

    @property
    def share(self) -> float | None:
        return self.covered / self.total if self.total else None


def facilities_in(unit: OrgUnit, *, as_of: date | None = None) -> QuerySet:
    """Facilities open on ``as_of`` in the current subtree ``unit`` belongs to."""
    as_of = as_of or today()
    units = units_under(unit, as_of=as_of)
    return (
        HealthFacility.objects.filter(valid_at(as_of), org_unit__in=units.values("pk"))
        .select_related("org_unit", "parent")
        .order_by("org_unit__code", "kind", "code")
    )


def _active(as_of: date) -> Q:
    return Q(active_from__lte=as_of) & (Q(active_to__isnull=True) | Q(active_to__gt=as_of))


def staff_roster(facility: HealthFacility, *, as_of: date | None = None) -> QuerySet:
    return facility.staff.filter(_active(as_of or today())).select_related("village").order_by("cadre", "full_name")


def stations_with_permanent_doctor(unit: OrgUnit, *, as_of: date | None = None) -> Coverage:
    """Commune health stations under ``unit`` and how many have at least one permanent doctor on ``as_of``."""
    as_of = as_of or today()
    stations = facilities_in(unit, as_of=as_of).filter(kind=FacilityKind.COMMUNE_STATION)
    doctor = StaffMember.objects.filter(_active(as_of), facility=OuterRef("pk"), cadre=Cadre.DOCTOR, is_permanent=True)
    return Coverage(stations.count(), stations.filter(Exists(doctor)).count())


def villages_with_trained_worker(unit: OrgUnit, *, as_of: date | None = None) -> Coverage:
    """Villages under ``unit`` and how many have an active, trained village health worker on ``as_of``."""
    as_of = as_of or today()
    villages = units_under(unit, as_of=as_of).filter(level=Level.VILLAGE)
    worker = StaffMember.objects.filter(
        _active(as_of), village=OuterRef("pk"), cadre=Cadre.VILLAGE_HEALTH_WORKER, is_trained=True
    )
    return Coverage(villages.count(), villages.filter(Exists(worker)).count())
