"""``ytcs surveillance <action>``: the disease list, the weekly detection job, count repair and demo data.

``ytcs surveillance synth`` (the demo data) is added by ``ytcs.synth`` through :mod:`ytcs.core.commands`.
"""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ytcs.core.commands import add_subcommands, run_subcommand
from ytcs.orgunits.models import OrgUnit


def _province(name: str | None) -> list[OrgUnit]:
    provinces = OrgUnit.objects.filter(level=OrgUnit.Level.PROVINCE, valid_to__isnull=True)
    if name:
        from ytcs.core.text import fold

        matches = [p for p in provinces if name in (p.code, p.name) or fold(name) == p.name_folded]
        if not matches:
            raise CommandError(f"no current province named or coded {name!r}")
        return matches
    return list(provinces.order_by("code"))


class Command(BaseCommand):
    help = "Notifiable-disease surveillance: load-diseases, detect-weekly, rebuild-counts, synth."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load-diseases", help="Create or update the disease list from data/diseases.csv (idempotent)")
        detect = sub.add_parser("detect-weekly", help="Run outbreak detection for the last complete ISO week(s)")
        detect.add_argument("--as-of", type=dt.date.fromisoformat, help="Date the job runs for (default today)")
        detect.add_argument("--province", help="Province name or code (default: every current province)")
        detect.add_argument("--weeks", type=int, default=1, help="Weeks to evaluate, ending last week (backfill)")
        detect.add_argument("--method", help="Use this method for every disease instead of each disease's own")
        detect.add_argument("--disease", action="append", help="Only this disease code (repeatable)")
        detect.add_argument("--workers", type=int, help="Processes for the detection engine")
        rebuild = sub.add_parser("rebuild-counts", help="Recompute the weekly count table from case/weekly reports")
        rebuild.add_argument("--province", help="Province name or code (default: all)")
        add_subcommands("surveillance", sub)

    def handle(self, *args: object, **options: object) -> None:
        action = str(options["action"])
        own = getattr(self, "_" + action.replace("-", "_"), None)
        if own is None:
            run_subcommand(self, "surveillance", action, options)
        else:
            own(options)

    def _load_diseases(self, options: dict) -> None:
        from ytcs.surveillance.diseases import load_diseases

        result = load_diseases()
        self.stdout.write(f"diseases: {result.created} created, {result.updated} updated, "
                          f"{result.group_periods} group periods")

    def _detect_weekly(self, options: dict) -> None:
        from ytcs.audit.context import AuditContext
        from ytcs.surveillance.weekly_job import weekly_detection_run

        as_of = options["as_of"] or timezone.localdate()
        for province in _province(options["province"]):
            started = time.perf_counter()
            try:
                run = weekly_detection_run(
                    as_of=as_of, scope=province, context=AuditContext.system("detect-weekly"),
                    weeks=options["weeks"], method=options["method"], diseases=options["disease"],
                    workers=options["workers"],
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"{province.name}: weeks {run.first_week}..{run.last_week}, {run.series_count} series evaluated, "
                f"{run.signal_count} signal(s), {run.new_signal_count} new, {time.perf_counter() - started:.1f} s"
            )

    def _rebuild_counts(self, options: dict) -> None:
        from ytcs.surveillance.counts import rebuild_weekly_counts

        if options["province"]:
            units = OrgUnit.objects.filter(path__startswith=_province(options["province"])[0].path)
            written = rebuild_weekly_counts(unit_ids=units.values_list("pk", flat=True))
        else:
            written = rebuild_weekly_counts()
        self.stdout.write(f"weekly counts: {written} cells written")
