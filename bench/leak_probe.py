"""The leak probe, larger: more users of every role and more records per place than ``make test`` uses.

    .venv/bin/python bench/leak_probe.py --copies 3 --per-place 2
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ytcs_bench .venv/bin/python bench/leak_probe.py

It runs ``ytcs/core/tests/test_leak_probe.py`` (the same discovery, rule and ``KNOWN_LEAKS``) in pytest-django's
throwaway test database with ``--copies`` users per role and home unit and ``--per-place`` residents (each with
a household, visit, problem, allergy, case and alert) per place, and prints the number of (user, record,
endpoint) triples checked and every finding with an example. It fails below ``--min-triples`` (10,000).
"""

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "ytcs/core/tests/test_leak_probe.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=3, help="users per role and home unit (default 3)")
    parser.add_argument("--per-place", type=int, default=2, help="residents per place (default 2)")
    parser.add_argument("--min-triples", type=int, default=10_000)
    args = parser.parse_args()
    env = {**os.environ, "YTCS_LEAK_COPIES": str(args.copies), "YTCS_LEAK_PER_PLACE": str(args.per_place)}
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:randomly", TEST], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    report = [line for line in run.stdout.splitlines() if "  —  " in line or line.startswith("leak probe:")]
    print("\n".join(report))
    print(run.stdout.splitlines()[-1] if run.stdout else run.stderr[-2000:])
    match = re.search(r"leak probe: (\d+) ", run.stdout)
    triples = int(match.group(1)) if match else 0
    database = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"{database}: {triples} triples, --copies {args.copies} --per-place {args.per_place}, {elapsed:.0f} s")
    if run.returncode:
        print(run.stdout[-6000:])
    return run.returncode or (triples < args.min_triples)


if __name__ == "__main__":
    sys.exit(main())
