"""Batched quasi-Poisson GLM fits, reproducing R's ``glm.fit`` iteration by iteration.

The Farrington methods fit, for every evaluated week, a log-linear model with one intercept per
*seasonal group* (a single group for the original method, ``noPeriods`` groups for the flexible one)
and an optional linear time trend.  Thousands of such fits are needed per series, so instead of a
general GLM routine we exploit that structure:

* the design matrix is ``[indicator(group), t]``; it spans the same space as R's
  ``response ~ 1 + wtime + seasgroups`` model, so the IRLS iterates, the fitted values, the trend
  coefficient and its standard error are the same (we centre ``t`` on the evaluated week, which only
  improves the conditioning);
* ``X'WX`` then has an "arrow" shape (diagonal group block plus one trend row/column), which we solve
  in closed form for a whole batch of fits at once with a few numpy reductions.

What we copy from ``glm.fit`` because R's results depend on it (notably whether a fit "converged",
which decides if R drops the trend or gives no threshold at all): starting values ``mu = y + 0.1``,
``mu = pmax(exp(eta), .Machine$double.eps)``, the deviance-based stopping rule
``|dev - devold| / (|dev| + 0.1) < 1e-8`` with at most 25 iterations, and that the working weights
kept with the fit (used by ``summary.glm`` for the dispersion and by ``hatvalues`` for the hat
matrix) are those of the *last iteration*, i.e. computed from the previous ``mu``.
Rows with prior weight 0 are rows R does not see (missing weeks, or reference weeks before the
start of the series).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["GroupedFit", "fit_grouped_quasipoisson"]

DBL_EPS = float(np.finfo(float).eps)
LOG_DBL_EPS = float(np.log(DBL_EPS))
MAXIT = 25
EPSILON = 1e-8


@dataclass
class GroupedFit:
    """Result of a batch of fits; arrays have a leading batch dimension ``B``.

    ``a``/``c``/``s`` are the pieces of ``X'WX`` (``a_g = sum w``, ``c_g = sum w t`` per group,
    ``s`` the Schur complement of the trend) from which the unscaled covariance is rebuilt.
    """

    beta_group: np.ndarray  # (B, G) group intercepts (0 for empty groups)
    beta_trend: np.ndarray  # (B,) trend slope (0 when the fit has no trend)
    trend: np.ndarray  # (B,) bool, the fit includes the trend column
    mu: np.ndarray  # (B, n) fitted means (final iteration)
    w_last: np.ndarray  # (B, n) working weights of the last iteration (prior * previous mu)
    a: np.ndarray  # (B, G)
    c: np.ndarray  # (B, G)
    s: np.ndarray  # (B,)
    converged: np.ndarray  # (B,) bool
    df_residual: np.ndarray  # (B,) int: used observations - rank
    dispersion: np.ndarray  # (B,) Pearson dispersion as summary.glm computes it (NaN if df = 0)
    eta: np.ndarray  # (B, n) final linear predictor
    # dispersion that R's summary.glm/predict.glm use for this model; differs from `dispersion` only
    # for farringtonFlexible's reweighted fits (see farrington._fit_model)
    summary_dispersion: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.summary_dispersion is None:
            self.summary_dispersion = self.dispersion.copy()

    def var_group_unscaled(self, g: int) -> np.ndarray:
        """Unscaled variance of the linear predictor at t = 0 in group ``g``."""
        a, c = self.a[:, g], self.c[:, g]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.trend, 1.0 / a + c * c / (a * a * self.s), 1.0 / a)

    def var_trend_unscaled(self) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return np.where(self.trend, 1.0 / self.s, np.nan)

    def hat_values(self, groups: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Diagonal of the hat matrix (as ``lm.influence``, values within 10 eps of 1 set to 1)."""
        a, c = self.a[:, groups], self.c[:, groups]
        with np.errstate(divide="ignore", invalid="ignore"):
            inv_a = np.where(a > 0, 1.0 / a, 0.0)
            s = self.s[:, None]
            tr = self.trend[:, None]
            cgg = np.where(tr, inv_a + c * c * inv_a * inv_a / s, inv_a)
            cgt = np.where(tr, -c * inv_a / s, 0.0)
            ctt = np.where(tr, 1.0 / s, 0.0)
            h = self.w_last * (cgg + 2.0 * t * cgt + t * t * ctt)
        return np.where(h > 1.0 - 10 * DBL_EPS, 1.0, h)



