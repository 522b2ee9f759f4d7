"""The API fuzzing guard rail, longer: more schemathesis examples per operation than ``make test`` sends.

    .venv/bin/python bench/api_fuzz.py --examples 200
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ytcs_bench .venv/bin/python bench/api_fuzz.py --examples 200

It runs ``ytcs/core/tests/test_api_fuzz.py`` (every operation of ``/api/openapi.json``, its checks and its
``KNOWN_NONCONFORMING`` list) with ``--examples`` positive and half as many negative requests per operation,
in pytest-django's throwaway test database, and prints the requests and statuses of every operation.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "ytcs/core/tests/test_api_fuzz.py"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="positive examples per operation (default 200)")
    args = parser.parse_args()
    env = {**os.environ, "YTCS_FUZZ_EXAMPLES": str(args.examples)}
    started = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:randomly", TEST], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    lines = [line for line in run.stdout.splitlines() if " requests, statuses " in line]
    requests = sum(int(line.split(": ", 1)[1].split()[0]) for line in lines)
    print("\n".join(lines))
    print(run.stdout.splitlines()[-1] if run.stdout else run.stderr[-2000:])
    database = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"{database}: {len(lines)} operations, {requests} requests, --examples {args.examples}, {elapsed:.0f} s")
    if run.returncode:
        print(run.stdout[-6000:])
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
