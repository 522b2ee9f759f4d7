"""Evaluation harness for the outbreak-detection algorithms (issue #4).

Simulates weekly series with a seasonal negative-binomial baseline (mean
``exp(a + b t + c cos(2 pi t / 52) + d sin(2 pi t / 52))``, three baseline levels, dispersion 1.5)
over 7 years, injects outbreaks of varied sizes into the last two years, runs every method on the
last 104 weeks and reports per algorithm:

* sensitivity: share of outbreaks with at least one alarm during the outbreak weeks;
* false alarms per 100 series-weeks: alarms in evaluated weeks without an outbreak;
* median detection delay: weeks from outbreak start to its first alarm (detected outbreaks only).

An outbreak adds ``Poisson(k * sd)`` cases (``sd`` = standard deviation of the baseline count in its
first week, ``k`` in 2..10) spread over 1-4 weeks following a log-normal profile.  Everything is
seeded, so the figures are reproducible:

    python bench/detection_evaluation.py                   # 600 series (200 per baseline level)
    python bench/detection_evaluation.py --series-per-level 50 --workers 2
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

import numpy as np

from ytcs.surveillance.detection import METHODS, detect_many

N_WEEKS = 7 * 52
EVAL = 104
LEVELS = {"low (~0.7/wk)": -0.5, "medium (~5/wk)": 1.5, "high (~50/wk)": 3.8}
DISPERSION = 1.5  # variance = DISPERSION * mean


@dataclass
class Outbreak:
    series: int
    start: int
    weeks: np.ndarray
    size_k: int


def simulate(series_per_level: int, seed: int) -> tuple[list[np.ndarray], list[Outbreak], np.ndarray]:
    rng = np.random.default_rng(seed)
    t = np.arange(N_WEEKS)
    series, outbreaks, in_outbreak = [], [], []
    for level in LEVELS.values():
        for _ in range(series_per_level):
            trend = rng.uniform(-0.001, 0.002)
            c, d = rng.uniform(-0.6, 0.6, 2)
            mu = np.exp(level + trend * t + c * np.cos(2 * np.pi * t / 52) + d * np.sin(2 * np.pi * t / 52))
            size = mu / (DISPERSION - 1.0)
            y = rng.negative_binomial(size, size / (size + mu)).astype(float)
            flag = np.zeros(N_WEEKS, dtype=bool)
            idx = len(series)
            start = N_WEEKS - EVAL + rng.integers(0, 8)
            while start < N_WEEKS - 2:
                dur = int(rng.integers(1, 5))
                k = int(rng.choice([2, 4, 6, 8, 10]))
                weeks = np.arange(start, min(N_WEEKS, start + dur))
                sd = np.sqrt(DISPERSION * mu[start])
                cases = rng.poisson(k * sd)
                profile = np.exp(-0.5 * ((np.log(np.arange(1, len(weeks) + 1)) - 0.5) ** 2))
                y[weeks] += rng.multinomial(cases, profile / profile.sum())
                flag[weeks] = True
                outbreaks.append(Outbreak(idx, start, weeks, k))
                start = int(weeks[-1]) + int(rng.integers(15, 40))
            series.append(y)
            in_outbreak.append(flag)
    return series, outbreaks, np.array(in_outbreak)


def evaluate(method: str, series, outbreaks, in_outbreak, workers: int) -> dict[str, float]:
    res = detect_many(method, series, evaluate_last=EVAL, workers=workers)
    alarms = np.array([r.alarm for r in res], dtype=bool)
    window = np.zeros(N_WEEKS, dtype=bool)
    window[-EVAL:] = True
    quiet = ~in_outbreak & window[None, :]
    false_rate = 100.0 * alarms[quiet].sum() / quiet.sum()
    detected, delays, by_k = 0, [], {}
    for ob in outbreaks:
        hits = np.flatnonzero(alarms[ob.series, ob.weeks])
        found = len(hits) > 0
        detected += found
        by_k.setdefault(ob.size_k, []).append(found)
        if found:
            delays.append(int(hits[0]))
    out = {
        "sensitivity": detected / len(outbreaks),
        "false_per_100": false_rate,
        "median_delay": float(np.median(delays)) if delays else float("nan"),
    }
    for k, found in sorted(by_k.items()):
        out[f"sens_k{k}"] = float(np.mean(found))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--series-per-level", type=int, default=200)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--methods", nargs="*", default=list(METHODS))
    args = ap.parse_args()
    series, outbreaks, in_outbreak = simulate(args.series_per_level, args.seed)
    n_eval = len(series) * EVAL
    print(f"{len(series)} series x {N_WEEKS} weeks ({len(LEVELS)} baseline levels), last {EVAL} weeks "
          f"evaluated ({n_eval} series-weeks), {len(outbreaks)} outbreaks, seed {args.seed}\n")
    ks = sorted({ob.size_k for ob in outbreaks})
    head = ("| method | sensitivity | false alarms / 100 series-weeks | median delay (weeks) | "
            + " | ".join(f"sens. k={k}" for k in ks) + " | time (s) |")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for method in args.methods:
        t0 = time.perf_counter()
        r = evaluate(method, series, outbreaks, in_outbreak, args.workers)
        dt = time.perf_counter() - t0
        cells = " | ".join(f"{r[f'sens_k{k}']:.2f}" for k in ks)
        print(f"| {method} | {r['sensitivity']:.3f} | {r['false_per_100']:.2f} | {r['median_delay']:.0f} | "
              f"{cells} | {dt:.1f} |")


if __name__ == "__main__":
    main()