def _solve(w: np.ndarray, wz: np.ndarray, starts: np.ndarray, t: np.ndarray, t2: np.ndarray,
           trend: np.ndarray):
    """Solve the weighted normal equations of every fit (rows sorted by group, ``starts`` = first rows).

    Plain numpy reductions rather than BLAS: the matrices are small and BLAS threads only compete
    with the worker processes.
    """
    a = np.add.reduceat(w, starts, axis=1)
    c = np.add.reduceat(w * t, starts, axis=1)
    rg = np.add.reduceat(wz, starts, axis=1)
    rt = np.einsum("bn,n->b", wz, t)
    d = np.einsum("bn,n->b", w, t2)
    nonempty = a > 0
    safe_a = np.where(nonempty, a, 1.0)
    c = np.where(nonempty, c, 0.0)
    rg = np.where(nonempty, rg, 0.0)
    s = d - np.sum(c * c / safe_a, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        bt = np.where(trend, (rt - np.sum(c * rg / safe_a, axis=1)) / np.where(trend, s, 1.0), 0.0)
    bg = (rg - c * bt[:, None]) / safe_a
    return bg, bt, a, c, s


def fit_grouped_quasipoisson(
    y: np.ndarray, prior: np.ndarray, groups: np.ndarray, t: np.ndarray, n_groups: int, trend: np.ndarray
) -> GroupedFit:
    """Fit ``log mu = beta[group] + beta_t * t`` (quasi-Poisson) for every row of ``y`` like ``glm.fit``.

    ``y``/``prior`` are (B, n) (``y`` must be finite where ``prior > 0``), ``groups``/``t`` (n,) are
    shared by the batch (rows sorted by group, every group present), ``trend`` (B,) says which fits
    include the trend column.

    Per iteration only a handful of (B, n) operations are needed: with ``w = prior * mu``,
    ``w * z = w * (eta - 1) + prior * y``, and the deviance is
    ``2 * (sum(prior * (y log y - y)) - sum(prior * y * eta) + sum(w_next))`` (the ``log mu``
    clamp of R only matters where ``y = 0``, where the term vanishes).
    """
    if np.any(np.diff(groups) < 0) or len(np.unique(groups)) != n_groups:
        raise ValueError("rows must be sorted by group and every group must have rows")
    y = np.where(prior > 0, y, 0.0)
    bsz, n = y.shape
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    sizes = np.diff(np.r_[starts, n])
    t2 = t * t
    with np.errstate(divide="ignore", invalid="ignore"):
        const = np.sum(prior * np.where(y > 0, y * np.log(y) - y, 0.0), axis=1)
    trend = np.asarray(trend, dtype=bool)
    py = prior * y

    mu = y + 0.1
    eta = np.log(mu)
    w = prior * mu
    devold = 2.0 * (const - np.einsum("bn,bn->b", py, eta) + w.sum(axis=1))

    out_bg = np.zeros((bsz, n_groups))
    out_bt = np.zeros(bsz)
    out_eta = np.zeros((bsz, n))
    out_w = np.zeros((bsz, n))
    out_a = np.zeros((bsz, n_groups))
    out_c = np.zeros((bsz, n_groups))
    out_s = np.zeros(bsz)
    converged = np.zeros(bsz, dtype=bool)

    active = np.arange(bsz)
    pa, pya, ca, tra = prior, py, const, trend
    for it in range(MAXIT):
        wz = w * (eta - 1.0)
        wz += pya
        bg, bt, a, c, s = _solve(w, wz, starts, t, t2, tra)
        w_it = w
        eta = np.repeat(bg, sizes, axis=1)
        eta += bt[:, None] * t
        with np.errstate(over="ignore"):
            mu = np.exp(np.maximum(eta, LOG_DBL_EPS))
        w = pa * mu
        dev = 2.0 * (ca - np.einsum("bn,bn->b", pya, eta) + w.sum(axis=1))
        with np.errstate(invalid="ignore"):
            done = np.abs(dev - devold) / (np.abs(dev) + 0.1) < EPSILON
        finish = done | (it == MAXIT - 1)
        if finish.any():
            idx = active[finish]
            out_bg[idx], out_bt[idx], out_eta[idx], out_w[idx] = bg[finish], bt[finish], eta[finish], w_it[finish]
            out_a[idx], out_c[idx], out_s[idx] = a[finish], c[finish], s[finish]
            converged[idx] = done[finish]
            keep = ~finish
            if not keep.any():
                break
            active = active[keep]
            pa, pya, ca, tra = pa[keep], pya[keep], ca[keep], tra[keep]
            eta, w, dev = eta[keep], w[keep], dev[keep]
        devold = dev

    with np.errstate(over="ignore"):
        out_mu = np.exp(np.maximum(out_eta, LOG_DBL_EPS))
    used = prior > 0
    n_ok = used.sum(axis=1)
    rank = (out_a > 0).sum(axis=1) + trend.astype(int)
    df = n_ok - rank
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = np.sum(np.where(used, out_w * ((y - out_mu) / out_mu) ** 2, 0.0), axis=1)
        dispersion = np.where(df > 0, pearson / np.maximum(df, 1), np.nan)
    return GroupedFit(out_bg, out_bt, trend, out_mu, out_w, out_a, out_c, out_s, converged, df, dispersion,
                      out_eta)
