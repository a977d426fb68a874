"""Benchmark: the 360Giving export of 5,000 and of 50,000 grants (issue 12, point 5), side by side in one run.

Usage: .venv/bin/python bench/giving_export.py [--sizes 5000,50000] [--reps 3] [--keep-db PATH]

It creates a throw-away database (SQLite in a temporary folder, or Django's test database beside DATABASE_URL's;
bench/_db.py), then bulk-inserts community grants (a round, a decision, 500 organisations, and for each grant its
application, award and plan priority; generate_data makes a few hundred, not tens of thousands) up to each size in
turn (on PostgreSQL then ANALYZE, as autovacuum would), and times
`transparency.giving.package_chunks(grants_made())`, the JSON package exactly as `export_360giving` and
`/open-data/360giving.json` produce it, written to a null sink. Also the CSV, for reference.

For each size it prints: grants per second (median of --reps runs; the target is 20,000/s or more) and the
peak memory Python allocated during one export, measured with tracemalloc in a separate run (tracemalloc slows
the code, so it is never on while timing). "Flat" means the peak at 50,000 is about the peak at 5,000: the grants
are read in keyset pages of 2,000 and written as they come.
"""

import argparse
import gc
import os
import statistics
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BATCH = 2000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5000,50000")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--keep-db", metavar="PATH", help="build in this new SQLite file and keep it afterwards")
    return parser.parse_args()


def setup_django(args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ["REQUIRE_2FA"] = "false"
    if args.keep_db:
        if Path(args.keep_db).exists():
            sys.exit(f"{args.keep_db} exists: --keep-db builds a new file (delete it first)")
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.keep_db).resolve()}"
    import django

    django.setup()


