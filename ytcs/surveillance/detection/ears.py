"""EARS C1, C2 and C3 (Hutwagner et al.) as R ``surveillance::earsC`` computes them.

C1 compares week ``k`` with the mean and standard deviation of the ``baseline`` weeks just before it;
C2 leaves a guard band of two weeks; C3 adds the positive parts (minus 1) of the C2 statistics of the
two previous weeks.  R's formulas are kept literally, including the C3 upper bound being expressed
around the observed count, ``sd`` floored at ``minSigma`` and NaN (no threshold, no alarm) where a
zero standard deviation makes C2 undefined.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from .result import RangeResult

__all__ = ["EarsParams", "ears"]


@dataclass(frozen=True)
class EarsParams:
    variant: str = "C1"
    baseline: int = 7
    alpha: float | None = None  # default 0.001 for C1/C2, 0.025 for C3 (R's defaults)
    min_sigma: float = 0.0

    @property
    def alpha_value(self) -> float:
        if self.alpha is not None:
            return self.alpha
        return 0.025 if self.variant == "C3" else 0.001

    @property
    def max_lag(self) -> int:
        return {"C1": self.baseline, "C2": self.baseline + 2, "C3": self.baseline + 4}[self.variant]

    def first_week(self) -> int:
        """0-based first week of R's default range (``baseline + 1``, ``+ 3``, ``+ 5``)."""
        return self.max_lag


def _stats(y: np.ndarray, weeks: np.ndarray, lag0: int, baseline: int) -> tuple[np.ndarray, np.ndarray]:
    idx = weeks[:, None] - lag0 - np.arange(baseline)[None, :]
    ref = y[idx]
    return ref.mean(axis=1), ref.std(axis=1, ddof=1)


def ears(y: np.ndarray, weeks: np.ndarray, prm: EarsParams) -> RangeResult:
    """EARS for the 0-based ``weeks`` of series ``y`` (NaN = missing); infeasible weeks give NaN."""
    weeks = weeks[weeks >= prm.max_lag]
    z = special.ndtri(1.0 - prm.alpha_value)
    with np.errstate(divide="ignore", invalid="ignore"):
        if prm.variant == "C1":
            mean, sd = _stats(y, weeks, 1, prm.baseline)
            upper = mean + z * np.maximum(sd, prm.min_sigma)
        elif prm.variant == "C2":
            mean, sd = _stats(y, weeks, 3, prm.baseline)
            upper = mean + z * np.maximum(sd, prm.min_sigma)
        else:
            mean, sd = _stats(y, weeks, 3, prm.baseline)
            sigma = np.maximum(sd, prm.min_sigma)
            lag_parts = np.zeros(len(weeks))
            for lag in (1, 2):
                m_l, sd_l = _stats(y, weeks - lag, 3, prm.baseline)
                c2 = (y[weeks - lag] - m_l) / np.maximum(sd_l, prm.min_sigma)
                lag_parts = lag_parts + np.maximum(0.0, c2 - 1.0)
            upper = np.maximum(0.0, y[weeks] + sigma * (z - lag_parts))
        obs = y[weeks]
        alarm = np.where(np.isnan(obs) | np.isnan(upper), np.nan, (obs > upper).astype(float))
    return RangeResult(weeks, mean, upper, alarm)
