"""Which earlier weeks enter the Farrington models, reproducing R ``surveillance``'s indexing.

Weeks are counted in *rows* of the regular weekly series: "one year back" is 52 rows back, as in R
for an ``sts`` object built with ``frequency = 52`` and ``epochAsDate = FALSE`` (the way a weekly
series is given by its start ISO week).  In a year with an ISO week 53 the reference window is
therefore centred one ISO week earlier than the week's own number; this is what R does and we keep
it.  Everything is expressed relative to the evaluated week ``k`` (offset 0), so one layout serves
every week of every series.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FREQ = 52

__all__ = ["FREQ", "Layout", "farrington_layout", "flexible_layout"]


@dataclass(frozen=True)
class Layout:
    offsets: np.ndarray  # (n,) row offsets relative to the evaluated week (rows sorted by group)
    groups: np.ndarray  # (n,) seasonal group index of each row, 0..n_groups-1
    n_groups: int
    current_group: int  # group of the evaluated week (the one predicted)


def farrington_layout(b: int, w: int) -> Layout:
    """``algo.farrington``: windows ``k - 52 i - w .. k - 52 i + w`` for ``i = b..1``, one group."""
    offsets = np.concatenate([np.arange(-FREQ * i - w, -FREQ * i + w + 1) for i in range(b, 0, -1)])
    return Layout(offsets.astype(np.int64), np.zeros(len(offsets), dtype=np.int64), 1, 0)


def _rcolon(a: int, b: int) -> np.ndarray:
    """R's ``a:b`` (descending when ``b < a``)."""
    return np.arange(a, b + 1) if b >= a else np.arange(a, b - 1, -1)


def flexible_layout(b: int, w: int, no_periods: int, past_weeks_not_included: int) -> Layout:
    """``farringtonFlexible``'s ``blocks()`` and ``pastWeeksNotIncluded``, relative to week ``k``.

    Each of the ``b`` past years contributes its window ``k - 52 i ± w`` (group ``noPeriods``, the
    group of the current week) and, when ``noPeriods > 1``, the weeks between that window and the
    next one split into ``noPeriods - 1`` blocks of near-equal length.  Weeks ``k - pastWeeksNotIncluded
    .. k`` are then dropped from the fit.
    """
    p = no_periods
    size = FREQ * b + w + 1
    kpos = size - 1  # position of week k; position 0 is row k - 52 b - w
    factors = np.full(size, np.nan)
    factors[_rcolon(kpos - w, kpos)] = p
    reference = [kpos - FREQ * i for i in range(b + 1)]
    for i in range(1, b + 1):
        ref = reference[i]
        factors[_rcolon(ref - w, ref + w)] = p
        if p != 1:
            period = reference[i - 1] - 2 * w - 1 - ref
            if period < p - (2 * w + 1):
                raise ValueError("no_periods is too large for the window w (R: 'Number of factors too big!')")
            lengths = np.full(p - 1, period // (p - 1))
            lengths[: period % (p - 1)] += 1
            cum = np.concatenate([[0], np.cumsum(lengths)])
            for j in range(1, p):
                factors[_rcolon(ref + w + 1 + cum[j - 1], ref + w + 1 + cum[j] - 1)] = j
    drop = _rcolon(kpos - past_weeks_not_included, kpos)
    factors[drop[drop >= 0]] = np.nan
    keep = np.flatnonzero(~np.isnan(factors))
    levels = np.unique(factors[keep])
    groups = np.searchsorted(levels, factors[keep])
    current = int(np.searchsorted(levels, p)) if p in levels else -1
    order = np.argsort(groups, kind="stable")  # rows sorted by group: the fit sums groups by slicing
    return Layout((keep[order] - kpos).astype(np.int64), groups[order].astype(np.int64), len(levels), current)
