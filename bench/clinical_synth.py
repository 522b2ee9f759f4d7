"""Benchmark: synthetic visit history for N residents × Y years (``ytcs synth-visits`` bulk path).

Run on a throwaway database:
  YTCS_VAR_DIR=$(mktemp -d) .venv/bin/python bench/clinical_synth.py --residents 50000 --years 3
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/ytcs_bench .venv/bin/python bench/clinical_synth.py ...
"""

import argparse
import os
import random
import time
from datetime import date

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ytcs.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from ytcs.clinical.models import Diagnosis, Encounter, PrescriptionLine  # noqa: E402
from ytcs.core.text import fold  # noqa: E402
from ytcs.orgunits.models import OrgUnit  # noqa: E402
from ytcs.people.models import Resident  # noqa: E402
from ytcs.synth.clinical import encounters_synthesise  # noqa: E402


def unit(level: int, name: str, parent: OrgUnit | None) -> OrgUnit:
    u = OrgUnit.objects.create(
        code=f"B{OrgUnit.objects.count()}",
        name=name,
        level=level,
        parent=parent,
        valid_from=date(2025, 7, 1),
        name_folded=fold(name),
    )
    u.path = (parent.path if parent else "/") + f"{u.pk}/"
    u.save(update_fields=["path"])
    return u


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=50_000)
    parser.add_argument("--years", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    country = unit(0, "Việt Nam", None)
    province = unit(1, "Tỉnh Bench", country)
    communes = [unit(3, f"Xã {i}", province) for i in range(20)]
    rng = random.Random(1)
    Resident.objects.bulk_create(
        [
            Resident(
                commune=communes[i % 20],
                family_name="Nguyễn",
                given_name=f"B{i}",
                full_name=f"Nguyễn B{i}",
                name_folded=f"nguyen b{i}",
                sex="MF"[i % 2],
                birth_date=date(rng.randrange(1930, 2026), rng.randrange(1, 13), rng.randrange(1, 28)),
                birth_year=1990,
                bhyt_card_number="GD4010123456789" if i % 10 else "",
            )
            for i in range(args.residents)
        ],
        batch_size=2000,
    )
    started, cpu = time.perf_counter(), time.process_time()
    created = encounters_synthesise(residents=Resident.objects.all(), seed=1, years=args.years)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"{args.residents} residents × {args.years} y: {created} visits, {Diagnosis.objects.count()} diagnoses, "
        f"{PrescriptionLine.objects.count()} prescription lines in {elapsed:.1f} s wall, {cpu:.1f} s CPU "
        f"({Encounter.objects.count() / elapsed:,.0f} visits/s)"
    )


if __name__ == "__main__":
    main()
