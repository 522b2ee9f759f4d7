"""``ytcs orgunits <subcommand>``: load units, import CSVs, show a unit.

``ytcs orgunits synth`` (the demo network) is added by ``ytcs.synth`` through :mod:`ytcs.core.commands`.
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ytcs.core.commands import add_subcommands, run_subcommand
from ytcs.orgunits import facility_services, services
from ytcs.orgunits.csvio import CsvImportError
from ytcs.orgunits.models import OrgUnit
from ytcs.orgunits.selectors import (
    rollup_targets,
    stations_with_permanent_doctor,
    today,
    unit_by_code,
    villages_with_trained_worker,
)

_IMPORTS = {
    "import-villages": services.villages_import,
    "import-facilities": facility_services.facilities_import,
    "import-staff": facility_services.staff_import,
    "load-weights": services.succession_weights_load,
}


class Command(BaseCommand):
    help = "Administrative units (both eras and the crosswalk), villages, health facilities and staff."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Load/refresh the 2025 and pre-2025 units and the crosswalk (idempotent)")
        load.add_argument("--province", action="append", default=[],
                          help="Only this current province (name or code; repeatable). Default: all 34.")
        for name in _IMPORTS:
            sub.add_parser(name, help=f"{name} FILE.csv (all rows or none)").add_argument("file", type=Path)
        add_subcommands("orgunits", sub)
        show = sub.add_parser("show", help="A unit by code: its place, validity, successors and coverage")
        show.add_argument("code")
        show.add_argument("--as-of", type=date.fromisoformat, default=None)

    def handle(self, *args, action: str, **options) -> None:
        if action == "load":
            try:
                report = services.orgunits_load(provinces=options["province"] or None)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"units {report.units}; successions {report.successions}; "
                              f"rollups {report.rollups}; {report.seconds:.1f} s"
                              + ("" if report.changed else " (nothing changed)"))
        elif action in _IMPORTS:
            try:
                text = options["file"].read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(_("Không đọc được tệp %(file)s: %(error)s")
                                   % {"file": options["file"], "error": exc}) from exc
            try:
                result = _IMPORTS[action](csv_text=text)
            except CsvImportError as exc:
                for error in exc.errors:
                    self.stderr.write(str(error))
                raise CommandError(_("Không nhập gì: %d lỗi.") % len(exc.errors)) from exc
            self.stdout.write(str(result))
        elif action == "show":
            self._show(options["code"], options["as_of"] or today())
        else:
            run_subcommand(self, "orgunits", action, options)

    def _show(self, code: str, as_of: date) -> None:
        unit = next((u for level in OrgUnit.Level.values if (u := unit_by_code(code, level=level, as_of=as_of))),
                    None)
        if unit is None:
            raise CommandError(_("Không có đơn vị mã %(code)s vào ngày %(date)s") % {"code": code, "date": as_of})
        self.stdout.write(f"{unit.name} [{unit.get_level_display()} {unit.code}] "
                          f"{unit.valid_from} → {unit.valid_to or '…'}")
        for rollup in rollup_targets(unit):
            self.stdout.write(f"  → {rollup.current_unit.name} ({rollup.current_unit.code}) × {rollup.weight:.3f}")
        if unit.valid_to is None:
            doctors = stations_with_permanent_doctor(unit, as_of=as_of)
            workers = villages_with_trained_worker(unit, as_of=as_of)
            self.stdout.write(f"  stations with a permanent doctor: {doctors.covered}/{doctors.total}; "
                              f"villages with a trained health worker: {workers.covered}/{workers.total}")
