"""Benchmark: the national org-unit load (both eras + crosswalk), its idempotent re-run and the crosswalk queries.

Usage (fresh throwaway database each time):
    .venv/bin/python bench/orgunits_load.py            # SQLite file under bench/out/
    .venv/bin/python bench/orgunits_load.py --postgres # database ytcs_bench_orgunits on 127.0.0.1:5432
"""

import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = "--postgres" in sys.argv
if PG:
    import psycopg

    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS ytcs_bench_orgunits")
        conn.execute("CREATE DATABASE ytcs_bench_orgunits")
    os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/ytcs_bench_orgunits"
else:
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    db = out / "orgunits.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ytcs.settings")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from ytcs.orgunits.models import HealthFacility, OrgUnit, OrgUnitRollup, OrgUnitSuccession  # noqa: E402
from ytcs.orgunits.selectors import province_lookup, rollup_totals, units_under  # noqa: E402
from ytcs.orgunits.services import orgunits_load  # noqa: E402


def timed(label, fn):
    started = time.perf_counter()
    result = fn()
    print(f"{label:<55} {time.perf_counter() - started:7.3f} s")
    return result


call_command("migrate", verbosity=0)
print(f"database: {connection.vendor}")
first = timed("first load (all 34 + 63 provinces)", orgunits_load)
print(f"  units {first.units}; successions {first.successions}; rollups {first.rollups}")
second = timed("second load (idempotent, nothing to write)", orgunits_load)
print(f"  changed: {second.changed}")
print(
    f"  rows: {OrgUnit.objects.count()} units, {OrgUnitSuccession.objects.count()} successions, "
    f"{OrgUnitRollup.objects.count()} rollups"
)
hcm = province_lookup("Hồ Chí Minh")
timed("units_under(new HCMC, as_of=2024-06-30) (count)", lambda: units_under(hcm, as_of=date(2024, 6, 30)).count())
timed("units_under(new HCMC, as_of=2026-01-01) (count)", lambda: units_under(hcm, as_of=date(2026, 1, 1)).count())
olds = list(OrgUnit.objects.filter(level=OrgUnit.Level.COMMUNE, valid_to__isnull=False).values_list("pk", flat=True))
HealthFacility.objects.bulk_create(
    [
        HealthFacility(code=f"B{i}", name="bench", kind="other", org_unit_id=pk, beds=1, valid_from=date(2024, 1, 1))
        for i, pk in enumerate(olds)
    ]
)
totals = timed(
    f"rollup_totals of {len(olds)} facts on old communes → provinces",
    lambda: rollup_totals(HealthFacility.objects.all(), unit_field="org_unit", level=1, value="beds"),
)
print(f"  sum over 34 provinces: {sum(totals.by_unit.values()):.3f} (facts: {len(olds)})")
if PG:
    connection.close()
    with psycopg.connect(host="127.0.0.1", user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE ytcs_bench_orgunits")
