"""Statistical outbreak detection on weekly counts (issue #4), numerically matching R ``surveillance``.

Pure numpy/scipy, no Django.  Entry points:

* :func:`detect` runs one method on one regular weekly series (``NaN`` = missing week);
* :func:`detect_many` runs one method on many series, batching the Farrington fits across series
  and optionally spreading the work over processes;
* :func:`make_params` turns keyword parameters (the snake_case names of R's control list) into the
  method's parameter object, rejecting unknown or inapplicable ones.

Methods: ``farrington-flexible``, ``farrington``, ``ears-c1``, ``ears-c2``, ``ears-c3``, ``cusum``.
See ``docs/surveillance-detection.md`` for the defaults and how they map to R.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

from .cusum import CusumParams, cusum
from .ears import EarsParams, ears
from .farrington import BEFORE_START, FarringtonParams, FlexibleParams, farrington_batch, flexible_batch
from .layout import FREQ
from .result import DetectionResult, RangeResult
from .series import Problem, SeriesError, WeeklySeries, parse_counts_csv, read_counts_csv

__all__ = [
    "METHODS",
    "CusumParams",
    "DetectionResult",
    "EarsParams",
    "FarringtonParams",
    "FlexibleParams",
    "Problem",
    "SeriesError",
    "WeeklySeries",
    "detect",
    "detect_many",
    "make_params",
    "parse_counts_csv",
    "read_counts_csv",
]

METHODS: dict[str, type] = {
    "farrington-flexible": FlexibleParams,
    "farrington": FarringtonParams,
    "ears-c1": EarsParams,
    "ears-c2": EarsParams,
    "ears-c3": EarsParams,
    "cusum": CusumParams,
}
Params = FlexibleParams | FarringtonParams | EarsParams | CusumParams
BATCH_WEEKS = 2048


def make_params(method: str, **params: Any) -> Params:
    """Parameter object for ``method``; ``None`` values mean "use the default"."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    cls = METHODS[method]
    given = {k: v for k, v in params.items() if v is not None}
    if cls is EarsParams:
        given["variant"] = method[-2:].upper()
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(given) - names)
    if unknown:
        raise ValueError(f"parameter(s) {', '.join(unknown)} do not apply to method {method}")
    prm = cls(**given)
    _check(method, prm)
    return prm


def _check(method: str, prm: Params) -> None:
    """Reject values R rejects (or that make no sense) with a clear message."""
    def need(cond: bool, msg: str) -> None:
        if not cond:
            raise ValueError(f"{method}: {msg}")

    alpha = prm.alpha_value if isinstance(prm, EarsParams) else prm.alpha
    need(0 < alpha < 1, "alpha must be between 0 and 1")
    if isinstance(prm, FarringtonParams | FlexibleParams):
        need(prm.b >= 1, "b must be at least 1")
        need(prm.w >= 0, "w must be at least 0")
        need(prm.limit54[0] >= 0 and prm.limit54[1] > 0, "limit54 needs cases >= 0 and weeks > 0")
        need(prm.powertrans in ("2/3", "1/2", "none"), "powertrans must be 2/3, 1/2 or none")
    if isinstance(prm, FarringtonParams):
        need(2 * prm.alpha < 1, "alpha (one-sided) must be below 0.5")
    if isinstance(prm, FlexibleParams):
        need(prm.no_periods >= 1, "no_periods must be at least 1")
        need(prm.past_weeks_not_included >= 0, "past_weeks_not_included must be at least 0")
        need(prm.threshold_method in ("nbPlugin", "delta", "muan"),
             "threshold_method must be nbPlugin, delta or muan")
    if isinstance(prm, EarsParams):
        need(prm.baseline >= 3, "baseline must be at least 3 (as in R)")
        need(prm.min_sigma >= 0, "min_sigma must not be negative")
    if isinstance(prm, CusumParams):
        need(prm.trans in ("standard", "rossi", "anscombe", "anscombe2nd", "pearsonNegBin", "none"),
             "trans must be standard, rossi, anscombe, anscombe2nd, pearsonNegBin or none")


