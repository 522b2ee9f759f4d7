"""The distributions behind the synthetic population, read once from ``ytcs/synth/data/``.

Each file names its source in its header; this module only parses and normalises.
"""

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_PROVINCE = "*"


def _csv_rows(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def weighted(pairs: list[list[Any]]) -> tuple[list[str], np.ndarray]:
    """Split ``[[name, weight], ...]`` into names and probabilities that sum to 1."""
    names = [str(p[0]) for p in pairs]
    weights = np.array([float(p[1]) for p in pairs])
    return names, weights / weights.sum()


@dataclass(frozen=True)
class Pyramid:
    age_from: np.ndarray  # lower bound of each cell's 5-year group
    sex_male: np.ndarray  # True for male cells
    probs: np.ndarray


@dataclass(frozen=True)
class EthnicMix:
    ethnicities: list[str]
    namings: list[str]
    probs: np.ndarray
    rural_mountain: bool


@cache
def pyramid() -> Pyramid:
    rows = _csv_rows("pyramid_vn.csv")
    ages = np.array([int(r["age_from"]) for r in rows] * 2)
    male = np.array([True] * len(rows) + [False] * len(rows))
    weights = np.array([float(r["male"]) for r in rows] + [float(r["female"]) for r in rows])
    return Pyramid(age_from=ages, sex_male=male, probs=weights / weights.sum())


@cache
def ethnic_mix(province_code: str) -> EthnicMix:
    """Ethnic composition for a province (2-digit GSO code), or the national default."""
    rows = _csv_rows("ethnic_groups.csv")
    code = f"{int(province_code):02d}" if province_code.isdigit() else province_code
    chosen = [r for r in rows if r["province_code"] == code] or [
        r for r in rows if r["province_code"] == DEFAULT_PROVINCE
    ]
    shares = np.array([float(r["share"]) for r in chosen])
    return EthnicMix(
        ethnicities=[r["ethnicity"] for r in chosen],
        namings=[r["naming"] for r in chosen],
        probs=shares / shares.sum(),
        rural_mountain=chosen[0]["rural_mountain"] == "1",
    )


@cache
def names() -> dict[str, Any]:
    with open(DATA_DIR / "names.json", encoding="utf-8") as fh:
        data = json.load(fh)
    data.pop("_notes", None)
    return data


@cache
def params() -> dict[str, Any]:
    with open(DATA_DIR / "params.json", encoding="utf-8") as fh:
        return json.load(fh)


@cache
def cccd_province_codes() -> list[str]:
    return [r["code"] for r in _csv_rows("cccd_province_codes.csv")]


@cache
def phone_prefixes() -> tuple[list[str], np.ndarray]:
    rows = _csv_rows("phone_prefixes.csv")
    return weighted([[r["prefix"], r["weight"]] for r in rows])


def by_profile(value: Any, rural_mountain: bool) -> Any:
    """Pick the ``rural_mountain`` or ``default`` variant of a profile-dependent parameter."""
    if isinstance(value, dict) and "default" in value:
        return value["rural_mountain" if rural_mountain else "default"]
    return value


def interp_table(pairs: list[list[float]], ages: np.ndarray) -> np.ndarray:
    """Evaluate a piecewise-linear ``[[age, value], ...]`` table at ``ages`` (flat beyond the ends)."""
    xs = np.array([p[0] for p in pairs], dtype=float)
    ys = np.array([p[1] for p in pairs], dtype=float)
    return np.interp(ages, xs, ys)


def step_table(pairs: list[list[float]], ages: np.ndarray) -> np.ndarray:
    """Evaluate a step ``[[age, value], ...]`` table: the value of the last threshold not above the age."""
    xs = np.array([p[0] for p in pairs], dtype=float)
    ys = np.array([p[1] for p in pairs], dtype=float)
    return ys[np.clip(np.searchsorted(xs, ages, side="right") - 1, 0, len(ys) - 1)]
