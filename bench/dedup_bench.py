"""Benchmark the duplicate detector: precision, recall and F1 against injected duplicates, and scan speed.

    .venv/bin/python bench/dedup_bench.py [--people 100000] [--duplicates 0.02] [--seeds 1 2 3] [--pg-host 127.0.0.1]

For each seed: a throwaway PostgreSQL database ``ytcs_dedup_bench``, migrated, with a province "Cao Bằng"
of 100 communes; ``ytcs synth --people N --duplicates SHARE`` writes the population, re-registers SHARE of it
with realistic errors and writes the ground truth to a CSV side file; ``ytcs dedup scan`` fills the review
queue. A predicted pair is a true positive when the truth file lists it. Prints Markdown rows for the
"likely" threshold and for "likely + possible", and the true pairs missed, by injected error.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from _common import ROOT, build_province

DB = "ytcs_dedup_bench"


def evaluate(truth_path: Path) -> dict:
    import django

    django.setup()
    from ytcs.people.dedup.models import DuplicateCandidate

    truth, errors = set(), {}
    with truth_path.open(encoding="utf-8") as source:
        for row in csv.DictReader(source):
            pair = tuple(sorted((int(row["duplicate_id"]), int(row["original_id"]))))
            truth.add(pair)
            errors[pair] = row["errors"]
    found = dict(((left, right), level) for left, right, level in
                 DuplicateCandidate.objects.values_list("left_id", "right_id", "level"))
    out = {"truth": len(truth)}
    for name, levels in (("likely", {"likely"}), ("likely + possible", {"likely", "possible"})):
        predicted = {pair for pair, level in found.items() if level in levels}
        tp = len(predicted & truth)
        precision = tp / len(predicted) if predicted else 0.0
        recall = tp / len(truth) if truth else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[name] = (len(predicted), tp, precision, recall, f1)
    out["missed"] = Counter(error for pair, error in errors.items() if pair not in found).most_common(6)
    out["by_error_recall"] = {}
    for single in ("no_diacritics", "swapped_order", "given_typo", "birth_day_month_swapped", "birth_year_only",
                   "different_phone"):
        pairs = [p for p, e in errors.items() if single in e.split("+")]
        likely = sum(1 for p in pairs if found.get(p) == "likely")
        out["by_error_recall"][single] = (len(pairs), likely / len(pairs) if pairs else 0.0,
                                          sum(1 for p in pairs if p in found) / len(pairs) if pairs else 0.0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--duplicates", type=float, default=0.02)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--setup-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--evaluate", default=None, help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.setup_only:
        build_province()
        return
    if opts.evaluate:
        print(repr(evaluate(Path(opts.evaluate))))
        return
    import psycopg

    admin = psycopg.connect(host=opts.pg_host, user="postgres", dbname="postgres", autocommit=True)
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@{opts.pg_host}:5432/{DB}",
           "DJANGO_SETTINGS_MODULE": "ytcs.settings"}

    def run(*args: str) -> str:
        return subprocess.run([sys.executable, *args], env=env, cwd=ROOT, check=True, capture_output=True,
                              text=True).stdout

    print("| seed | residents | injected | threshold | predicted | true pos. | precision | recall | F1 | scan s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    details = []
    for seed in opts.seeds:
        admin.execute(f"DROP DATABASE IF EXISTS {DB}")
        admin.execute(f"CREATE DATABASE {DB}")
        try:
            with tempfile.TemporaryDirectory() as tmp:
                truth = Path(tmp) / "truth.csv"
                run("manage.py", "migrate", "-v0")
                run(__file__, "--setup-only")
                run("-m", "ytcs.cli", "synth", "--province", "Cao Bằng", "--people", str(opts.people), "--seed",
                    str(seed), "--as-of", "2026-01-01", "--no-progress", "--duplicates", str(opts.duplicates),
                    "--duplicates-truth", str(truth))
                started = time.monotonic()
                run("-m", "ytcs.cli", "dedup", "scan", "--no-progress")
                seconds = time.monotonic() - started
                result = eval(run(__file__, "--evaluate", str(truth)))  # noqa: S307 - our own repr
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {DB}")
        for name in ("likely", "likely + possible"):
            predicted, tp, p, r, f1 = result[name]
            print(f"| {seed} | {opts.people + result['truth']:,} | {result['truth']:,} | {name} | {predicted:,} | "
                  f"{tp:,} | {p:.3f} | {r:.3f} | {f1:.3f} | {seconds:.1f} |")
        details.append((seed, result))
    for seed, result in details:
        print(f"\nseed {seed}: recall by injected error (pairs with that error; found as likely; found at all):")
        for error, (n, likely, any_level) in result["by_error_recall"].items():
            print(f"- {error}: {n} pairs; likely {likely:.3f}; likely or possible {any_level:.3f}")
        print(f"- missed (error combination, count): {result['missed']}")


if __name__ == "__main__":
    main()