def evaluation_weeks(n: int, prm: Params, evaluate_last: int | None) -> np.ndarray:
    """0-based weeks to evaluate: the last ``evaluate_last`` weeks (R's ``range``), else R's default."""
    if evaluate_last is not None:
        if evaluate_last < 1:
            raise ValueError("evaluate_last must be at least 1")
        start = max(0, n - evaluate_last)
    else:
        start = prm.first_week()
    return np.arange(start, n)


def _pad(prm: FarringtonParams | FlexibleParams) -> int:
    return FREQ * prm.b + prm.w + prm.limit54[1] + 1


def _farrington_group(args: tuple[list[np.ndarray], Params, int | None]) -> list[DetectionResult]:
    """Farrington methods for a group of series: all their evaluated weeks form one batch of fits."""
    arrays, prm, evaluate_last = args
    pad = _pad(prm)
    pieces, centres, bounds = [], [], []
    offset = 0
    for y in arrays:
        pieces += [np.full(pad, BEFORE_START), y]
        weeks = _feasible(prm, evaluation_weeks(len(y), prm, evaluate_last))
        centres.append(offset + pad + weeks)
        bounds.append(offset + pad)
        offset += pad + len(y)
    flat = np.concatenate(pieces)
    all_centres = np.concatenate(centres)
    run = farrington_batch if isinstance(prm, FarringtonParams) else flexible_batch
    res = run(flat, all_centres, prm)
    out = []
    pos = 0
    for y, cen, base in zip(arrays, centres, bounds, strict=True):
        sl = slice(pos, pos + len(cen))
        pos += len(cen)
        part = RangeResult(cen - base, res.expected[sl], res.upperbound[sl], res.alarm[sl])
        det = DetectionResult.from_range(len(y), part)
        det.evaluated[evaluation_weeks(len(y), prm, evaluate_last)] = True
        out.append(det)
    return out


def _feasible(prm: Params, weeks: np.ndarray) -> np.ndarray:
    if isinstance(prm, FlexibleParams):
        # R needs the reference week k - 52 b and its window start k - 52 b - w (a row 0 is dropped)
        return weeks[weeks >= FREQ * prm.b + prm.w - 1]
    if isinstance(prm, FarringtonParams):
        return weeks[weeks >= FREQ - prm.w]  # earlier weeks have no reference row at all
    return weeks


def detect_many(
    method: str,
    series: Sequence[np.ndarray],
    evaluate_last: int | None = None,
    workers: int = 1,
    **params: Any,
) -> list[DetectionResult]:
    """Run ``method`` on every series (float arrays, NaN = missing week) with the same parameters."""
    prm = make_params(method, **params)
    arrays = [np.asarray(s, dtype=float) for s in series]
    if isinstance(prm, EarsParams | CusumParams):
        run = ears if isinstance(prm, EarsParams) else cusum
        out = []
        for y in arrays:
            weeks = evaluation_weeks(len(y), prm, evaluate_last)
            part = run(y, weeks, prm) if len(weeks) else RangeResult(weeks, *([np.empty(0)] * 3))
            out.append(DetectionResult.from_range(len(y), part))
        return out

    groups: list[list[np.ndarray]] = [[]]
    weeks_in_group = 0
    for y in arrays:
        if weeks_in_group >= BATCH_WEEKS:
            groups.append([])
            weeks_in_group = 0
        groups[-1].append(y)
        weeks_in_group += len(evaluation_weeks(len(y), prm, evaluate_last))
    tasks = [(g, prm, evaluate_last) for g in groups if g]
    if workers > 1 and len(tasks) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(_farrington_group, tasks))
    else:
        parts = [_farrington_group(t) for t in tasks]
    return [r for part in parts for r in part]


def detect(
    method: str, counts: np.ndarray, evaluate_last: int | None = None, **params: Any
) -> DetectionResult:
    """Run ``method`` on one regular weekly series (NaN = missing week)."""
    return detect_many(method, [counts], evaluate_last=evaluate_last, **params)[0]


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
