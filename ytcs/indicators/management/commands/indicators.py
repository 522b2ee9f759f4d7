"""``ytcs indicators <action>``: list, value, rebuild, load, load-population, docs.

``value`` and ``list`` print to standard output only what their contracts say (docs/indicators.md); refusals
go to standard error with exit status 2.
"""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from ytcs.audit.context import AuditContext
from ytcs.core.errors import DomainError
from ytcs.core.periods import parse_period
from ytcs.indicators.docpage import DOC_PATH, render_docs
from ytcs.indicators.results import KEYS
from ytcs.indicators.selectors import indicator_list, indicator_value
from ytcs.indicators.services import (
    definitions_load,
    population_estimates_load,
    rebuild_plan,
    rebuild_step,
)
from ytcs.orgunits.models import OrgUnit
from ytcs.orgunits.selectors import province_lookup_any_era

REFUSED = 2


def refused(exc: DomainError) -> CommandError:
    lines = [f"{e.field}: {e.message}" if e.field and e.field.startswith("rows.") else e.message for e in exc.errors]
    return CommandError("\n".join(lines), returncode=REFUSED)


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


class Command(BaseCommand):
    help = "Indicators: list, value, rebuild, load (definitions), load-population, docs."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="The indicators in force: code, version, name, period types")
        listing.add_argument("--format", choices=["text", "csv", "json"], default="text")
        value = sub.add_parser("value", help="One indicator for one unit and period, computed from the records now")
        value.add_argument("code", help="Indicator code, e.g. d25.station_doctor")
        value.add_argument("--unit", required=True, help="VN, a province (04), a commune (01234), a village code, "
                                                         "or old:CODE for a unit of the map before 1 July 2025")
        value.add_argument("--period", required=True, help="2025-06, 2025Q2, 2025S1, 2025-9M, 2025 or 2025-W23")
        value.add_argument("--format", choices=["csv", "json"], default="csv")
        rebuild = sub.add_parser("rebuild", help="Recompute the stored totals of provinces and their communes")
        rebuild.add_argument("--province", help="Province name or code, of either map (default: every province)")
        rebuild.add_argument("--from", dest="first", help="First period (default: the last 13 months)")
        sub.add_parser("load", help="Load the definition files (data/*.toml) as versions (also done by migrate)")
        population = sub.add_parser("load-population", help="Load statistics-office population estimates")
        population.add_argument("file", type=Path, help="CSV with header unit,year,population,source")
        docs = sub.add_parser("docs", help="Write docs/indicators.md from the definitions")
        docs.add_argument("--check", action="store_true", help="Only say whether the file is up to date")

    def handle(self, *args: object, **options: object) -> None:
        getattr(self, "_" + str(options["action"]).replace("-", "_"))(options)

    def _list(self, options: dict) -> None:
        rows = [[d.code, str(d.version), d.name, " ".join(d.period_types)] for d in indicator_list()]
        if options["format"] == "json":
            keys = ("code", "version", "name", "period_types")
            data = [dict(zip(keys, (r[0], int(r[1]), r[2], r[3].split()), strict=True)) for r in rows]
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
        elif options["format"] == "csv":
            self.stdout.write(_csv([["code", "version", "name", "period_types"], *rows]), ending="")
        else:
            width = max((len(r[0]) for r in rows), default=0)
            for code, version, name, types in rows:
                self.stdout.write(f"{code:<{width}}  v{version:<3} {name}  [{types}]")

    def _value(self, options: dict) -> None:
        try:
            result = indicator_value(context=AuditContext.system("indicators.value"), indicator=options["code"],
                                     unit=options["unit"], period=options["period"])
        except DomainError as exc:
            raise refused(exc) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(_csv([list(KEYS), result.as_row()]), ending="")

    def _rebuild(self, options: dict) -> None:
        today = timezone.localdate()
        if options["province"]:
            province = province_lookup_any_era(options["province"])
            if province is None:
                raise CommandError(f"no province named or coded {options['province']!r}", returncode=REFUSED)
            provinces = [province]
        else:
            provinces = list(OrgUnit.objects.filter(level=OrgUnit.Level.PROVINCE, valid_to__isnull=True)
                             .order_by("code"))
        if options["first"]:
            try:
                first_day = parse_period(options["first"], field="from").start
            except DomainError as exc:
                raise refused(exc) from None
        else:
            first_day = date(today.year - 1, today.month, 1)
        started = time.perf_counter()
        steps = rebuild_plan(provinces=provinces, first_day=first_day, today=today)
        written = 0
        for step in tqdm(steps, desc="indicators", unit="step", disable=None):
            written += rebuild_step(step, today=today)
        periods = len({step.period for step in steps})
        self.stdout.write(f"{written} values written: {len(provinces)} province(s), {periods} periods, "
                          f"{time.perf_counter() - started:.1f} s")

    def _load(self, options: dict) -> None:
        report = definitions_load()
        self.stdout.write(f"definitions: {len(report.created)} new, {len(report.new_versions)} new versions "
                          f"({', '.join(report.new_versions) or '-'}), {len(report.retired)} retired, "
                          f"{report.unchanged} unchanged")

    def _load_population(self, options: dict) -> None:
        try:
            with options["file"].open(encoding="utf-8-sig", newline="") as handle:
                report = population_estimates_load(handle)
        except OSError as exc:
            raise CommandError(str(exc), returncode=REFUSED) from None
        except DomainError as exc:
            raise refused(exc) from None
        self.stdout.write(f"population estimates: {report.created} new, {report.updated} updated, "
                          f"{report.unchanged} unchanged")

    def _docs(self, options: dict) -> None:
        text = render_docs()
        current = DOC_PATH.read_text(encoding="utf-8") if DOC_PATH.exists() else ""
        if options["check"]:
            if current != text:
                raise CommandError(f"{DOC_PATH} is stale: run `ytcs indicators docs`", returncode=1)
            self.stdout.write(f"{DOC_PATH} is up to date")
            return
        DOC_PATH.write_text(text, encoding="utf-8")
        self.stdout.write(f"wrote {DOC_PATH}")