class Scaffold:
    """What every bulk-inserted grant hangs from, built once through the test factories."""

    def __init__(self):
        from commissioning.accounts.roles import Role
        from commissioning.accounts.tests.factories import UserFactory
        from commissioning.core.models import OpccSettings
        from commissioning.grants.tests.factories import GrantRoundFactory
        from commissioning.organisations.models import Organisation
        from commissioning.strategy.tests.factories import DecisionRecordFactory, PriorityFactory

        OpccSettings.objects.update_or_create(
            pk=1,
            defaults={
                "profile": "bench",
                "opcc_name": "Office of the Bench Police and Crime Commissioner",
                "short_name": "Bench OPCC",
                "area_name": "Benchshire",
                "grants_prefix": "360G-benchopcc",
                "ocds_prefix": "ocds-bench0",
            },
        )
        if not Organisation.objects.filter(kind=Organisation.Kind.OPCC).exists():
            Organisation.objects.create(name="Office of the Bench Police and Crime Commissioner", kind="opcc")
        first = GrantRoundFactory()
        self.rounds = [first]
        # An organisation applies once to a round: a new round for every 500 grants (one per organisation).
        self.new_round = lambda: GrantRoundFactory(
            scheme=first.scheme, fund=first.fund, year=first.year, terms=first.terms
        )
        self.decision = DecisionRecordFactory(subject="Bench community grants")
        self.applicant = UserFactory(role=Role.APPLICANT)
        self.priorities = [PriorityFactory(code=f"9.{n}", title=f"Bench priority {n}") for n in range(1, 4)]
        organisations = []
        for n in range(500):
            organisation = Organisation(
                name=f"Bench Community Group {n}",
                kind="vcse",
                charity_number=str(1100000 + n) if n % 3 else "",
                company_number=f"{n:08d}" if n % 3 == 0 and n % 2 else "",
            )
            organisation.org_id = organisation.compute_org_id() or f"360G-benchopcc-ORG-B{n}"
            organisations.append(organisation)
        self.organisations = Organisation.objects.bulk_create(organisations)
        self.count = 0

    def grow_to(self, size: int) -> None:
        """Bulk-insert applications, awards and priority links until there are `size` grants."""
        import datetime as dt

        from commissioning.grants.models import Application, Award

        while self.count < size:
            n = min(BATCH, size - self.count)
            while len(self.rounds) * len(self.organisations) < self.count + n:
                self.rounds.append(self.new_round())
            applications = [
                Application(
                    round=self.rounds[(self.count + i) // len(self.organisations)],
                    organisation=self.organisations[(self.count + i) % len(self.organisations)],
                    created_by=self.applicant,
                    reference=f"BEN-{self.count + i + 1:06d}",
                    status=Application.Status.AWARDED,
                    project_title=f"Bench project {self.count + i + 1}",
                    summary="Weekly sessions for young people at risk (bench data).",
                    amount_requested=Decimal("2500.00"),
                    recommended_amount=Decimal("2500.00"),
                    starts_on=dt.date(2026, 5, 1),
                    ends_on=dt.date(2027, 3, 31),
                )
                for i in range(n)
            ]
            Application.objects.bulk_create(applications, batch_size=500)
            Award.objects.bulk_create(
                [
                    Award(
                        application=application,
                        amount=Decimal(100 + (self.count + i) % 2900) + Decimal("0.50"),
                        purpose=application.summary,
                        conditions="Spend the grant on the approved purpose; report within 3 months.",
                        repayment_conditions="Unspent money is repaid (PRSRA 2011 s9(3)).",
                        decision=self.decision,
                        awarded_on=dt.date(2026, 4, 20),
                        status=Award.Status.COMPLETED,
                        report_due_on=dt.date(2027, 6, 30),
                    )
                    for i, application in enumerate(applications)
                ],
                batch_size=500,
            )
            through = Application.priorities.through
            through.objects.bulk_create(
                [
                    through(application_id=a.pk, priority_id=self.priorities[i % 3].pk)
                    for i, a in enumerate(applications)
                ],
                batch_size=1000,
            )
            self.count += n
        from django.db import connection

        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would gather after so many inserts: without them the planner
            # guesses a few hundred rows a table and may choose plans no real database would.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")


def export_json() -> int:
    from commissioning.grants.selectors.open_data import grants_made
    from commissioning.transparency import giving

    context = giving.Context(source="https://example.org/open-data/360giving.json")
    written = 0
    for chunk in giving.package_chunks(grants_made(area=context.funder.area_name), context):
        written += len(chunk)  # the null sink: what a response or a file would be handed
    return written


def export_csv() -> int:
    from commissioning.grants.selectors.open_data import grants_made
    from commissioning.transparency import giving

    context = giving.Context()
    return sum(len(row) for row in giving.csv_chunks(grants_made(area=context.funder.area_name), context))


def timed(func, reps: int) -> float:
    times = []
    for _ in range(reps):
        gc.collect()
        gc.disable()
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
        gc.enable()
    return statistics.median(times)


def peak_memory(func) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def run(args):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sizes = [int(s) for s in args.sizes.split(",")]
    scaffold = Scaffold()
    results = []
    for size in sizes:
        started = time.perf_counter()
        scaffold.grow_to(size)
        setup = time.perf_counter() - started
        export_json()  # warm-up
        seconds = timed(export_json, args.reps)
        csv_seconds = timed(export_csv, args.reps)
        peak = peak_memory(export_json)
        with CaptureQueriesContext(connection) as queries:
            size_bytes = export_json()
        results.append((size, setup, seconds, csv_seconds, peak, len(queries), size_bytes))
    print(f"\n360Giving export on {connection.vendor}, median of {args.reps} runs (setup = bulk insert of the grants)")
    header = (
        f"{'grants':>8} {'JSON s':>8} {'JSON grants/s':>14} {'CSV grants/s':>13} {'peak MiB':>9} "
        f"{'queries':>8} {'JSON MiB':>9} {'setup s':>8}"
    )
    print(header)
    for size, setup, seconds, csv_seconds, peak, queries, size_bytes in results:
        print(
            f"{size:>8,} {seconds:>8.2f} {size / seconds:>14,.0f} {size / csv_seconds:>13,.0f} "
            f"{peak / 2**20:>9.2f} {queries:>8} {size_bytes / 2**20:>9.1f} {setup:>8.1f}"
        )
    if len(results) > 1:
        first, last = results[0], results[-1]
        print(
            f"\n{last[0] // first[0]}x the grants: {first[0] / first[2]:,.0f} -> {last[0] / last[2]:,.0f} grants/s; "
            f"peak memory {first[4] / 2**20:.2f} -> {last[4] / 2**20:.2f} MiB ({last[4] / first[4]:.2f}x)"
        )


def main() -> int:
    args = parse_args()
    setup_django(args)
    from _db import run_in_throwaway_db

    return run_in_throwaway_db(run, args)


if __name__ == "__main__":
    sys.exit(main())
