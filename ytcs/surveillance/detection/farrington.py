"""Farrington (1996) as R's ``algo.farrington`` and Noufaily et al. (2013) as R's ``farringtonFlexible``.

Both methods fit, for each evaluated week ``k``, a quasi-Poisson GLM to comparable weeks of earlier
years, possibly with a linear trend, down-weight outlying reference weeks (Anscombe residuals) and
refit, then turn the prediction for week ``k`` into an upper bound.  The steps, including R's quirks,
are reproduced exactly (see ``docs/surveillance-detection.md``):

* the trend is kept only if ``b >= 3``, its t-test p-value (dispersion estimated, t distribution) is
  below the threshold and the trend prediction does not exceed the largest reference count;
  otherwise the whole fit (including reweighting) is redone without trend;
* the dispersion ``phi`` is ``max(estimated, 1)``;
* a fit that does not converge with trend is redone without it; ``farringtonFlexible`` gives no
  result when that fails too (``algo.farrington`` uses the non-converged fit);
* with fewer than ``limit54[0]`` cases in the last ``limit54[1]`` weeks there is no alarm:
  ``algo.farrington`` reports an upper bound of 0 there, ``farringtonFlexible`` none.

Many weeks of many series are processed as one batch (see :mod:`.glm`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special, stats

from .glm import DBL_EPS, LOG_DBL_EPS, GroupedFit, fit_grouped_quasipoisson
from .layout import FREQ, Layout, farrington_layout, flexible_layout

__all__ = ["FarringtonParams", "FlexibleParams", "farrington_batch", "flexible_batch"]

BEFORE_START = -1.0  # sentinel in the flat count array: a row before the series starts (R drops it)
EXACT_FIT_DISPERSION = 1e-12
POWERS = {"2/3": 2.0 / 3.0, "1/2": 0.5, "none": 1.0}


@dataclass(frozen=True)
class FarringtonParams:
    """Controls of ``algo.farrington``; ``alpha`` is ONE-sided (R's ``alpha`` is ``2 * alpha``)."""

    b: int = 3
    w: int = 3
    alpha: float = 0.05
    reweight: bool = True
    trend: bool = True
    p_threshold_trend: float = 0.05
    limit54: tuple[int, int] = (5, 4)
    powertrans: str = "2/3"
    weights_threshold: float = 1.0

    def first_week(self) -> int:
        """0-based first week of R's default range ``(freq * b - w):n``."""
        return FREQ * self.b - self.w - 1


@dataclass(frozen=True)
class FlexibleParams:
    """Controls of ``farringtonFlexible`` (``alpha`` is one-sided there, as in R)."""

    b: int = 5
    w: int = 3
    alpha: float = 0.05
    reweight: bool = True
    weights_threshold: float = 2.58
    trend: bool = True
    p_threshold_trend: float = 1.0
    limit54: tuple[int, int] = (5, 4)
    powertrans: str = "2/3"
    no_periods: int = 10
    past_weeks_not_included: int = 26
    threshold_method: str = "nbPlugin"

    def first_week(self) -> int:
        """0-based first week of R's default range ``(freq * b + w + 1):n``."""
        return FREQ * self.b + self.w


@dataclass
class BatchResult:
    expected: np.ndarray
    upperbound: np.ndarray
    alarm: np.ndarray  # float: 1, 0 or NaN (R's NA)


def _gather(flat: np.ndarray, centres: np.ndarray, layout: Layout):
    rows = flat[centres[:, None] + layout.offsets[None, :]]
    before = rows == BEFORE_START
    missing = np.isnan(rows)
    return rows, before, missing


def _anscombe_weights(fit: GroupedFit, y: np.ndarray, prior: np.ndarray, phi: np.ndarray,
                      layout: Layout, t: np.ndarray, threshold: float) -> np.ndarray:
    """``anscombe.residuals`` + ``algo.farrington.assign.weights`` for each fit of the batch."""
    used = prior > 0
    h = fit.hat_values(layout.groups, t)
    eta = np.maximum(fit.eta, LOG_DBL_EPS)  # log of R's clamped mu
    with np.errstate(divide="ignore", invalid="ignore"):
        res = 1.5 * (np.cbrt(y * y) * np.exp(eta * (-1.0 / 6.0)) - np.exp(0.5 * eta)) / np.sqrt(
            phi[:, None] * (1.0 - h))
        big = res > threshold
        inv2 = res**-2.0
        n = used.sum(axis=1)
        gamma = n / np.sum(np.where(used, np.where(big, inv2, 1.0), 0.0), axis=1)
        omega = np.where(big, gamma[:, None] * inv2, gamma[:, None])
    return np.where(used, omega, 0.0)


def _fit_model(y, prior, layout, t, trend, reweight, threshold, null_on_failure):
    """One call of R's fitFun: fit, drop the trend if not converged, reweight and refit.

    ``null_on_failure`` selects ``farringtonFlexible``'s fitFun, which also overwrites the model's
    working weights with the reweighting weights (``model$weights <- omega``).  ``summary.glm`` and
    ``predict.glm`` then estimate the dispersion as ``sum(omega * ((y - mu) / mu)^2) / df``
    instead of the Pearson statistic; R's trend test and standard errors use that value, so we do too.
    """
    fit = fit_grouped_quasipoisson(y, prior, layout.groups, t, layout.n_groups, trend)
    retry = ~fit.converged & fit.trend
    if retry.any():
        sub = fit_grouped_quasipoisson(y[retry], prior[retry], layout.groups, t, layout.n_groups,
                                       np.zeros(int(retry.sum()), dtype=bool))
        _replace(fit, retry, sub)
    failed = ~fit.converged if null_on_failure else np.zeros(len(y), dtype=bool)
    phi = np.maximum(fit.dispersion, 1.0)  # R: max(dispersion, 1), NaN stays NaN
    if reweight:
        omega = _anscombe_weights(fit, y, prior, phi, layout, t, threshold)
        bad = ~np.all(np.isfinite(omega), axis=1)
        omega[bad] = prior[bad]
        fit = fit_grouped_quasipoisson(y, omega, layout.groups, t, layout.n_groups, fit.trend)
        failed |= bad
        if null_on_failure:
            used = omega > 0
            with np.errstate(divide="ignore", invalid="ignore"):
                stat = np.sum(np.where(used, omega * ((y - fit.mu) / fit.mu) ** 2, 0.0), axis=1)
                fit.summary_dispersion = np.where(fit.df_residual > 0, stat / np.maximum(fit.df_residual, 1),
                                                  np.nan)
    return fit, failed


def _replace(fit: GroupedFit, mask: np.ndarray, sub: GroupedFit) -> None:
    for name in ("beta_group", "beta_trend", "trend", "mu", "w_last", "a", "c", "s", "converged",
                 "df_residual", "dispersion", "eta", "summary_dispersion"):
        getattr(fit, name)[mask] = getattr(sub, name)


def _predict_trend_test(fit: GroupedFit, layout: Layout, y: np.ndarray, prior: np.ndarray,
                        b: int, p_threshold: float) -> np.ndarray:
    """True where R keeps the trend: b >= 3, significant, and no extrapolation beyond the data.

    When the model fits the reference counts exactly (a constant baseline), R's t statistic is the
    ratio of two rounding errors and its decision is noise; we then treat the trend as not
    significant, which is what R does in the large majority of such weeks.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(fit.summary_dispersion * fit.var_trend_unscaled())
        tval = fit.beta_trend / se
        pval = 2.0 * stats.t.sf(np.abs(tval), np.maximum(fit.df_residual, 1))
    pval = np.where(fit.df_residual > 0, pval, np.nan)
    pval = np.where(fit.dispersion < EXACT_FIT_DISPERSION, 1.0, pval)
    mu0 = np.maximum(np.exp(fit.beta_group[:, layout.current_group]), DBL_EPS)
    ymax = np.max(np.where(prior > 0, y, -np.inf), axis=1)
    return (b >= 3) & (pval < p_threshold) & (mu0 <= ymax)


def _fit_with_trend_decision(y, prior, layout, t, trend, reweight, threshold, b, p_threshold,
                             null_on_failure):
    bsz = len(y)
    fit, failed = _fit_model(y, prior, layout, t, np.full(bsz, trend), reweight, threshold, null_on_failure)
    if trend:
        keep = _predict_trend_test(fit, layout, y, prior, b, p_threshold)
        redo = fit.trend & ~keep
        if redo.any():
            sub, sub_failed = _fit_model(y[redo], prior[redo], layout, t, np.zeros(int(redo.sum()), bool),
                                         reweight, threshold, null_on_failure)
            _replace(fit, redo, sub)
            failed[redo] = sub_failed
    return fit, failed


def _limit54(flat: np.ndarray, centres: np.ndarray, limit54: tuple[int, int]) -> np.ndarray:
    """True/False/NaN: at least ``limit54[0]`` cases in the last ``limit54[1]`` weeks (NaN if unknown)."""
    cases, weeks = limit54
    rows = flat[centres[:, None] + np.arange(-weeks + 1, 1)[None, :]]
    rows = np.where(rows == BEFORE_START, 0.0, rows)
    total = rows.sum(axis=1)
    return np.where(np.isnan(total), np.nan, (total >= cases).astype(float))


def _delta_bound(mu0, se, phi, alpha, powertrans):
    """``algo.farrington.threshold``: upper limit on the power-transformed scale."""
    e = POWERS[powertrans]
    with np.errstate(divide="ignore", invalid="ignore"):
        tau = phi + se**2 / mu0
        if e == 1.0:
            sd = np.sqrt(mu0 * tau)
        elif e == 0.5:
            sd = np.sqrt(0.25 * tau)
        else:
            sd = np.sqrt(4.0 / 9.0 * mu0 ** (1.0 / 3.0) * tau)
        z = special.ndtri(1.0 - alpha)
        lo = _rpow(mu0**e - z * sd, 1.0 / e)
        hi = _rpow(mu0**e + z * sd, 1.0 / e)
    return np.fmax(lo, hi)


def _rpow(x: np.ndarray, p: float) -> np.ndarray:
    """R's ``x^p``: NaN for a negative base and a fractional power."""
    with np.errstate(invalid="ignore"):
        return np.where(x < 0, np.nan, np.abs(x) ** p) if p != 1.0 else x


def qnbinom_r(p: float, size: np.ndarray, prob: np.ndarray) -> np.ndarray:
    """R's ``qnbinom(p, size, prob)``: smallest y with ``pnbinom(y) >= p * (1 - 8 eps)``."""
    target = p * (1 - 8 * DBL_EPS)
    y = np.maximum(np.nan_to_num(stats.nbinom.ppf(p, size, prob), nan=0.0, posinf=0.0), 0.0)
    for _ in range(4):
        lower = (y > 0) & (stats.nbinom.cdf(y - 1, size, prob) >= target)
        y = np.where(lower, y - 1, y)
        higher = stats.nbinom.cdf(y, size, prob) < target
        y = np.where(higher, y + 1, y)
        if not (lower.any() or higher.any()):
            break
    return y


def qpois_r(p: float, mu: np.ndarray) -> np.ndarray:
    """R's ``qpois(p, mu)`` with the same left-continuity fuzz."""
    target = p * (1 - 8 * DBL_EPS)
    y = np.maximum(np.nan_to_num(stats.poisson.ppf(p, mu), nan=0.0, posinf=0.0), 0.0)
    for _ in range(4):
        lower = (y > 0) & (stats.poisson.cdf(y - 1, mu) >= target)
        y = np.where(lower, y - 1, y)
        higher = stats.poisson.cdf(y, mu) < target
        y = np.where(higher, y + 1, y)
        if not (lower.any() or higher.any()):
            break
    return y


def _noufaily_bound(eta0, se_eta0, phi, alpha, method):
    """``algo.farrington.threshold.noufaily``: negative-binomial (or Poisson) quantile."""
    with np.errstate(over="ignore"):
        shift = 0.0 if method == "nbPlugin" else se_eta0 * special.ndtri(1.0 - alpha)  # "muan"
        mu_q = np.exp(eta0 + shift)
    upper = np.full(len(eta0), np.nan)
    ok = np.isfinite(mu_q) & np.isfinite(phi)
    nb = ok & (phi > 1)
    if nb.any():
        upper[nb] = qnbinom_r(1.0 - alpha, mu_q[nb] / (phi[nb] - 1.0), 1.0 / phi[nb])
    po = ok & (phi <= 1)
    if po.any():
        upper[po] = qpois_r(1.0 - alpha, mu_q[po])
    return upper


def _prepare(flat, centres, layout, drop_missing):
    rows, before, missing = _gather(flat, centres, layout)
    prior = (~before & ~missing).astype(float)
    y = np.where(prior > 0, rows, 0.0)
    n_ok = prior.sum(axis=1)
    # algo.farrington's glm.fit stops on an NA response; farringtonFlexible drops those rows
    invalid = np.zeros(len(centres), dtype=bool) if drop_missing else missing.any(axis=1)
    return y, prior, invalid | (n_ok < 3)


def farrington_batch(flat: np.ndarray, centres: np.ndarray, prm: FarringtonParams) -> BatchResult:
    """``algo.farrington`` for weeks ``flat[centres]`` (indices into the padded flat count array)."""
    layout = farrington_layout(prm.b, prm.w)
    t = layout.offsets.astype(float)
    y, prior, invalid = _prepare(flat, centres, layout, drop_missing=False)
    fit, failed = _fit_with_trend_decision(y, prior, layout, t, prm.trend, prm.reweight,
                                           prm.weights_threshold, prm.b, prm.p_threshold_trend,
                                           null_on_failure=False)
    invalid |= failed
    g = layout.current_group
    phi = np.maximum(fit.dispersion, 1.0)
    with np.errstate(over="ignore", invalid="ignore"):
        mu0 = np.maximum(np.exp(fit.beta_group[:, g]), DBL_EPS)
        se = mu0 * np.sqrt(phi * fit.var_group_unscaled(g))
    upper = _delta_bound(mu0, se, phi, prm.alpha, prm.powertrans)
    enough = _limit54(flat, centres, prm.limit54)
    obs = flat[centres]
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(enough == 1, (obs - mu0) / (upper - mu0), 0.0)
    score = np.where(np.isnan(enough), np.nan, score)
    alarm = np.where(np.isnan(score), np.nan, (score > 1).astype(float))
    ub = np.where(enough == 1, upper, np.where(np.isnan(enough), np.nan, 0.0))
    expected = mu0.copy()
    for arr in (expected, ub, alarm):
        arr[invalid] = np.nan
    return BatchResult(expected, ub, alarm)


def flexible_batch(flat: np.ndarray, centres: np.ndarray, prm: FlexibleParams) -> BatchResult:
    """``farringtonFlexible`` (no population offset) for weeks ``flat[centres]``."""
    layout = flexible_layout(prm.b, prm.w, prm.no_periods, prm.past_weeks_not_included)
    t = layout.offsets.astype(float)
    y, prior, invalid = _prepare(flat, centres, layout, drop_missing=True)
    g = layout.current_group
    if g < 0:
        invalid[:] = True
        g = 0
    invalid |= prior[:, layout.groups == g].sum(axis=1) == 0  # no reference window left to predict from
    fit, failed = _fit_with_trend_decision(y, prior, layout, t, prm.trend, prm.reweight,
                                           prm.weights_threshold, prm.b, prm.p_threshold_trend,
                                           null_on_failure=True)
    phi = np.maximum(fit.dispersion, 1.0)
    eta0 = fit.beta_group[:, g]
    with np.errstate(invalid="ignore"):
        # R passes `dispersion` inside newdata, so predict.glm uses summary.glm's estimate (not max'ed)
        se_eta0 = np.sqrt(fit.summary_dispersion * fit.var_group_unscaled(g))
    obs = flat[centres]
    if prm.threshold_method == "delta":
        mu0 = np.maximum(np.exp(eta0), DBL_EPS)
        upper = _delta_bound(mu0, mu0 * se_eta0, phi, prm.alpha, prm.powertrans)
        pred = mu0
    else:
        upper = _noufaily_bound(eta0, se_eta0, phi, prm.alpha, prm.threshold_method)
        pred = eta0  # R's score uses the linear predictor here
    enough = _limit54(flat, centres, prm.limit54)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = np.where(enough == 1, (obs - pred) / (upper - pred), np.nan)
    alarm = ((score > 1) & (obs != 0)).astype(float)
    ub = np.where(enough == 1, upper, np.nan)
    expected = np.where((enough == 1) & ~np.isnan(upper), np.maximum(np.exp(eta0), DBL_EPS), np.nan)
    bad = invalid | failed
    for arr in (expected, ub):
        arr[bad] = np.nan
    alarm[bad] = np.nan
    return BatchResult(expected, ub, alarm)
