"""The statistics office's population estimate: aggregate data entered per unit and year (``PopulationEstimate``).

The estimate of a unit for a year is the estimate of the units at one level that made up its territory on
1 July of that year — its own row first, then those of the level below (old provinces for a current province
in 2024, then districts, then communes) — taken from the first level where *every* unit has a row, shared
through the crosswalk weights. When no level is complete there is no figure, and an indicator over it is empty.
"""

from __future__ import annotations

import datetime as dt

from ytcs.core.periods import Aggregation
from ytcs.indicators.measures.base import Ask, measure
from ytcs.indicators.models import PopulationEstimate
from ytcs.orgunits.models import OrgUnit
from ytcs.orgunits.selectors import valid_at


@measure("population_estimate", aggregation=Aggregation.STOCK, weighted=True, counts="""
    The statistics office's population of the unit for the year of the stock day (loaded with `ytcs indicators
    load-population`): the unit's own estimate, else the sum over the units of the first level below it whose
    estimates are all there, shared with the crosswalk weights. Empty when none is complete.""")
def population_estimate(ask: Ask) -> list[tuple] | None:
    year = ask.on.year
    mid_year = dt.date(year, 7, 1)
    units = OrgUnit.objects.filter(valid_at(mid_year), pk__in=ask.fact_units)
    estimates = dict(PopulationEstimate.objects.filter(year=year, unit_id__in=units.values("pk"))
                     .values_list("unit_id", "value"))
    if not estimates:
        return None
    for level in range(ask.ref.unit.level, OrgUnit.Level.COMMUNE + 1):
        at_level = list(units.filter(level=level).values_list("pk", flat=True))
        if at_level and all(pk in estimates for pk in at_level):
            return [(pk, estimates[pk]) for pk in at_level]
    return None
