"""The rates behind the synthetic life events, read once from ``ytcs/synth/data/life_events.json``.

The file names the source (or says "assumption") for every block; this module only turns the tables
into vectorised look-ups.
"""

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from ytcs.synth.people import data

DAYS_PER_YEAR = 365.2425


@cache
def rates() -> dict[str, Any]:
    with open(data.DATA_DIR / "life_events.json", encoding="utf-8") as fh:
        return json.load(fh)


def fertility_by_age(ages: np.ndarray, *, rural_mountain: bool) -> np.ndarray:
    """Yearly probability of giving birth for women of ``ages``: the age pattern scaled to the province's TFR."""
    p = rates()["fertility"]
    pattern = p["age_pattern"]
    starts = np.array([a for a, _ in pattern], dtype=float)
    shape = np.array([w for _, w in pattern], dtype=float)
    per_year = shape / (5 * shape.sum()) * data.by_profile(p["tfr"], rural_mountain)
    index = np.searchsorted(starts, ages, side="right") - 1
    inside = (ages >= starts[0]) & (ages < starts[-1] + 5)
    return np.where(inside, per_year[np.clip(index, 0, len(per_year) - 1)], 0.0)


def total_fertility(*, rural_mountain: bool) -> float:
    return float(data.by_profile(rates()["fertility"]["tfr"], rural_mountain))


def death_probability(ages: np.ndarray, male: np.ndarray) -> np.ndarray:
    """Yearly probability of dying at ``ages`` (completed years) by sex."""
    table = rates()["mortality"]["annual_probability"]
    starts = np.array([r[0] for r in table], dtype=float)
    by_sex = np.array([[r[1] for r in table], [r[2] for r in table]])  # row 0 men, row 1 women
    index = np.clip(np.searchsorted(starts, ages, side="right") - 1, 0, len(starts) - 1)
    return by_sex[np.where(male, 0, 1), index]


@dataclass(frozen=True)
class CauseTable:
    band_starts: np.ndarray
    codes: list[list[str]]
    probs: list[tuple[np.ndarray, np.ndarray]]  # per band: (men, women)


@cache
def causes() -> CauseTable:
    bands = rates()["causes_of_death"]["by_age"]
    codes, probs = [], []
    for _start, rows in bands:
        codes.append([r[0] for r in rows])
        men = np.array([r[1] for r in rows], dtype=float)
        women = np.array([r[2] for r in rows], dtype=float)
        probs.append((men / men.sum(), women / women.sum()))
    return CauseTable(np.array([b[0] for b in bands], dtype=float), codes, probs)


def cause_of_death(rng: np.random.Generator, *, age: float, male: bool) -> str:
    """An underlying cause (ICD-10, WHO 2019) plausible for the age band and sex."""
    table = causes()
    band = int(np.clip(np.searchsorted(table.band_starts, age, side="right") - 1, 0, len(table.codes) - 1))
    men, women = table.probs[band]
    return table.codes[band][rng.choice(len(men), p=men if male else women)]
