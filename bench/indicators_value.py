"""Time ``ytcs indicators value`` for every indicator in force, for one province, on the demo-size data.

Build the demo province (50,000 residents, 3 years of events and visits, 7 of surveillance) in a throwaway
PostgreSQL database once, then measure:

    createdb -h 127.0.0.1 -U postgres ytcs_bench_indicators
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ytcs_bench_indicators
    .venv/bin/python bench/indicators_value.py --setup        # runs `ytcs demo --no-serve` first
    .venv/bin/python bench/indicators_value.py [--repeat 5]

For each indicator: the median and worst time of the selector the command calls (in process, after one warm-up),
for the last complete month (years: the last complete year), and the end-to-end time of one
``ytcs indicators value`` process (Python and Django start-up included). Prints a Markdown table.
"""

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ytcs.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from ytcs.audit.context import AuditContext  # noqa: E402
from ytcs.core.periods import Period, PeriodType  # noqa: E402
from ytcs.indicators.selectors import indicator_list, indicator_value  # noqa: E402
from ytcs.orgunits.models import OrgUnit  # noqa: E402
from ytcs.people.models import Resident  # noqa: E402


def period_for(definition: object, today: dt.date) -> str:
    """The last complete month, or the last complete year for an indicator computed by years only."""
    if PeriodType.MONTH in definition.period_types:
        return Period.containing(PeriodType.MONTH, today.replace(day=1) - dt.timedelta(days=1)).code
    return str(today.year - 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help="run `ytcs demo --no-serve` first")
    parser.add_argument("--province", default="04", help="current province code (default 04, the demo's)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.setup:
        started = time.perf_counter()
        call_command("demo", "--no-serve")
        if connection.vendor == "postgresql":  # fresh bulk-loaded tables: give the planner their statistics
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"setup (ytcs demo --no-serve, ANALYZE): {time.perf_counter() - started:.1f} s")
    province = OrgUnit.objects.get(level=OrgUnit.Level.PROVINCE, valid_to__isnull=True, code=args.province)
    today = timezone.localdate()
    residents = Resident.objects.filter(commune__parent=province).count()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; province {province.code} "
          f"{province.name}, {residents:,} residents; today {today}")
    print("| indicator | period | value | p50 ms | max ms | `ytcs indicators value` process, s |")
    print("|---|---|---|---|---|---|")
    job = AuditContext.system("bench")
    total = 0.0
    for definition in indicator_list():
        period = period_for(definition, today)
        ask = {"context": job, "indicator": definition.code, "unit": province.code, "period": period}
        result = indicator_value(**ask)  # warm-up
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            indicator_value(**ask)
            times.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "ytcs.cli", "indicators", "value", definition.code, "--unit",
                        province.code, "--period", period], check=True, capture_output=True, cwd=ROOT)
        process = time.perf_counter() - start
        total += statistics.median(times)
        value = result.as_row()[5] or "(empty)"
        print(f"| `{definition.code}` | {period} | {value} | {statistics.median(times):.0f} | {max(times):.0f} "
              f"| {process:.2f} |")
    print(f"\nall {len(indicator_list())} indicators, sum of medians: {total:.0f} ms")


if __name__ == "__main__":
    main()
