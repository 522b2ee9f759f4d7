"""CUSUM on Poisson counts as R ``surveillance::algo.cusum`` computes it.

The reference mean ``m`` is, unless given, the mean of *all* weeks before the evaluation range (R's
``m = NULL``), so the result depends on where the range starts.  Counts are standardised
(``trans``, default ``"standard"``: ``(x - m) / sqrt(m)``), the CUSUM ``S_t = max(0, S_{t-1} + z_t - k)``
starts at 0 at the first evaluated week and is never reset after an alarm; an alarm is raised when
``S_t >= h``.  The upper bound is the smallest count that would have raised the alarm, back-transformed
as in R (NA and negative bounds become 0, as R does).  A missing week makes ``S_t`` and every later
alarm undefined, as in R.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .result import RangeResult

__all__ = ["CusumParams", "TRANSFORMS", "cusum"]

TRANSFORMS = ("standard", "rossi", "anscombe", "anscombe2nd", "pearsonNegBin", "none")


@dataclass(frozen=True)
class CusumParams:
    k: float = 1.04
    h: float = 2.26
    trans: str = "standard"
    m: float | None = None  # reference mean; None = mean of all weeks before the range
    alpha: float = 0.1  # overdispersion of the "pearsonNegBin" transformation (R's control$alpha)

    def first_week(self) -> int:
        """0-based first week by default: the second week, so that there is a reference mean."""
        return 1


def _standardise(x: np.ndarray, m: float, trans: str, alpha: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        if trans == "standard":
            return (x - m) / math.sqrt(m) if m >= 0 else np.full_like(x, np.nan)
        if trans == "rossi":
            return (x - 3 * m + 2 * np.sqrt(x * m)) / (2 * np.sqrt(m))
        if trans == "anscombe":
            return 1.5 * (x ** (2 / 3) - m ** (2 / 3)) / m ** (1 / 6)
        if trans == "anscombe2nd":
            return (x ** (2 / 3) - (m ** (2 / 3) - m ** (-1 / 3) / 9)) / (2 / 3 * m ** (1 / 6))
        if trans == "pearsonNegBin":
            return (x - m) / np.sqrt(m + alpha * m**2)
        if trans == "none":
            return x.astype(float)
    raise ValueError(f"unknown CUSUM transformation {trans!r}")


def _upper(m: float, ctm1: np.ndarray, s: np.ndarray, prm: CusumParams) -> np.ndarray:
    h, k, trans = prm.h, prm.k, prm.trans
    with np.errstate(divide="ignore", invalid="ignore"):
        if trans == "standard":
            ub = np.ceil(np.sqrt(m) * (h + k - ctm1) + m)
        elif trans == "rossi":
            r = np.sqrt(m)
            ub = (2 * h * r + 2 * k * r - 2 * ctm1 * r + 5 * m
                  - 2 * np.sqrt(4 * m**2 + 2 * m**1.5 * h + 2 * m**1.5 * k - 2 * m**1.5 * ctm1))
        elif trans in ("anscombe", "anscombe2nd"):
            centre = m ** (2 / 3) if trans == "anscombe" else m ** (2 / 3) - m ** (1 / 3) / 9
            base = (2 / 3) * m ** (1 / 6) * (h + k - ctm1) + centre
            ub = np.where(base < 0, 0.0, np.abs(base) ** 1.5)  # NaN stays NaN (then 0 below)
        elif trans == "pearsonNegBin":
            ub = np.sqrt(m + prm.alpha * m**2) * (h + k - ctm1) + m
        else:
            ub = h - s
    ub = np.where(np.isnan(ub), 0.0, ub)
    return np.where(ub < 0, 0.0, ub)


def cusum(y: np.ndarray, weeks: np.ndarray, prm: CusumParams) -> RangeResult:
    """CUSUM over the contiguous 0-based ``weeks`` of series ``y`` (NaN = missing)."""
    if prm.trans not in TRANSFORMS:
        raise ValueError(f"unknown CUSUM transformation {prm.trans!r}")
    first = int(weeks[0])
    # R: m = mean(observed[1:(timePoint - 1)]); for a range starting at week 1, 1:0 picks week 1 only
    default_m = float(np.mean(y[:first])) if first > 0 else float(y[0])
    m = float(prm.m) if prm.m is not None else default_m
    x = y[weeks]
    z = _standardise(x, m, prm.trans, prm.alpha)
    s = np.empty(len(weeks))
    prev = 0.0
    for i, zi in enumerate(z):
        cur = prev + (zi - prm.k)
        prev = cur if math.isnan(cur) else max(0.0, cur)  # R's max(0, NaN) is NaN
        s[i] = prev
    ctm1 = np.concatenate([[0.0], s[:-1]])
    upper = _upper(m, ctm1, s, prm)
    with np.errstate(invalid="ignore"):
        alarm = np.where(np.isnan(s), np.nan, (s >= prm.h).astype(float))
    return RangeResult(weeks, np.full(len(weeks), m), upper, alarm)
