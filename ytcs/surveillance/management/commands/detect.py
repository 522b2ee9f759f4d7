"""``ytcs detect``: outbreak detection on an exported weekly series (see ``docs/surveillance-detection.md``).

A thin wrapper: argument definitions, validation and computation live in
:mod:`ytcs.surveillance.detection.cli`, which also runs without Django.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ytcs.surveillance.detection.cli import DetectCliError, add_arguments, run


class Command(BaseCommand):
    help = (
        "Run an outbreak-detection algorithm (Farrington, Farrington flexible, EARS C1-C3, CUSUM) on a "
        "week_start,count CSV and write week_start,count,expected,upperbound,alarm."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        add_arguments(parser)

    def handle(self, *args, **options):
        try:
            run(options, stdout=self.stdout)
        except DetectCliError as exc:
            for line in exc.lines:
                self.stderr.write(f"ytcs detect: error: {line}")
            raise CommandError(f"{len(exc.lines)} problem(s); nothing written", returncode=1) from exc
