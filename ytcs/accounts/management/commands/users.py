"""``ytcs users create|deactivate|to-move``: manage accounts of a real deployment from the shell."""

import getpass
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ytcs.accounts.models import Role, User
from ytcs.accounts.selectors import users_to_move
from ytcs.accounts.services import user_create, user_deactivate
from ytcs.audit.context import AuditContext
from ytcs.core.errors import DomainError
from ytcs.orgunits.models import OrgUnit

_LEVELS = {"country": 0, "province": 1, "district": 2, "commune": 3, "village": 4}


class Command(BaseCommand):
    help = (
        "Create or deactivate user accounts (the password is read from a prompt or stdin, never an argument); "
        "list the users still attached to abolished units."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a user attached to one org unit")
        create.add_argument("--username", required=True)
        create.add_argument("--role", required=True, choices=[r.value for r in Role])
        create.add_argument("--org-unit-code", required=True, help="official code of a current org unit")
        create.add_argument("--level", choices=list(_LEVELS), help="level of the unit when its code is ambiguous")
        create.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
        create.add_argument("--may-open-records", choices=["yes", "no"], help="override the role's default")
        deactivate = sub.add_parser("deactivate", help="stop a user from logging in (audit rows keep the user)")
        deactivate.add_argument("--username", required=True)
        sub.add_parser(
            "to-move", help="active users attached to a unit that no longer exists, with its successor(s)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self._create(options)
        elif options["action"] == "to-move":
            self._to_move()
        else:
            self._deactivate(options["username"])

    def _create(self, options: dict[str, Any]) -> None:
        unit = _org_unit(options["org_unit_code"], options["level"])
        password = sys.stdin.readline().rstrip("\n") if options["password_stdin"] else _prompt_password()
        opens = {"yes": True, "no": False}.get(options["may_open_records"] or "")
        try:
            user = user_create(
                username=options["username"], role=options["role"], org_unit=unit, password=password,
                may_open_records=opens,
            )
        except DomainError as exc:
            raise CommandError("; ".join(e.message for e in exc.errors)) from exc
        self.stdout.write(f"created {user.username} ({user.get_role_display()}, {unit.name})")

    def _deactivate(self, username: str) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user named {username!r}")
        user_deactivate(context=AuditContext.system("users deactivate"), user=user)
        self.stdout.write(f"deactivated {username}")


    def _to_move(self) -> None:
        """One tab-separated line per user: username, role, old unit, successor(s) (main one first), since."""
        rows = users_to_move(context=AuditContext.system("users to-move"))
        if not rows:
            self.stdout.write("no active user is attached to an abolished unit")
            return
        self.stdout.write("username\trole\told unit\tsuccessors\tsince")
        for row in rows:
            old = f"{row.old_unit.code} {row.old_unit.name}"
            successors = ", ".join(f"{unit.code} {unit.name}" for unit in row.successors) or "-"
            since = row.since.isoformat() if row.since else "-"
            self.stdout.write(f"{row.user.username}\t{row.user.role}\t{old}\t{successors}\t{since}")


def _org_unit(code: str, level: str | None) -> OrgUnit:
    units = OrgUnit.objects.filter(code=code, valid_to__isnull=True)
    if level:
        units = units.filter(level=_LEVELS[level])
    found = list(units[:2])
    if not found:
        raise CommandError(f"no current org unit with code {code!r}" + (f" at level {level}" if level else ""))
    if len(found) > 1:
        raise CommandError(f"code {code!r} is used at several levels; add --level")
    return found[0]


def _prompt_password() -> str:
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password (again): "):
        raise CommandError("the passwords differ")
    return first
