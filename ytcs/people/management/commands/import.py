"""``ytcs import residents FILE.csv|.xlsx --commune CODE [--dry-run] [--user USERNAME]`` and ``ytcs import purge``.

``residents`` prints every bad row (row, column, reason) and writes nothing when there is one; otherwise
writes the whole file in one transaction (nothing with ``--dry-run``). Exit status 1 when rows were refused.
The audit trail names the job ``import`` and, with ``--user``, that user as the actor.

``purge`` deletes the uploaded lists that waited for a confirmation on the import page longer than
``YTCS_IMPORT_FILE_MAX_AGE_SECONDS`` (they hold CCCD and phone numbers); run it from cron, ``ytcs demo``
runs it at start.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ytcs.accounts.models import User
from ytcs.audit.context import AuditContext
from ytcs.core.errors import DomainError, NotAllowed, OutOfScope
from ytcs.orgunits.models import OrgUnit
from ytcs.people.import_files import import_dir, max_age_seconds, pending_purge
from ytcs.people.imports import import_residents


class Command(BaseCommand):
    help = "Import data files into the register (today: residents from a commune's CSV/XLSX list)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        residents = sub.add_parser("residents", help="A commune's resident list (CSV or XLSX)")
        residents.add_argument("file", type=Path)
        residents.add_argument("--commune", required=True, help="Official code of the current commune/ward")
        residents.add_argument("--dry-run", action="store_true", help="Check every row, write nothing")
        residents.add_argument("--user", help="Import in this station user's name (their capture scope applies)")
        sub.add_parser("purge", help=_("Xoá các tệp danh sách tải lên chờ xác nhận đã quá hạn"))

    def handle(self, *args: object, **options: object) -> None:
        if options["kind"] == "purge":
            removed = pending_purge()
            self.stdout.write(_("Đã xoá %(count)s tệp chờ xác nhận quá %(minutes)s phút trong %(directory)s.")
                              % {"count": removed, "minutes": max_age_seconds() // 60, "directory": import_dir()})
            return
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
        context = AuditContext.system("import", actor=actor)
        try:
            report = import_residents(context=context, commune=commune, name=path.name, content=path.read_bytes(),
                                      dry_run=options["dry_run"])
        except DomainError as exc:
            raise CommandError("; ".join(e.message for e in exc.errors)) from exc
        except (NotAllowed, OutOfScope) as exc:
            raise CommandError(f"{actor.username} does not capture data in {commune.code}") from exc
        except OSError as exc:
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
