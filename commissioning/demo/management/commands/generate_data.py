"""python manage.py generate_data --scale {county,national} --seed N [--replace]: invented data for benchmarks.

The builder is the commissioning/demo/generate/ package; this command only parses the options and prints its summary.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from commissioning.demo.generate import SCALES, GenerateError, generate
from commissioning.profiles.validation import ProfileError


class Command(BaseCommand):
    help = (
        "Generate large, invented, realistic data for benchmarks: a decade (the current financial year and the nine "
        "before it) of one county OPCC's funds, services, agreements, commitments, payments, grant rounds, "
        "procurements and Local Innovation Fund allowances (county), or 40 times as much (national). Loads the "
        "OPCC profile first if no fund exists. The same seed and day give the same data. Refused if generated data "
        "is already present, unless --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="county", help="county (default) or national")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1); same seed, same data")
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            help="the day the data is as of, YYYY-MM-DD (default today); the decade ends in its financial year",
        )
        parser.add_argument(
            "--replace", action="store_true", help="delete the generated data already present, then generate again"
        )

    def handle(self, *args, **options):
        try:
            summary = generate(
                scale=options["scale"], seed=options["seed"], replace=options["replace"], as_of=options["as_of"]
            )
        except (GenerateError, ProfileError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(summary))
