"""Benchmark resident search: latency of ``resident_search`` (and of the HTTP view) at 1,000,000 residents.

    .venv/bin/python bench/search_bench.py [--people 1000000] [--queries 1000] [--reuse] [--pg-host 127.0.0.1]

Creates the throwaway PostgreSQL database ``ytcs_search_bench`` (``--reuse`` keeps an existing one), migrates it,
adds a province of 100 communes and runs ``ytcs synth --people N --seed 1``. Then, as a station nurse of one
commune and as a province-wide administrator, it draws realistic queries from residents in their scope —
the exact name with diacritics, unaccented, reordered (given name first), one typo in the given name,
name + birth year, "family name + birth year", CCCD, phone — and times the selector (which includes the
audit row) and, for a share of them, the HTTP POST through Django's test client. It also reports how often
the person the query was drawn from (for name queries: someone with the same full name — synthetic
names repeat a lot) is ranked first and is on the first page (25). Apart from that mix, it times a birth
year alone and a full name plus a word nobody has. Prints Markdown.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "ytcs_search_bench"


def prepare(host: str, people: int, reuse: bool) -> None:
    import psycopg

    admin = psycopg.connect(host=host, user="postgres", dbname="postgres", autocommit=True)
    exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB]).fetchone()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ytcs.settings"}
    if exists and reuse:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
        return
    admin.execute(f"DROP DATABASE IF EXISTS {DB}")
    admin.execute(f"CREATE DATABASE {DB}")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([sys.executable, str(ROOT / "bench" / "dedup_bench.py"), "--setup-only"], env=env, cwd=ROOT,
                   check=True)
    subprocess.run([sys.executable, "-m", "ytcs.cli", "synth", "--province", "Cao Bằng", "--people", str(people),
                    "--seed", "1", "--as-of", "2026-01-01", "--no-progress"], env=env, cwd=ROOT, check=True)
    # A production database has planner statistics; a freshly bulk-loaded one has none until autovacuum runs.
    psycopg.connect(host=host, user="postgres", dbname=DB, autocommit=True).execute("ANALYZE")


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(len(word))
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + rng.choice("aeioung") + word[i + 1:]
    if kind == 1 and len(word) > 2:
        return word[:i] + word[i + 1:]
    return word[:i + 1] + word[i] + word[i + 1:]


def make_queries(residents: list, n: int, seed: int) -> list[tuple[str, str, int]]:
    """(kind, text, pk of the person it was drawn from)."""
    from ytcs.core.text import fold

    rng = random.Random(seed)
    kinds = ["exact", "unaccented", "reordered", "typo", "name_year", "family_year", "cccd", "phone"]
    out = []
    while len(out) < n:
        r = rng.choice(residents)
        kind = kinds[len(out) % len(kinds)]
        words = fold(r.full_name).split()
        if kind == "exact":
            text = r.full_name
        elif kind == "unaccented":
            text = " ".join(words)
        elif kind == "reordered":
            text = " ".join([words[-1], *words[:-1]])
        elif kind == "typo":
            text = " ".join([*words[:-1], _typo(rng, words[-1])])
        elif kind == "name_year":
            text = f"{' '.join(words)} {r.birth_year}"
        elif kind == "family_year":
            text = f"{words[0]} {r.birth_year}"
        elif kind == "cccd":
            if not r.cccd:
                continue
            text = r.cccd
        else:
            if not r.phone:
                continue
            text = r.phone
        out.append((kind, text, r.pk))
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run(actor, queries, http_every: int, target: dict[int, str]) -> dict:
    from django.test import Client

    from ytcs.audit.context import AuditContext
    from ytcs.core.text import fold
    from ytcs.people.selectors import resident_search

    context = AuditContext.system("search-bench", actor=actor)
    client = Client()
    client.force_login(actor)
    selector_ms, http_ms, first, on_page = [], [], 0, 0
    by_kind: dict[str, list[float]] = {}
    for i, (kind, text, pk) in enumerate(queries):
        started = time.perf_counter()
        results = resident_search(context=context, query=text)
        ids = [r.pk for r in results.page] if results.page else []
        elapsed = (time.perf_counter() - started) * 1000
        selector_ms.append(elapsed)
        by_kind.setdefault(kind, []).append(elapsed)
        # Synthetic names repeat a lot (hundreds of "Nông Thị Hoa"): for a name query, a namesake of the
        # person counts as the right answer; identifiers must find the person.
        if kind in ("cccd", "phone", "family_year"):
            first += bool(ids) and ids[0] == pk
            on_page += pk in ids
        else:
            names = [fold(r.full_name) for r in results.page] if results.page else []
            first += bool(names) and names[0] == target[pk]
            on_page += pk in ids or target[pk] in names
        if i % http_every == 0:
            started = time.perf_counter()
            response = client.post("/people/search/", {"q": text}, HTTP_HX_REQUEST="true")
            assert response.status_code == 200
            http_ms.append((time.perf_counter() - started) * 1000)
    return {"selector": selector_ms, "http": http_ms, "first": first / len(queries),
            "on_page": on_page / len(queries), "by_kind": by_kind}


def extra_queries(residents: list, n: int, seed: int) -> dict[str, list[str]]:
    """Queries outside the main mix (kept apart so the main table stays comparable across runs): a birth
    year alone, and a full name plus a word nobody has (the engine then checks each word for existence)."""
    from ytcs.core.text import fold

    rng = random.Random(seed)
    sample = [rng.choice(residents) for _ in range(n)]
    return {
        "birth year alone": [str(r.birth_year) for r in sample],
        "name + a word nobody has": [f"{fold(r.full_name)} {rng.choice(['zq', 'xyzw', 'qoo'])}" for r in sample],
    }


def time_extra(actor, queries: dict[str, list[str]]) -> dict[str, list[float]]:
    from ytcs.audit.context import AuditContext
    from ytcs.people.selectors import resident_search

    context = AuditContext.system("search-bench", actor=actor)
    out = {}
    for label, texts in queries.items():
        times = []
        for text in texts:
            started = time.perf_counter()
            results = resident_search(context=context, query=text)
            list(results.page or [])
            times.append((time.perf_counter() - started) * 1000)
        out[label] = times
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--http-every", type=int, default=4, help="time the HTTP view for every n-th query")
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--reuse", action="store_true", help="reuse an existing ytcs_search_bench database")
    opts = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgres://postgres@{opts.pg_host}:5432/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ytcs.settings")
    prepare(opts.pg_host, opts.people, opts.reuse)

    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    from ytcs.accounts.models import Role, User
    from ytcs.orgunits.models import OrgUnit
    from ytcs.people.models import Resident
    from ytcs.people.search import word_stats

    total = Resident.objects.count()
    province = OrgUnit.objects.get(level=OrgUnit.Level.PROVINCE, code="04")
    commune = (OrgUnit.objects.filter(level=OrgUnit.Level.COMMUNE, path__startswith=province.path)
               .order_by("code")[10])
    nurse, _ = User.objects.get_or_create(username="bench_nurse", defaults={"role": Role.STATION_STAFF,
                                                                           "org_unit": commune})
    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={
        "role": Role.PROVINCIAL, "org_unit": province, "may_open_records": True})
    started = time.perf_counter()
    word_stats(refresh=True)
    stats_seconds = time.perf_counter() - started

    rng = random.Random(7)
    rows = []
    for label, actor, where in (("commune nurse", nurse, {"commune": commune}),
                                ("province-wide", admin, {"commune__path__startswith": province.path})):
        ids = list(Resident.objects.filter(**where).values_list("pk", flat=True))
        sample = list(Resident.objects.filter(pk__in=rng.sample(ids, min(3000, len(ids)))))
        queries = make_queries(sample, opts.queries, seed=len(label))
        target = {r.pk: r.name_folded for r in sample}
        run(actor, queries[:50], opts.http_every, target)  # warm-up
        result = run(actor, queries, opts.http_every, target)
        result["extra"] = time_extra(actor, extra_queries(sample, 200, seed=len(label)))
        rows.append((label, len(ids), result))

    print(f"residents: {total:,}; word statistics: {stats_seconds:.2f} s (once per process per 10 min)\n")
    print("| user (scope size) | measured | n | p50 ms | p95 ms | p99 ms | right person (or namesake) 1st | "
          "on first page |")
    print("|---|---|---|---|---|---|---|---|")
    for label, size, r in rows:
        for what in ("selector", "http"):
            v = r[what]
            print(f"| {label} ({size:,}) | {what} | {len(v)} | {pct(v, 50):.1f} | {pct(v, 95):.1f} | "
                  f"{pct(v, 99):.1f} | {r['first']:.1%} | {r['on_page']:.1%} |")
    print("\nSelector p95 by query kind (ms):\n")
    kinds = list(rows[0][2]["by_kind"])
    print("| user | " + " | ".join(kinds) + " |")
    print("|---|" + "---|" * len(kinds))
    for label, _, r in rows:
        print(f"| {label} | " + " | ".join(f"{pct(r['by_kind'][k], 95):.1f}" for k in kinds) + " |")
    print("\nSelector, queries outside the mix (200 each, ms):\n")
    print("| user | query | p50 | p95 |")
    print("|---|---|---|---|")
    for label, _, r in rows:
        for what, v in r["extra"].items():
            print(f"| {label} | {what} | {pct(v, 50):.1f} | {pct(v, 95):.1f} |")
    print(f"\n{statistics.mean(rows[1][2]['selector']):.1f} ms mean province-wide")


if __name__ == "__main__":
    main()
