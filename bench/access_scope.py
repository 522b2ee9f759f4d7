"""Cost of the access layer: scoped record open (+ audit row) and a scoped list page, per role.

Run against a throwaway, migrated database, e.g.
    createdb -h 127.0.0.1 -U postgres ytcs_bench_access
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ytcs_bench_access .venv/bin/ytcs migrate -v0
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ytcs_bench_access .venv/bin/python bench/access_scope.py
It fills one province (100 communes × 5 villages, 2,000 residents a commune = 200,000) unless already there.
"""

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ytcs.settings")

import django  # noqa: E402

django.setup()

from ytcs.accounts.models import Role, User  # noqa: E402
from ytcs.audit.context import AuditContext  # noqa: E402
from ytcs.audit.services import audit_record  # noqa: E402
from ytcs.audit.vocabulary import ResourceType  # noqa: E402
from ytcs.orgunits.models import OrgUnit  # noqa: E402
from ytcs.people.access import get_resident_for, scoped_residents  # noqa: E402
from ytcs.people.models import Resident  # noqa: E402

COMMUNES, VILLAGES, PER_COMMUNE = 100, 5, 2000


def unit(level: int, code: str, parent: OrgUnit | None) -> OrgUnit:
    u = OrgUnit.objects.create(
        level=level, code=code, name=code, name_folded=code.lower(), parent=parent, valid_from=date(2025, 7, 1), path=""
    )
    u.path = (parent.path if parent else "/") + f"{u.pk}/"
    OrgUnit.objects.filter(pk=u.pk).update(path=u.path)
    return u


def populate() -> None:
    country = unit(0, "BENCH-VN", None)
    province = unit(1, "BENCH-P", country)
    for c in range(COMMUNES):
        commune = unit(3, f"BENCH-C{c:03d}", province)
        villages = [unit(4, f"BENCH-C{c:03d}-V{v}", commune) for v in range(VILLAGES)]
        Resident.objects.bulk_create(
            [
                Resident(
                    commune=commune,
                    village=villages[i % VILLAGES],
                    family_name="Nguyễn",
                    given_name=f"A{i}",
                    full_name=f"Nguyễn Văn A{i}",
                    name_folded=f"nguyen van a{i}",
                    sex="M",
                    birth_date=date(1980, 1, 1),
                    birth_year=1980,
                )
                for i in range(PER_COMMUNE)
            ],
            batch_size=2000,
        )


def timed(fn, n: int) -> str:
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return f"p50 {statistics.median(samples):.2f} ms · p95 {samples[int(n * 0.95)]:.2f} ms"


def main() -> None:
    if not OrgUnit.objects.filter(code="BENCH-P").exists():
        started = time.perf_counter()
        populate()
        print(f"populated {Resident.objects.count():,} residents in {time.perf_counter() - started:.1f} s")
    if django.db.connection.vendor == "postgresql":
        with django.db.connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    province = OrgUnit.objects.get(code="BENCH-P")
    commune = OrgUnit.objects.get(code="BENCH-C050")
    village = OrgUnit.objects.get(code="BENCH-C050-V2")
    users = {
        "village_health_worker": (Role.VILLAGE_HEALTH_WORKER, village, None),
        "station_staff": (Role.STATION_STAFF, commune, None),
        "provincial (may open)": (Role.PROVINCIAL, province, True),
    }
    own = Resident.objects.filter(village=village).values_list("pk", flat=True)[:200]
    print(f"database: {django.db.connection.vendor}; residents: {Resident.objects.count():,}")
    for label, (role, org_unit, opens) in users.items():
        user, _ = User.objects.update_or_create(
            username=f"bench_{role}", defaults={"role": role, "org_unit": org_unit, "may_open_records": opens}
        )
        pks = iter(list(own) * 10)

        def open_one(user=user, pks=pks):
            fresh = User.objects.get(pk=user.pk)  # a new request: scope computed afresh
            context = AuditContext(actor=fresh)
            resident = get_resident_for(context, next(pks))
            audit_record(context=context, action="view", resource_type=ResourceType.RESIDENT, resource_id=resident.pk,
                         subject_ids=[resident.pk])

        def list_page(user=user):
            fresh = User.objects.get(pk=user.pk)
            page = list(scoped_residents(fresh).order_by("name_folded").values("pk", "full_name")[:50])
            audit_record(context=AuditContext(actor=fresh), action="list", resource_type=ResourceType.RESIDENT,
                         subject_ids=[r["pk"] for r in page])

        print(f"{label:24} open+audit {timed(open_one, 500)} | list 50+audit {timed(list_page, 200)}")


if __name__ == "__main__":
    main()
