"""``ytcs synth-visits --province NAME --years 3 --seed 1``: synthetic visit history for a province."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ytcs.synth.clinical import encounters_synthesise, synthetic_residents


class Command(BaseCommand):
    help = "Add a synthetic visit history (visits, diagnoses, vitals, prescriptions) for a province's residents"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", required=True, help="Province name (accents and case ignored)")
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: object, province: str, years: int, seed: int, **options: object) -> None:
        if not 1 <= years <= 20:
            raise CommandError("--years must be between 1 and 20")
        try:
            residents = synthetic_residents(province_name=province)
        except LookupError as exc:
            raise CommandError(f"No current province named {province!r}") from exc
        started = time.perf_counter()
        created = encounters_synthesise(residents=residents, seed=seed, years=years)
        self.stdout.write(
            f"{created} visits for {residents.count()} residents in {time.perf_counter() - started:.1f} s"
        )
