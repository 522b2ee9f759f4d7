"""Putting counted facts into the asked unit's territory, whatever era of the map they were recorded in.

Measures group their facts in SQL by the unit they were recorded against; this module decides, per group
(never per person), which current unit a group counts toward:

* **Discrete facts** — a person, a household, a visit, a station, a village — are counted where they are, as
  one: in their village when the record names one, else in their commune when it is current, else (an old
  commune, abolished on 1 July 2025) in the successor that is the person's own commune today (the *hint*:
  a resident's current commune, a visit's facility), else in the main successor (the largest share of the old
  commune's population). So a split commune's weights never make a count fractional.
* **Weighted facts** — figures recorded for a unit as a whole (a population estimate, a weekly report) — are
  shared between the current units it became with the crosswalk weights (``OrgUnitRollup``).

An old unit asked with ``old:CODE`` counts its own facts, unweighted (they all lie in its subtree).
A *breakdown* keys the result by the unit at one depth of the current tree under the asked unit (its
communes, its villages); a fact recorded above that depth is kept under ``None`` (unplaced).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from ytcs.indicators.units import UnitRef
from ytcs.orgunits.models import OrgUnit, OrgUnitRollup

Key = tuple[Hashable, ...]


@dataclass(frozen=True)
class _Unit:
    pk: int
    path: str
    current: bool


def _depth(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/")]


class Placer:
    """Places the groups of one evaluation; ``breakdown`` is the depth (0 = country) of the keying unit."""

    def __init__(self, ref: UnitRef, *, breakdown: int | None = None) -> None:
        self.ref = ref
        self.breakdown = breakdown
        self._units: dict[int, _Unit] = {}
        self._rollups: dict[int, list[tuple[int, float]]] = {}

    # --- the map, loaded for the units the groups name (two queries per batch) ---------------------------

    def _load(self, ids: Iterable[int | None]) -> None:
        wanted = {pk for pk in ids if pk is not None and pk not in self._units}
        if not wanted:
            return
        rows = OrgUnit.objects.filter(pk__in=wanted).values_list("pk", "path", "valid_to")
        for pk, path, valid_to in rows:
            self._units[pk] = _Unit(pk, path, valid_to is None)
        targets = (
            OrgUnitRollup.objects.filter(unit_id__in=wanted, current_unit__valid_to__isnull=True)
            .order_by("unit_id", "-weight", "current_unit__code", "current_unit_id")
            .values_list("unit_id", "current_unit_id", "weight", "current_unit__path")
        )
        for unit_id, current_id, weight, path in targets:
            self._rollups.setdefault(unit_id, []).append((current_id, weight))
            self._units.setdefault(current_id, _Unit(current_id, path, True))

    def _key(self, path: str) -> int | None:
        if self.breakdown is None:
            return None
        parts = _depth(path)
        return parts[self.breakdown] if len(parts) > self.breakdown else None

    def _inside(self, path: str) -> bool:
        return path.startswith(self.ref.unit.path)

    # --- discrete facts ------------------------------------------------------------------------------------

    def _place(self, commune_id: int | None, village_id: int | None, hint_id: int | None) -> _Unit | None:
        for pk in (village_id, commune_id):
            if pk is None or pk not in self._units:
                continue
            unit = self._units[pk]
            if unit.current:
                return unit
            targets = [target for target, _weight in self._rollups.get(pk, ())]
            if not targets:
                return None
            return self._units[hint_id if hint_id in targets else targets[0]]
        return None

    def discrete(self, rows: Iterable[tuple]) -> dict[Key, float]:
        """``rows`` of ``(commune_id, village_id, hint_id, *dimensions, amount)`` → amount per (unit key, *dims)."""
        rows = list(rows)
        result: dict[Key, float] = defaultdict(float)
        if self.ref.old:
            self._load(row[0] for row in rows)
            for commune_id, _village, _hint, *rest in rows:
                unit = self._units.get(commune_id)
                path = unit.path if unit else self.ref.unit.path
                result[(self._key(path), *rest[:-1])] += rest[-1]
            return dict(result)
        self._load(pk for row in rows for pk in row[:3])
        for commune_id, village_id, hint_id, *rest in rows:
            unit = self._place(commune_id, village_id, hint_id)
            if unit is not None and self._inside(unit.path):
                result[(self._key(unit.path), *rest[:-1])] += rest[-1]
        return dict(result)

    # --- weighted facts ------------------------------------------------------------------------------------

    def weighted(self, rows: Iterable[tuple]) -> dict[Key, float]:
        """``rows`` of ``(unit_id, *dimensions, amount)`` → weighted amount per (unit key, *dims)."""
        rows = list(rows)
        result: dict[Key, float] = defaultdict(float)
        self._load(row[0] for row in rows)
        for unit_id, *rest in rows:
            amount = rest[-1]
            if self.ref.old:
                unit = self._units.get(unit_id)
                result[(self._key(unit.path if unit else self.ref.unit.path), *rest[:-1])] += amount
                continue
            for current_id, weight in self._rollups.get(unit_id, ()):
                path = self._units[current_id].path
                if self._inside(path):
                    result[(self._key(path), *rest[:-1])] += amount * weight
        return dict(result)
