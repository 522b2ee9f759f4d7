"""``ytcs import residents FILE.csv|.xlsx --commune CODE [--dry-run] [--user USERNAME]``.

Prints every bad row (row, column, reason) and writes nothing when there is one; otherwise writes
the whole file in one transaction (nothing with ``--dry-run``). Exit status 1 when rows were refused.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ytcs.accounts.models import User
from ytcs.orgunits.models import OrgUnit
from ytcs.people.imports import ImportFileError, import_residents


class Command(BaseCommand):
    help = "Import data files into the register (today: residents from a commune's CSV/XLSX list)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["residents"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--commune", required=True, help="Official code of the current commune/ward")
        parser.add_argument("--dry-run", action="store_true", help="Check every row, write nothing")
        parser.add_argument("--user", help="Import in this station user's name (their capture scope applies)")

    def handle(self, *args: object, **options: object) -> None:
        commune = OrgUnit.objects.filter(code=options["commune"], level=OrgUnit.Level.COMMUNE,
                                         valid_to__isnull=True).first()
        if commune is None:
            raise CommandError(f"No current commune with code {options['commune']}")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {options['user']}")
        path: Path = options["file"]
        try:
            report = import_residents(actor=actor, commune=commune, name=path.name, content=path.read_bytes(),
                                      dry_run=options["dry_run"])
        except (ImportFileError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        for error in report.errors:
            self.stdout.write(f"row {error.row}, column {error.column}: {error.message}")
        if report.ignored_columns:
            self.stdout.write(f"ignored columns: {', '.join(report.ignored_columns)}")
        verb = "would create" if report.dry_run else "created"
        summary = (f"{report.rows} rows, {len(report.errors)} errors; {verb} {report.created} residents, "
                   f"{report.households_created} households; updated {report.updated}; unchanged {report.unchanged}")
        if report.errors:
            self.stdout.write(f"{summary}. Nothing was written.")
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(summary))
