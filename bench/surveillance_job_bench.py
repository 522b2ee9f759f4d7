"""Benchmark of the weekly detection job end to end from the database.

One province of 200 communes × 40 diseases × 7 years of weekly data: every
station sends every weekly report with a line for every disease (the densest
case: 2.9 M aggregate lines), plus individual case reports of the case-reported
diseases. Then, timed separately:

1. rebuilding ``WeeklyCount`` from the sources (what an import or repair costs);
2. the job evaluating the last 104 weeks (a backfill);
3. the normal weekly run (1 week);
4. the backfill again (idempotent: no new signals).

Usage (PostgreSQL; the database is created if missing and its tables emptied):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ytcs_bench_surveillance \\
        .venv/bin/python bench/surveillance_job_bench.py [--communes 200] [--diseases 40] [--years 7]
"""

import argparse
import datetime as dt
import math
import os
import sys
import time

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ytcs_bench_surveillance"


def _ensure_database(url: str) -> None:
    from urllib.parse import urlparse

    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                         dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _copy(cursor, table: str, columns: list[str], rows) -> int:
    """COPY rows (tuples) into ``table`` through psycopg's copy protocol."""
    n = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=200)
    parser.add_argument("--diseases", type=int, default=40)
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        sys.exit("this benchmark needs PostgreSQL (DATABASE_URL=postgres://...)")
    _ensure_database(os.environ["DATABASE_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ytcs.settings")
    import django

    django.setup()
    import numpy as np
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from ytcs.accounts.models import Role, User
    from ytcs.audit.context import AuditContext
    from ytcs.orgunits.models import OrgUnit
    from ytcs.surveillance.counts import rebuild_weekly_counts
    from ytcs.surveillance.models import (
        AggregateReport,
        CaseReport,
        DetectionRun,
        Disease,
        ReportingMode,
        Signal,
        WeeklyCount,
        WeeklyReport,
    )
    from ytcs.surveillance.series import build_cube
    from ytcs.surveillance.weekly_job import weekly_detection_run
    from ytcs.surveillance.weeks import last_complete_week

    call_command("migrate", verbosity=0)
    rng = np.random.default_rng(args.seed)
    as_of = timezone.localdate()
    last = last_complete_week(as_of)
    n_weeks = 52 * args.years
    weeks = [last - dt.timedelta(weeks=i) for i in range(n_weeks - 1, -1, -1)]

    print(f"== loading {args.communes} communes × {args.diseases} diseases × {n_weeks} weeks", flush=True)
    started = time.perf_counter()
    for model in (Signal.cases.through, Signal, DetectionRun, WeeklyCount, AggregateReport, CaseReport,
                  WeeklyReport):
        model.objects.all().delete()
    for level in (3, 1, 0):
        OrgUnit.objects.filter(code__startswith="BENCH", level=level).delete()
    user, _ = User.objects.get_or_create(username="bench-surveillance", defaults={"role": Role.STATION_STAFF})
    country = OrgUnit.objects.create(code="BENCH0", name="Bench country", level=0, valid_from=dt.date(2000, 1, 1),
                                     path="", name_folded="bench country")
    country.path = f"/{country.pk}/"
    country.save()
    province = OrgUnit.objects.create(code="BENCH1", name="Bench province", level=1, parent=country,
                                      valid_from=dt.date(2000, 1, 1), path="", name_folded="bench province")
    province.path = f"{country.path}{province.pk}/"
    province.save()
    communes = OrgUnit.objects.bulk_create([
        OrgUnit(code=f"BENCH3{i:04d}", name=f"Bench commune {i}", level=3, parent=province,
                valid_from=dt.date(2000, 1, 1), path="", name_folded=f"bench commune {i}")
        for i in range(args.communes)
    ])
    for c in communes:
        c.path = f"{province.path}{c.pk}/"
    OrgUnit.objects.bulk_update(communes, ["path"])
    first = weeks[0]
    diseases = [d for d in Disease.objects.exclude(reporting_mode=ReportingMode.SEPARATE).prefetch_related(
        "group_history") if min(a.valid_from for a in d.group_history.all()) <= first][: args.diseases]
    if len(diseases) < args.diseases:
        print(f"note: only {len(diseases)} diseases were listed {args.years} years ago")
    iso_week = np.array([w.isocalendar().week for w in weeks], dtype=float)
    means = rng.gamma(1.2, 0.5, size=len(diseases))  # mean weekly cases per commune, per disease
    peaks = rng.integers(1, 53, size=len(diseases))
    season = 1 + 0.8 * np.cos(2 * math.pi * (iso_week[None, :] - peaks[:, None]) / 52)
    size = rng.lognormal(0, 0.5, size=len(communes))
    now = timezone.now()
    with connection.cursor() as cursor:
        raw = cursor.connection.cursor()
        _copy(raw, WeeklyReport._meta.db_table,
              ["unit_id", "week_start", "iso_year", "iso_week", "submitted_at", "submitted_by_id", "on_time",
               "updated_at"],
              ((c.pk, w, w.isocalendar().year, w.isocalendar().week, now, user.pk, True, now)
               for c in communes for w in weeks))
        report_ids = dict(((u, w), pk) for pk, u, w in WeeklyReport.objects.values_list("pk", "unit_id", "week_start"))
        counts = rng.poisson(size[:, None, None] * means[None, :, None] * season[None, :, :])
        n_lines = _copy(raw, AggregateReport._meta.db_table,
                        ["weekly_report_id", "unit_id", "week_start", "disease_id", "cases", "deaths"],
                        ((report_ids[(c.pk, w)], c.pk, w, d.pk, int(counts[i, j, t]), 0)
                         for i, c in enumerate(communes) for t, w in enumerate(weeks)
                         for j, d in enumerate(diseases)))
        case_mode = [j for j, d in enumerate(diseases) if d.reporting_mode == ReportingMode.CASE][:5]
        tz = timezone.get_current_timezone()

        def cases():
            for i, c in enumerate(communes):
                for j in case_mode:
                    for t, w in enumerate(weeks):
                        for _ in range(int(counts[i, j, t])):
                            at = dt.datetime.combine(w, dt.time(9), tz)
                            yield (diseases[j].pk, c.pk, c.pk, 5, "M", w, at, at, w, "confirmed", "", "positive",
                                   False, "recovered", "", diseases[j].report_deadline_hours, False, user.pk, now,
                                   now)

        n_cases = _copy(raw, CaseReport._meta.db_table,
                        ["disease_id", "reporting_unit_id", "commune_id", "age_years", "sex", "onset_date",
                         "diagnosed_at", "reported_at", "week_start", "classification", "lab_test", "lab_result",
                         "hospitalised", "outcome", "notes", "deadline_hours", "is_late", "created_by_id",
                         "created_at", "updated_at"], cases())
        cursor.execute("ANALYZE")
    load_s = time.perf_counter() - started
    print(f"loaded {len(report_ids)} weekly reports, {n_lines} aggregate lines, {n_cases} case reports "
          f"in {load_s:.1f} s", flush=True)

    started = time.perf_counter()
    cells = rebuild_weekly_counts(unit_ids=[c.pk for c in communes])
    print(f"rebuild WeeklyCount from sources: {cells} cells in {time.perf_counter() - started:.1f} s", flush=True)

    started = time.perf_counter()
    cube = build_cube(scope=province, units=communes, diseases=diseases,
                      first_week=last - dt.timedelta(weeks=104 + 52 * 5 + 40 - 1), last_week=last)
    print(f"read series cube {cube.values.shape} alone: {time.perf_counter() - started:.1f} s", flush=True)

    codes = [d.code for d in diseases]
    for label, n in (("backfill, last 104 weeks", 104), ("weekly run, 1 week", 1),
                     ("backfill again (idempotent)", 104)):
        started = time.perf_counter()
        run = weekly_detection_run(as_of=as_of, scope=province, context=AuditContext.system("bench"), weeks=n,
                                   diseases=codes, workers=args.workers)
        elapsed = time.perf_counter() - started
        print(f"job {label}: {run.series_count} series, {run.signal_count} signals ({run.new_signal_count} new), "
              f"{Signal.cases.through.objects.count()} case links in table: {elapsed:.1f} s", flush=True)


if __name__ == "__main__":
    main()
