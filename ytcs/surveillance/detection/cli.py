"""Command-line front end shared by ``ytcs detect`` (Django management command) and
``python -m ytcs.surveillance.detection.cli`` (no Django needed).

    ytcs detect --method farrington-flexible --input counts.csv --output signals.csv [--evaluate-last 104]

Input: CSV with columns ``week_start,count`` (ISO Monday dates, one row per week; missing weeks are
allowed and are missing values, as an NA count in R).  Output: ``week_start,count,expected,upperbound,
alarm`` for every input week; ``expected``/``upperbound`` are empty where the week is not evaluated
or the method has too little history.  On any input problem one line per problem is printed to
stderr, the exit status is non-zero and nothing is written.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from . import METHODS, detect, make_params
from .series import SeriesError, WeeklySeries, parse_counts_csv

__all__ = ["DetectCliError", "add_arguments", "main", "run", "write_signals"]

PARAM_DESTS = (
    "b", "w", "alpha", "reweight", "weights_threshold", "trend", "p_threshold_trend", "limit54",
    "powertrans", "no_periods", "past_weeks_not_included", "threshold_method", "baseline", "min_sigma",
    "k", "h", "trans", "m",
)


class DetectCliError(Exception):
    """A user-facing failure: ``lines`` are printed one per line, nothing has been written."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``ytcs detect``; parameters left unset take each method's default (see docs)."""
    parser.add_argument("--method", required=True, choices=list(METHODS), help="detection algorithm")
    parser.add_argument("--input", required=True, help="CSV with columns week_start,count ('-' = stdin)")
    parser.add_argument("--output", required=True, help="CSV to write ('-' = stdout)")
    parser.add_argument("--evaluate-last", type=int, metavar="N",
                        help="evaluate only the last N weeks (R's range); default: every week with "
                             "enough history (R's default range)")
    far = parser.add_argument_group("Farrington methods (farrington, farrington-flexible)")
    far.add_argument("--b", type=int, help="years back (farrington 3, flexible 5)")
    far.add_argument("--w", type=int, help="half-width of the reference windows in weeks (3)")
    far.add_argument("--alpha", type=float,
                     help="one-sided level of the upper bound (farrington and flexible 0.05, i.e. R's "
                          "algo.farrington alpha=0.1; ears-c1/c2 0.001, ears-c3 0.025; cusum: "
                          "overdispersion of trans=pearsonNegBin, 0.1)")
    far.add_argument("--reweight", action=argparse.BooleanOptionalAction, default=None,
                     help="down-weight outlying reference weeks and refit (on)")
    far.add_argument("--weights-threshold", type=float,
                     help="Anscombe residual above which a week is down-weighted (farrington 1, flexible 2.58)")
    far.add_argument("--trend", action=argparse.BooleanOptionalAction, default=None,
                     help="fit a linear time trend (kept only when significant) (on)")
    far.add_argument("--p-threshold-trend", type=float,
                     help="p-value below which the trend is kept (farrington 0.05, flexible 1)")
    far.add_argument("--limit54", type=int, nargs=2, metavar=("CASES", "WEEKS"),
                     help="no alarm unless CASES cases in the last WEEKS weeks (5 4)")
    far.add_argument("--powertrans", choices=["2/3", "1/2", "none"],
                     help="power transformation of the delta-method bound (2/3)")
    far.add_argument("--no-periods", type=int, help="flexible: seasonal factor levels per year (10)")
    far.add_argument("--past-weeks-not-included", type=int,
                     help="flexible: recent weeks left out of the fit (26)")
    far.add_argument("--threshold-method", choices=["nbPlugin", "delta", "muan"],
                     help="flexible: how the bound is computed (nbPlugin)")
    ear = parser.add_argument_group("EARS (ears-c1, ears-c2, ears-c3)")
    ear.add_argument("--baseline", type=int, help="baseline weeks (7)")
    ear.add_argument("--min-sigma", type=float, help="lower limit of the baseline standard deviation (0)")
    cus = parser.add_argument_group("CUSUM")
    cus.add_argument("--k", type=float, help="reference value (1.04)")
    cus.add_argument("--h", type=float, help="decision boundary (2.26)")
    cus.add_argument("--trans", choices=["standard", "rossi", "anscombe", "anscombe2nd", "pearsonNegBin", "none"],
                     help="transformation of the counts (standard)")
    cus.add_argument("--m", type=float,
                     help="reference mean (default: mean of all weeks before the evaluated ones)")


def params_from_options(options: dict[str, Any]) -> dict[str, Any]:
    params = {k: options.get(k) for k in PARAM_DESTS if options.get(k) is not None}
    if "limit54" in params:
        params["limit54"] = tuple(params["limit54"])
    return params


def _fmt(value: float) -> str:
    return "" if math.isnan(value) else f"{value:.10g}"


def write_signals(out: TextIO, series: WeeklySeries, weeks: Sequence, result: Any) -> None:
    """Write one row per input week (in chronological order)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["week_start", "count", "expected", "upperbound", "alarm"])
    for day in sorted(weeks):
        i = (day - series.start).days // 7
        c = series.counts[i]
        writer.writerow([day.isoformat(), "" if math.isnan(c) else int(c), _fmt(result.expected[i]),
                         _fmt(result.upperbound[i]), int(result.alarm[i])])


def run(options: dict[str, Any], stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Execute ``detect`` for parsed options; raise :class:`DetectCliError` on any user error."""
    source = options["input"]
    try:
        text = (stdin or sys.stdin).read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DetectCliError([f"cannot read {source}: {exc}"]) from exc
    try:
        series, weeks = parse_counts_csv(text)
    except SeriesError as exc:
        raise DetectCliError([f"{source}: {p}" for p in exc.problems]) from exc
    params = params_from_options(options)
    try:
        make_params(options["method"], **params)
        result = detect(options["method"], series.counts, evaluate_last=options.get("evaluate_last"), **params)
    except ValueError as exc:
        raise DetectCliError([str(exc)]) from exc

    buffer = io.StringIO()
    write_signals(buffer, series, weeks, result)
    target = options["output"]
    if target == "-":
        (stdout or sys.stdout).write(buffer.getvalue())
    else:
        _atomic_write(Path(target), buffer.getvalue())
    return int(np.sum(result.alarm))


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ytcs detect", description="Outbreak detection on weekly counts.")
    add_arguments(parser)
    options = vars(parser.parse_args(argv))
    try:
        run(options)
    except DetectCliError as exc:
        for line in exc.lines:
            print(f"ytcs detect: error: {line}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
