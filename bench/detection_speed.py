"""Wall time of ``detect_many`` on a province-sized workload (issue #4 speed target).

200 communes x 40 diseases = 8,000 weekly series of 7 years (364 weeks), evaluating the last 104
weeks, for every method.  Series are seeded negative-binomial with seasonality and a wide range of
means (many sparse ones, as in commune data).

    python bench/detection_speed.py                 # full workload, 2 worker processes
    python bench/detection_speed.py --series 500    # quicker
    python bench/detection_speed.py --export 40 bench/out/speed_subset.csv   # input of detection_r_speed.R
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import time

import numpy as np

from ytcs.surveillance.detection import METHODS, detect_many


def simulate(n_series: int, n_weeks: int, seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    t = np.arange(n_weeks)
    base = np.exp(rng.uniform(np.log(0.05), np.log(60), n_series))
    amp = rng.uniform(0, 0.8, n_series)
    phase = rng.uniform(0, 2 * np.pi, n_series)
    size = rng.uniform(0.5, 20, n_series)
    mu = base[:, None] * np.exp(amp[:, None] * np.sin(2 * np.pi * t[None, :] / 52 + phase[:, None]))
    y = rng.negative_binomial(size[:, None], size[:, None] / (size[:, None] + mu))
    return [row.astype(float) for row in y]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--series", type=int, default=8000)
    ap.add_argument("--weeks", type=int, default=7 * 52)
    ap.add_argument("--evaluate-last", type=int, default=104)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--methods", nargs="*", default=list(METHODS))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--export", nargs=2, metavar=("N", "CSV"),
                    help="write the first N series (series_id,week,count) for bench/detection_r_speed.R and exit")
    args = ap.parse_args()
    series = simulate(args.series, args.weeks, args.seed)
    if args.export:
        n, path = int(args.export[0]), args.export[1]
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w") as fh:
            fh.write("series_id,week,count\n")
            for i, y in enumerate(series[:n]):
                fh.writelines(f"{i},{w},{int(c)}\n" for w, c in enumerate(y))
        return
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs visible; "
          f"{args.series} series x {args.weeks} weeks, last {args.evaluate_last} evaluated, "
          f"{args.workers} worker(s)")
    print(f"{'method':20s} {'wall s':>8s} {'CPU s':>8s}  (CPU = this process + workers)")
    total = 0.0
    for method in args.methods:
        cpu0 = _cpu()
        t0 = time.perf_counter()
        res = detect_many(method, series, evaluate_last=args.evaluate_last, workers=args.workers)
        dt = time.perf_counter() - t0
        cpu = _cpu() - cpu0
        total += dt
        alarms = sum(int(r.alarm.sum()) for r in res)
        print(f"{method:20s} {dt:8.2f} {cpu:8.2f}  ({1e3 * dt / args.series:.3f} ms/series wall, {alarms} alarms)")
    print(f"{'all methods':20s} {total:8.2f}")


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


if __name__ == "__main__":
    main()
