"""The catalogue of measures: each named count is implemented once, here, and definitions refer to it by name.

A measure answers one question ("residents on the register on a day", "station visits paid by insurance over
a period") for one asked unit and period, as grouped rows computed in SQL (never a loop over people). An
indicator's numerator and denominator are each a measure with parameters (``data/*.toml``); the engine
places the rows into the asked territory (:mod:`ytcs.indicators.placement`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from ytcs.core.periods import Aggregation, Period
from ytcs.indicators.units import UnitRef
from ytcs.orgunits.models import OrgUnit

# Breakdown columns a measure may offer; ``village`` is a place (the village the fact is placed in), the others
# columns of the counted rows.
DIMENSIONS = ("sex", "age_group", "ethnicity", "residence_status", "village")


@dataclass(frozen=True)
class Ask:
    """What a measure is asked: the unit, the period, the day a stock is taken, parameters, breakdown columns."""

    ref: UnitRef
    period: Period
    on: dt.date  # the stock day: the period's last day, or today for a period in progress
    today: dt.date
    params: Mapping[str, Any] = field(default_factory=dict)
    dims: tuple[str, ...] = ()

    @property
    def fact_units(self) -> QuerySet:
        return self.ref.fact_units()

    def in_territory(self, commune_field: str = "commune_id", village_field: str = "village_id") -> Q:
        """Rows recorded in the territory: by their commune, or by their village when a village is asked (a
        village's records name their commune too, which lies above the village)."""
        if self.ref.unit.level == OrgUnit.Level.VILLAGE:
            return Q(**{f"{village_field}__in": self.fact_units})
        return Q(**{f"{commune_field}__in": self.fact_units})


@dataclass(frozen=True)
class Measure:
    """One named count. ``weighted`` facts are shared through the crosswalk; the others are placed whole.

    ``rows`` returns ``(commune_id, village_id, hint_id, *dims, amount)`` for a discrete measure and
    ``(unit_id, *dims, amount)`` for a weighted one; ``None`` (instead of rows) means "no figure" — a
    population estimate that was never entered.
    """

    name: str
    aggregation: Aggregation
    counts: str  # who or what is counted, and who is not (English; the generated docs print it)
    rows: Callable[[Ask], Iterable[tuple] | None]
    params: Mapping[str, Any] = field(default_factory=dict)
    dimensions: tuple[str, ...] = ()
    weighted: bool = False


MEASURES: dict[str, Measure] = {}


def measure(
    name: str, *, aggregation: Aggregation, counts: str, params: Mapping[str, Any] | None = None,
    dimensions: tuple[str, ...] = (), weighted: bool = False,
) -> Callable[[Callable[[Ask], Iterable[tuple] | None]], Callable[[Ask], Iterable[tuple] | None]]:
    """Register the decorated function as the measure ``name`` (names are unique)."""

    def register(rows: Callable[[Ask], Iterable[tuple] | None]) -> Callable[[Ask], Iterable[tuple] | None]:
        if name in MEASURES:
            raise ValueError(f"measure {name!r} is registered twice")
        MEASURES[name] = Measure(name, aggregation, " ".join(counts.split()), rows, dict(params or {}),
                                 dimensions, weighted)
        return rows

    return register
