"""Benchmark ``ytcs synth``: residents per second and peak memory, PostgreSQL and SQLite.

    .venv/bin/python bench/synth_bench.py --people 1000000 [--sqlite] [--pg-host 127.0.0.1]

Each run gets a throwaway database (PostgreSQL: ``ytcs_synth_bench``, dropped and re-created; SQLite: a temporary
file), is migrated, gets a province "Cao Bằng" (code 04) with 100 current communes, then runs
``ytcs synth --province "Cao Bằng" --people N --seed 1 --no-progress`` in a child process. Peak RSS is the
child's ``ru_maxrss``. Prints one Markdown table row per database.
"""

import argparse
import os
import platform
import subprocess
import tempfile
import time
from pathlib import Path

from _common import BUILD_PROVINCE, PYTHON, ROOT


def run(env: dict[str, str], args: list[str]) -> None:
    subprocess.run(args, env=env, cwd=ROOT, check=True)


def bench(database_url: str, people: int) -> tuple[float, float]:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "ytcs.settings"}
    run(env, [PYTHON, "manage.py", "migrate", "-v0"])
    run(env, BUILD_PROVINCE)
    argv = ["synth", "--province", "Cao Bằng", "--people", str(people), "--seed", "1", "--as-of", "2026-01-01",
            "--no-progress"]
    with tempfile.NamedTemporaryFile("r") as peak:
        # The child reports its own peak RSS, so earlier children (migrate, set-up) do not count.
        code = (f"import resource; from ytcs.cli import main; main({argv!r}); "
                f"open({peak.name!r}, 'w').write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))")
        started = time.monotonic()
        run(env, [PYTHON, "-c", code])
        seconds = time.monotonic() - started
        peak_mib = int(Path(peak.name).read_text()) / 1024
    return seconds, peak_mib


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--sqlite", action="store_true", help="also run on SQLite (reference)")
    opts = parser.parse_args()
    import psycopg

    results = []
    admin = psycopg.connect(host=opts.pg_host, user="postgres", dbname="postgres", autocommit=True)
    admin.execute("DROP DATABASE IF EXISTS ytcs_synth_bench")
    admin.execute("CREATE DATABASE ytcs_synth_bench")
    try:
        url = f"postgres://postgres@{opts.pg_host}:5432/ytcs_synth_bench"
        results.append(("PostgreSQL " + admin.execute("SHOW server_version").fetchone()[0], *bench(url, opts.people)))
    finally:
        admin.execute("DROP DATABASE IF EXISTS ytcs_synth_bench")
    if opts.sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            results.append(("SQLite", *bench(f"sqlite:///{tmp}/bench.sqlite3", opts.people)))
    cpu = platform.processor() or platform.machine()
    print(f"\nmachine: {cpu}, {os.cpu_count()} cores; Python {platform.python_version()}")
    print("| database | residents | wall time | residents/s | peak RSS of the synth process |")
    print("|---|---|---|---|---|")
    for name, seconds, peak in results:
        print(f"| {name} | {opts.people:,} | {seconds:.1f} s | {opts.people / seconds:,.0f} | {peak:,.0f} MiB |")


if __name__ == "__main__":
    main()
