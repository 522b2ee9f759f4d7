"""Benchmark ``ytcs synth-events``: births, deaths and moves for N synthetic residents over Y years.

    .venv/bin/python bench/synth_events_bench.py --people 50000 --years 3 [--pg-host 127.0.0.1]

Each database is throwaway (SQLite: a temporary file; PostgreSQL: ``ytcs_events_bench``, dropped and re-created),
migrated, given a province "Cao Bằng" (code 04) with 100 current communes and ``ytcs synth --people N``; then
``ytcs synth-events --province "Cao Bằng" --years Y --seed 1 --as-of 2026-01-01`` runs in a child process and
its wall time (process start included) is reported. Prints one Markdown table row per database.
"""

import argparse
import os
import platform
import subprocess
import tempfile
import time

from _common import BUILD_PROVINCE, PYTHON, ROOT


def bench(database_url: str, people: int, years: int) -> tuple[float, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "ytcs.settings"}
    run = lambda args: subprocess.run(args, env=env, cwd=ROOT, check=True, capture_output=True, text=True)  # noqa: E731
    run([PYTHON, "manage.py", "migrate", "-v0"])
    run(BUILD_PROVINCE)
    run([PYTHON, "-m", "ytcs.cli", "synth", "--province", "04", "--people", str(people), "--seed", "1",
         "--as-of", "2026-01-01", "--no-progress"])
    started = time.monotonic()
    out = run([PYTHON, "-m", "ytcs.cli", "synth-events", "--province", "04", "--years", str(years), "--seed", "1",
               "--as-of", "2026-01-01"]).stdout.strip()
    return time.monotonic() - started, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--pg-host", default="127.0.0.1")
    opts = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(("SQLite", *bench(f"sqlite:///{tmp}/bench.sqlite3", opts.people, opts.years)))
    import psycopg

    admin = psycopg.connect(host=opts.pg_host, user="postgres", dbname="postgres", autocommit=True)
    admin.execute("DROP DATABASE IF EXISTS ytcs_events_bench")
    admin.execute("CREATE DATABASE ytcs_events_bench")
    try:
        url = f"postgres://postgres@{opts.pg_host}:5432/ytcs_events_bench"
        rows.append(("PostgreSQL " + admin.execute("SHOW server_version").fetchone()[0],
                     *bench(url, opts.people, opts.years)))
    finally:
        admin.execute("DROP DATABASE IF EXISTS ytcs_events_bench")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores; {opts.people:,} residents × {opts.years} years")
    print("| database | wall time (s) | command output |\n|---|---|---|")
    for name, seconds, out in rows:
        print(f"| {name} | {seconds:.1f} | {out} |")


if __name__ == "__main__":
    main()
