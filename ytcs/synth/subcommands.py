"""``ytcs orgunits synth`` and ``ytcs surveillance synth``: demo data added to the domains' own commands.

The names, flags and output are those the commands always had; they live here so that ``orgunits`` and
``surveillance`` never import the synthetic data (see :mod:`ytcs.core.commands`).
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from ytcs.core.commands import Subcommand, register_subcommand
from ytcs.core.text import fold
from ytcs.orgunits.models import OrgUnit
from ytcs.orgunits.selectors import province_lookup_any_era
from ytcs.synth.orgunits import facilities_for_province_create, staff_synthesise, villages_synthesise
from ytcs.synth.surveillance import synthesise


def _orgunits_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--province", action="append", required=True)
    parser.add_argument("--villages-per-commune", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--doctor-share", type=float, default=0.7)


def _orgunits_synth(command: BaseCommand, options: dict[str, Any]) -> None:
    for text in options["province"]:
        province = province_lookup_any_era(text)
        if province is None:
            raise CommandError(_("Không tìm thấy tỉnh/thành phố “%s” (đã chạy `ytcs orgunits load` chưa?)") % text)
        communes = OrgUnit.objects.filter(parent=province, level=OrgUnit.Level.COMMUNE, valid_to__isnull=True)
        villages = sum(len(villages_synthesise(commune=c, count=options["villages_per_commune"],
                                               seed=options["seed"])) for c in communes)
        facilities = facilities_for_province_create(province=province, seed=options["seed"])
        staff = staff_synthesise(province=province, seed=options["seed"], doctor_share=options["doctor_share"])
        command.stdout.write(f"{province.name}: {villages} villages, {len(facilities)} facilities, "
                             f"{staff} new staff")


def _surveillance_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--province", required=True, help="Province name or code")
    parser.add_argument("--years", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, help="Last day of the data (default today)")


def _surveillance_synth(command: BaseCommand, options: dict[str, Any]) -> None:
    name = options["province"]
    provinces = OrgUnit.objects.filter(level=OrgUnit.Level.PROVINCE, valid_to__isnull=True).order_by("code")
    matches = [p for p in provinces if name in (p.code, p.name) or fold(name) == p.name_folded]
    if not matches:
        raise CommandError(f"no current province named or coded {name!r}")
    summary = synthesise(province=matches[0], years=options["years"], seed=options["seed"],
                         as_of=options["as_of"] or timezone.localdate())
    command.stdout.write(summary)


def register() -> None:
    """Add the subcommands to ``ytcs orgunits`` and ``ytcs surveillance`` (called when Django loads the app)."""
    register_subcommand("orgunits", Subcommand(
        "synth", "Demo villages, facilities and staff for some provinces", _orgunits_arguments, _orgunits_synth))
    register_subcommand("surveillance", Subcommand(
        "synth", "Plausible weekly surveillance data with a measles burst (demo)", _surveillance_arguments,
        _surveillance_synth))
