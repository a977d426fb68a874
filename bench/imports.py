"""Benchmark: a 5,000-row payment import (issue 9, point 2) against a bulk insert of the same rows.

Usage: .venv/bin/python bench/imports.py [--scale county|national] [--rows 5000] [--reps 5] [--old-rows 200]
       [--keep-db PATH]

Like bench/dashboard.py it creates a throw-away database (SQLite in a temporary folder, or Django's test database
beside DATABASE_URL's), runs `generate_data --scale county --seed 1` in it, then builds a payments file of
--rows rows against the approved and committed commitments of the current year that have money left to pay.

  ours:      funds.imports.import_rows(PAYMENTS, ...): every row through its row form, then the whole file
             written by services.bulk.payments_record in one transaction (the references checked, the budgets and
             commitments locked, the sums paid, the payments and their history rows, the schedules rebalanced);
             this is what the background task runs when a finance officer confirms an import;
  baseline:  Payment.objects.bulk_create of the same rows, already parsed and resolved, no checks, no history.

Each run is rolled back, so every repetition starts from the same data. The pair takes turns --reps times and the
script prints each side's median, the median of the paired ratios (ours / baseline; the aim is within 3x) and the
queries each side issued. --old-rows N also times the way imports worked before, one payment_record call per row
(its own locks, checks and history), for N rows, and scales it to --rows for comparison.
"""

import argparse
import sys
from decimal import Decimal
from pathlib import Path

import _common
from _common import generate_once, medians, paired_times, queries_of, rolled_back

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="county", choices=["county", "national"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--old-rows", type=int, default=200, help="rows for the one-call-per-row timing (0: skip)")
    parser.add_argument("--keep-db", metavar="PATH", help="use (and keep) this SQLite file; generate only if empty")
    return parser.parse_args()


def build_rows(count: int, year, paid_on):
    """(raw rows for the import, resolved rows for bulk_create): £1.00 payments dated `paid_on`, spread over the
    year's commitments that have at least that much left to pay and whose agreement has started by then."""
    from django.db.models import DecimalField, F, Sum, Value
    from django.db.models.functions import Coalesce

    from commissioning.funds.models import Commitment

    money = DecimalField(max_digits=16, decimal_places=2)
    commitments = list(
        Commitment.objects.filter(year=year, status__in=["approved", "committed"], agreement__starts_on__lte=paid_on)
        .annotate(paid=Coalesce(Sum("payments__amount"), Value(Decimal("0")), output_field=money))
        .annotate(left=F("amount") - F("released_amount") - F("paid"))
        .filter(left__gte=Decimal("50.00"))
        .order_by("pk")
    )
    if not commitments:
        raise SystemExit(f"No commitment in {year.label} has money left to pay")
    capacity = {c.pk: int(c.left) for c in commitments}
    raw, resolved = [], []
    index = 0
    while len(raw) < count:
        commitment = commitments[index % len(commitments)]
        index += 1
        if capacity[commitment.pk] < 1:
            if index > count * 50:
                raise SystemExit("Not enough money left in the year's commitments for that many rows")
            continue
        capacity[commitment.pk] -= 1
        n = len(raw)
        reference = f"BENCH-{n:06d}"
        raw.append(
            (
                n + 2,
                {
                    "commitment_id": str(commitment.pk),
                    "agreement_reference": "",
                    "fund_code": "",
                    "year": "",
                    "paid_on": paid_on.isoformat(),
                    "amount": "1.00",
                    "reference": reference,
                },
            )
        )
        resolved.append((commitment.pk, paid_on, Decimal("1.00"), reference))
    return raw, resolved, len({pk for pk, *_ in resolved})


def run(args) -> None:
    import platform

    import django
    from django.db import connection
    from django.test.utils import setup_test_environment

    from commissioning.accounts.models import User
    from commissioning.accounts.roles import Role
    from commissioning.funds import imports, selectors, services
    from commissioning.funds.models import FinancialYear, Fund, Payment

    try:  # generate_data's helpers moved to the demo app (issue 8)
        from commissioning.demo import generate
    except ImportError:
        from commissioning.core import generate

    setup_test_environment(debug=False)
    generate_once(args, generate, present=Fund.objects.exists())
    as_of = generate.CAL.as_of
    year = selectors.financial_year_on(day=as_of) or FinancialYear.objects.order_by("-start_year").first()
    if year.status != FinancialYear.Status.OPEN:
        raise SystemExit(f"{year.label} is closed")
    actor = User.objects.filter(role=Role.FINANCE_OFFICER, is_active=True).first()
    raw, resolved, spread = build_rows(args.rows, year, paid_on=min(as_of, year.fy.ends_on))

    print(f"Python {platform.python_version()}, Django {django.get_version()}, {platform.machine()}")
    print(
        f"Database: {connection.vendor}; {Payment.objects.count():,} payments already; importing {len(raw):,} "
        f"payments of £1.00 into {spread:,} commitments of {year.label}; median of {args.reps} runs\n"
    )

    def ours():
        outcome = imports.import_rows(imports.PAYMENTS, actor=actor, raw=raw, source="bench.csv")
        assert outcome.written == len(raw), outcome.problems[:5]
        return outcome.written

    def baseline():
        Payment.objects.bulk_create(
            [
                Payment(commitment_id=pk, paid_on=paid_on, amount=amount, reference=reference, recorded_by=actor)
                for pk, paid_on, amount, reference in resolved
            ],
            batch_size=1000,
        )
        return len(resolved)

    ours_queries, baseline_queries = queries_of(ours), queries_of(baseline)
    times = paired_times(ours, baseline, args.reps, measure=lambda function: rolled_back(function)[0])
    ours_time, baseline_time, ratio = medians(*times)
    print(f"Payment import of {len(raw):,} rows")
    print(f"  {'import_rows: row forms + bulk services':<48} {ours_time:>9.3f} s {ours_queries:>6} queries")
    print(f"  {'bulk_create of the same rows (no checks)':<48} {baseline_time:>9.3f} s {baseline_queries:>6} queries")
    print(f"  {'ratio (median of paired runs)':<48} {ratio:>9.2f} x   (aim: within 3 x)")

    if args.old_rows:
        few = raw[: args.old_rows]

        def one_by_one():
            rows = imports.check_rows(imports.PAYMENTS, few)
            for row in rows:
                data = row.cleaned
                services.payment_record(
                    actor=actor,
                    commitment=data["commitment"],
                    amount=data["amount"],
                    paid_on=data["paid_on"],
                    reference=data["reference"],
                    reason=f"Imported from bench.csv, row {row.number}",
                )
            return len(rows)

        old_queries = queries_of(one_by_one)
        seconds, _ = rolled_back(one_by_one)
        scaled = seconds * len(raw) / len(few)
        print(f"\nBefore (one payment_record per row), {len(few):,} rows")
        print(f"  {'payment_record per row':<48} {seconds:>9.3f} s {old_queries:>6} queries")
        label = f"scaled to {len(raw):,} rows"
        print(f"  {label:<48} {scaled:>9.3f} s {old_queries * len(raw) // len(few):>6} queries")
        print(f"  {'bulk import is faster by':<48} {scaled / ours_time:>9.1f} x")


def main() -> int:
    return _common.main(parse_args, run)


if __name__ == "__main__":
    sys.exit(main())
