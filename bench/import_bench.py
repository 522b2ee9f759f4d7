"""Benchmark: import a 100,000-row resident list into one commune (target < 60 s on PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ytcs_bench .venv/bin/python bench/import_bench.py \
        [--rows 100000] [--format csv|xlsx]

Creates the database schema if needed, a commune with 20 villages, writes a generated file under
bench/out/, then times a dry run, the real import and a re-run of the same file (which must create
nothing). The imported residents are deleted at the end so the script can be run again.
"""

import argparse
import csv
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ytcs.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from ytcs.core.text import fold  # noqa: E402
from ytcs.orgunits.models import OrgUnit  # noqa: E402

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Nông", "Lò", "Vi", "Ma", "Đinh"]
MIDDLE_M, MIDDLE_F = ["Văn", "Đức", "Hữu", "Minh"], ["Thị", "Ngọc", "Thu", "Hồng"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Mai", "Nam", "Phúc", "Quỳnh", "Sơn", "Tú"]
RELATION = ["Chủ hộ", "Vợ", "Con", "Con"]


def unit(code: str, name: str, level: int, parent: OrgUnit | None) -> OrgUnit:
    found = OrgUnit.objects.filter(code=code, level=level).first()
    if found:
        return found
    obj = OrgUnit.objects.create(code=code, name=name, level=level, parent=parent, valid_from=datetime.date(2025, 7, 1),
                                 name_folded=fold(name))
    obj.path = (parent.path if parent else "/") + f"{obj.pk}/"
    obj.save(update_fields=["path"])
    return obj


def make_rows(n: int) -> list[list[str]]:
    rng = random.Random(7)
    rows = []
    for i in range(n):
        sex = "Nam" if i % 4 in (0, 2) else "Nữ"
        born = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(0, 30000))
        century_digit = (0 if born.year < 2000 else 2) + (0 if sex == "Nam" else 1)
        cccd = f"004{century_digit}{born.year % 100:02d}{i:06d}" if born.year < 2012 else ""
        middle = rng.choice(MIDDLE_M if sex == "Nam" else MIDDLE_F)
        card = f"GD404{i:010d}" if i % 3 else ""
        rows.append([f"B{i // 4:06d}", f"V{(i // 4) % 20:02d}", f"Xóm {(i // 4) % 50}",
                     f"{rng.choice(FAMILY)} {middle} {rng.choice(GIVEN)}", sex, born.strftime("%d/%m/%Y"),
                     RELATION[i % 4], "Tày", cccd, f"09{i:08d}" if i % 2 else "", card,
                     "31/12/2026" if card else ""])
    return rows


HEADER = ["ma_ho", "thon", "dia_chi", "ho_ten", "gioi_tinh", "ngay_sinh", "quan_he_chu_ho", "dan_toc", "cccd",
          "dien_thoai", "ma_the_bhyt", "bhyt_den_ngay"]


def write_file(rows: list[list[str]], fmt: str) -> Path:
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    path = out / f"residents_{len(rows)}.{fmt}"
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            writer.writerows(rows)
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(HEADER)
        for row in rows:
            sheet.append(row)
        book.save(path)
    return path


def timed(label: str, *args: str) -> float:
    start = time.perf_counter()
    try:
        call_command(*args)
    except SystemExit as exc:
        print(f"{label}: exited {exc.code}")
    elapsed = time.perf_counter() - start
    print(f"{label}: {elapsed:.1f} s")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    country = unit("VN", "Việt Nam", 0, None)
    province = unit("04", "Cao Bằng", 1, country)
    commune = unit("99001", "Xã Thử Nghiệm", 3, province)
    for v in range(20):
        unit(f"V{v:02d}", f"Bản {v}", 4, commune)
    from ytcs.people.models import Household, Resident

    Resident.objects.filter(commune=commune).delete()
    Household.objects.filter(commune=commune).delete()
    path = write_file(make_rows(args.rows), args.format)
    print(f"{args.rows} rows, {args.format}, {path.stat().st_size / 1e6:.1f} MB, database "
          f"{django.db.connection.vendor}")
    timed("dry run", "import", "residents", str(path), "--commune", commune.code, "--dry-run")
    timed("import", "import", "residents", str(path), "--commune", commune.code)
    timed("re-run (no duplicates)", "import", "residents", str(path), "--commune", commune.code)
    print(f"residents in commune: {Resident.objects.filter(commune=commune).count()}")
    Resident.objects.filter(commune=commune).delete()
    Household.objects.filter(commune=commune).delete()


if __name__ == "__main__":
    main()
