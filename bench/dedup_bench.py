"""Benchmark the duplicate detector: precision, recall and F1 against injected duplicates, and scan speed.

    .venv/bin/python bench/dedup_bench.py [--model independent|synth] [--people 100000] [--duplicates 0.02]
        [--namesakes 0.01] [--seeds 1 2 3] [--pg-host 127.0.0.1]

For each seed: a throwaway PostgreSQL database ``ytcs_dedup_bench``, migrated, with a province "Cao Bằng"
of 100 communes and N synthetic residents (``ytcs synth``). Then the re-registrations, with the ground truth
in CSV side files, never in the register:

- ``--model independent`` (default): ``bench/dedup_errors.py``, an error model written apart from the
  detector — one error each among sixteen kinds — plus ``--namesakes`` of the residents given a namesake
  who is another person (same name and birth year, the same name a few years apart, a twin);
- ``--model synth``: the project's own ``ytcs synth --duplicates SHARE`` (one to three of six errors).

``ytcs dedup scan`` fills the review queue; a predicted pair is a true positive when the truth file lists
it. Prints Markdown rows for the "likely" threshold and for "likely + possible", recall by error kind, and
how many namesakes were proposed. ``--keep`` leaves the database and truth files for ``--rescan DIR``,
which scores an existing benchmark database again (to try a scoring change; report only fresh runs).
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

sys.path.insert(0, str(ROOT))  # the child steps (--inject, --evaluate) import this checkout's ytcs

DB = "ytcs_dedup_bench"


def _read(path: Path, key: str) -> dict[tuple[int, int], str]:
    with path.open(encoding="utf-8") as source:
        return {tuple(sorted((int(row[key]), int(row["original_id"])))): row.get("errors") or row["kind"]
                for row in csv.DictReader(source)}


def evaluate(truth_path: Path, negatives_path: Path | None) -> dict:
    import django

    django.setup()
    from ytcs.people.dedup.models import DuplicateCandidate

    errors = _read(truth_path, "duplicate_id")
    truth = set(errors)
    negatives = _read(negatives_path, "namesake_id") if negatives_path and negatives_path.exists() else {}
    found = dict(((left, right), level) for left, right, level in
                 DuplicateCandidate.objects.values_list("left_id", "right_id", "level"))
    out = {"truth": len(truth), "negatives": len(negatives)}
    for name, levels in (("likely", {"likely"}), ("likely + possible", {"likely", "possible"})):
        predicted = {pair for pair, level in found.items() if level in levels}
        tp = len(predicted & truth)
        precision = tp / len(predicted) if predicted else 0.0
        recall = tp / len(truth) if truth else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[name] = (len(predicted), tp, precision, recall, f1)
    out["missed"] = Counter(error for pair, error in errors.items() if pair not in found).most_common(8)
    kinds = Counter(part for error in errors.values() for part in error.split("+"))
    out["by_error_recall"] = {}
    for kind in sorted(kinds, key=lambda k: -kinds[k]):
        pairs = [p for p, e in errors.items() if kind in e.split("+")]
        likely = sum(1 for p in pairs if found.get(p) == "likely")
        anywhere = sum(1 for p in pairs if p in found)
        out["by_error_recall"][kind] = (len(pairs), likely / len(pairs), anywhere / len(pairs))
    out["namesakes"] = {}
    for kind in sorted(set(negatives.values())):
        pairs = [p for p, k in negatives.items() if k == kind]
        out["namesakes"][kind] = (len(pairs), sum(1 for p in pairs if found.get(p) == "likely"),
                                  sum(1 for p in pairs if found.get(p) == "possible"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=("independent", "synth"), default="independent")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--duplicates", type=float, default=0.02)
    parser.add_argument("--namesakes", type=float, default=0.01, help="independent model: share given a namesake")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--keep", default=None, help="keep the database and write the truth files to this folder")
    parser.add_argument("--rescan", default=None, help="folder of a --keep run: scan and evaluate it again")
    parser.add_argument("--setup-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--inject", nargs=3, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--evaluate", nargs="+", default=None, help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.setup_only:
        build_province()
        return
    if opts.inject:
        _inject_independent(Path(opts.inject[0]), int(opts.inject[1]), opts.duplicates, opts.namesakes,
                            Path(opts.inject[2]))
        return
    if opts.evaluate:
        paths = [Path(p) for p in opts.evaluate]
        print(repr(evaluate(paths[0], paths[1] if len(paths) > 1 else None)))
        return
    import psycopg

    admin = psycopg.connect(host=opts.pg_host, user="postgres", dbname="postgres", autocommit=True)
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@{opts.pg_host}:5432/{DB}",
           "DJANGO_SETTINGS_MODULE": "ytcs.settings"}

    def run(*args: str) -> str:
        return subprocess.run([sys.executable, *args], env=env, cwd=ROOT, check=True, capture_output=True,
                              text=True).stdout

    print(f"model: {opts.model}")
    print("| seed | residents | injected | threshold | predicted | true pos. | precision | recall | F1 | scan s |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    details = []
    for seed in opts.seeds:
        folder = Path(opts.rescan or opts.keep or tempfile.mkdtemp())
        truth, negatives = folder / "truth.csv", folder / "namesakes.csv"
        try:
            if not opts.rescan:
                folder.mkdir(parents=True, exist_ok=True)
                admin.execute(f"DROP DATABASE IF EXISTS {DB}")
                admin.execute(f"CREATE DATABASE {DB}")
                run("manage.py", "migrate", "-v0")
                run(__file__, "--setup-only")
                synth = ["-m", "ytcs.cli", "synth", "--province", "Cao Bằng", "--people", str(opts.people), "--seed",
                         str(seed), "--as-of", "2026-01-01", "--no-progress"]
                if opts.model == "synth":
                    run(*synth, "--duplicates", str(opts.duplicates), "--duplicates-truth", str(truth))
                else:
                    run(*synth)
                    run(__file__, "--inject", str(truth), str(seed), str(negatives), "--duplicates",
                        str(opts.duplicates), "--namesakes", str(opts.namesakes))
            else:
                run("-c", "import django; django.setup(); from ytcs.people.dedup.models import DuplicateCandidate; "
                    "DuplicateCandidate.objects.all().delete()")
            started = time.monotonic()
            run("-m", "ytcs.cli", "dedup", "scan", "--no-progress")
            seconds = time.monotonic() - started
            result = eval(run(__file__, "--evaluate", str(truth), str(negatives)))  # noqa: S307 - our own repr
        finally:
            if not (opts.keep or opts.rescan):
                admin.execute(f"DROP DATABASE IF EXISTS {DB}")
        injected = result["truth"] + result["negatives"]
        for name in ("likely", "likely + possible"):
            predicted, tp, p, r, f1 = result[name]
            print(f"| {seed} | {opts.people + injected:,} | {result['truth']:,} | {name} | {predicted:,} | "
                  f"{tp:,} | {p:.3f} | {r:.3f} | {f1:.3f} | {seconds:.1f} |")
        details.append((seed, result))
    for seed, result in details:
        print(f"\nseed {seed}: recall by error kind\n")
        print("| error | pairs | likely | likely or possible |\n|---|---|---|---|")
        for error, (n, likely, any_level) in result["by_error_recall"].items():
            print(f"| {error} | {n} | {likely:.3f} | {any_level:.3f} |")
        if result["namesakes"]:
            print("\n| other person with the same name | pairs | proposed as likely | as possible |\n|---|---|---|---|")
            for kind, (n, likely, possible) in result["namesakes"].items():
                print(f"| {kind} | {n} | {likely} | {possible} |")
        print(f"\nmissed (error, count): {result['missed']}")


def _inject_independent(truth: Path, seed: int, share: float, namesakes: float, negatives: Path) -> None:
    import django

    django.setup()
    from dedup_errors import inject

    inject(share=share, namesake_share=namesakes, seed=seed, truth_path=truth, negatives_path=negatives)


if __name__ == "__main__":
    main()
