"""Containers for detection output."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["DetectionResult", "RangeResult"]


@dataclass
class RangeResult:
    """Values for the evaluated weeks only (0-based row numbers); NaN where R gives NA."""

    weeks: np.ndarray
    expected: np.ndarray
    upperbound: np.ndarray
    alarm: np.ndarray  # 1.0, 0.0 or NaN (R's NA)


@dataclass
class DetectionResult:
    """One value per row of the regular weekly series.

    ``expected``/``upperbound`` are NaN where the week was not evaluated, the method has too little
    history, or R gives NA; ``alarm`` is 0/1 (R's NA alarm, e.g. after a missing week, counts as no
    alarm); ``evaluated`` marks the weeks in the evaluation range.
    """

    expected: np.ndarray
    upperbound: np.ndarray
    alarm: np.ndarray  # int8 0/1
    evaluated: np.ndarray  # bool

    @classmethod
    def from_range(cls, n: int, part: RangeResult) -> DetectionResult:
        expected = np.full(n, np.nan)
        upper = np.full(n, np.nan)
        alarm = np.zeros(n, dtype=np.int8)
        evaluated = np.zeros(n, dtype=bool)
        expected[part.weeks] = part.expected
        upper[part.weeks] = part.upperbound
        alarm[part.weeks] = np.nan_to_num(part.alarm, nan=0.0).astype(np.int8)
        evaluated[part.weeks] = True
        return cls(expected, upper, alarm, evaluated)
