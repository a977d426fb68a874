"""Benchmark: the fund dashboard and the services register against a hand-written raw SQL floor.

    .venv/bin/python bench/dashboard.py [--scale county|national] [--seed 1] [--reps 25] [--keep-db PATH]

Sets up a throw-away database (a new SQLite file in a temporary folder; or, when DATABASE_URL is set, Django's
test database next to it, e.g. test_<name> on PostgreSQL), runs `generate_data --scale county --seed 1` in it,
then measures side by side in one run: each pair takes turns --reps times (time.perf_counter, after a warm-up,
garbage collection paused as timeit does), reporting each side's median and the median of the paired ratios,
with the queries each side issues counted by CaptureQueriesContext:

  (a) selectors.fund_positions(year=...)  vs  one raw SQL query (a recursive CTE) giving the same per-fund
      budget, planned, committed and paid; the two are asserted equal, fund by fund;
  (b) GET /funds/dashboard/?year=... through the Django test Client (sessions, permissions, five years of
      positions, two SVG charts, templates)  vs  the raw SQL for the same figures (the five years' per-fund
      aggregates); (b1) is the selectors alone against the same raw SQL;
  (c) GET /services/ (agreements:service_list, first page)  vs  raw SQL for what that page shows: the count,
      25 services with provider and money, and their priorities and Panel areas; (c1) is the register's
      selector alone (count, the page of 25, the two prefetches) against the same raw SQL.

It prints each pair's medians, their ratio (ORM or page / raw SQL) and query counts. bench/README.md says
what the numbers mean and records a run. --keep-db PATH keeps (and reuses) a SQLite file instead.
"""

import argparse
import sys
from decimal import Decimal
from pathlib import Path

import _common
from _common import compare, generate_once, print_summary

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="county", choices=["county", "national"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=25, help="repetitions of each measurement (median reported)")
    parser.add_argument("--keep-db", metavar="PATH", help="use (and keep) this SQLite file; generate only if empty")
    return parser.parse_args()


# --- Raw SQL baselines -------------------------------------------------------------------------------------

POSITIONS_SQL = """
WITH RECURSIVE tree(ancestor_id, fund_id) AS (
    SELECT id, id FROM funds_fund
    UNION ALL
    SELECT tree.ancestor_id, child.id FROM funds_fund child JOIN tree ON child.parent_id = tree.fund_id
),
own_budget AS (
    SELECT fund_id, SUM(amount) AS budget FROM funds_budget WHERE year_id = %(year)s GROUP BY fund_id
),
own_commitments AS (
    SELECT fund_id,
           SUM(CASE WHEN status = 'planned' THEN amount - released_amount ELSE 0 END) AS planned,
           SUM(CASE WHEN status IN ('approved', 'committed', 'released')
                    THEN amount - released_amount ELSE 0 END) AS committed
    FROM funds_commitment WHERE year_id = %(year)s GROUP BY fund_id
),
own_paid AS (
    SELECT c.fund_id, SUM(p.amount) AS paid
    FROM funds_payment p JOIN funds_commitment c ON c.id = p.commitment_id
    WHERE c.year_id = %(year)s GROUP BY c.fund_id
)
SELECT tree.ancestor_id,
       COALESCE(SUM(b.budget), 0), COALESCE(SUM(c.planned), 0), COALESCE(SUM(c.committed), 0), COALESCE(SUM(p.paid), 0)
FROM tree
LEFT JOIN own_budget b ON b.fund_id = tree.fund_id
LEFT JOIN own_commitments c ON c.fund_id = tree.fund_id
LEFT JOIN own_paid p ON p.fund_id = tree.fund_id
GROUP BY tree.ancestor_id
"""

SERVICES_COUNT_SQL = "SELECT COUNT(*) FROM agreements_service"
SERVICES_PAGE_SQL = """
SELECT s.id, s.reference, s.name, s.status, s.approach, o.name,
       COALESCE((SELECT SUM(a.value) FROM agreements_agreement a
                 WHERE a.service_id = s.id AND a.status <> 'draft'), 0) AS total_value,
       COALESCE((SELECT SUM(f.amount) FROM agreements_cofunder f WHERE f.service_id = s.id), 0) AS co_funded
FROM agreements_service s JOIN organisations_organisation o ON o.id = s.provider_id
ORDER BY s.name, s.id
LIMIT 25
"""
SERVICES_PRIORITIES_SQL = """
SELECT sp.service_id, p.code FROM agreements_service_priorities sp
JOIN strategy_priority p ON p.id = sp.priority_id WHERE sp.service_id IN ({ids})
"""
SERVICES_AREAS_SQL = """
SELECT sa.service_id, a.name FROM agreements_service_panel_areas sa
JOIN strategy_panelarea a ON a.id = sa.panelarea_id WHERE sa.service_id IN ({ids})
"""


def money(value) -> Decimal:
    """A database sum as pounds and pence (SQLite hands back float sums; go through its shortest repr)."""
    from commissioning.core.money import to_money

    return to_money(str(value) if isinstance(value, float) else value)


def raw_positions(cursor, year_id: int) -> dict[int, tuple[Decimal, ...]]:
    cursor.execute(POSITIONS_SQL, {"year": year_id})
    return {row[0]: tuple(money(v) for v in row[1:]) for row in cursor.fetchall()}


def raw_services_page(cursor) -> tuple[int, list, list, list]:
    cursor.execute(SERVICES_COUNT_SQL)
    (count,) = cursor.fetchone()
    cursor.execute(SERVICES_PAGE_SQL)
    services = cursor.fetchall()
    ids = ",".join(str(int(row[0])) for row in services) or "0"
    cursor.execute(SERVICES_PRIORITIES_SQL.format(ids=ids))
    priorities = cursor.fetchall()
    cursor.execute(SERVICES_AREAS_SQL.format(ids=ids))
    areas = cursor.fetchall()
    return count, services, priorities, areas


# --- Timing -------------------------------------------------------------------------------------------------


def run(args) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from commissioning.accounts.models import User
    from commissioning.accounts.roles import Role
    from commissioning.demo import generate
    from commissioning.funds import selectors
    from commissioning.funds.models import Commitment, FinancialYear, Fund, Payment

    setup_test_environment(debug=False)  # no query log while generating or timing (CaptureQueriesContext counts)
    generate_once(args, generate, present=Fund.objects.exists())

    year = selectors.financial_year_on(day=generate.CAL.as_of) or FinancialYear.objects.order_by("-start_year").first()
    funds = Fund.objects.count()
    commitments = Commitment.objects.count()
    payments = Payment.objects.count()
    in_year = Commitment.objects.filter(year=year).count()
    vendor = connection.vendor
    import platform

    import django

    print(f"Python {platform.python_version()}, Django {django.get_version()}, {platform.machine()}")
    print(
        f"Database: {vendor}; {funds} funds, {commitments:,} commitments ({in_year:,} in {year.label}), "
        f"{payments:,} payments; year {year.label}; median of {args.reps} runs\n"
    )

    # (a) the engine's positions against raw SQL: the same numbers
    orm = {p.fund.pk: (p.budget, p.planned, p.committed, p.paid) for p in selectors.fund_positions(year=year)}
    with connection.cursor() as cursor:
        raw = raw_positions(cursor, year.pk)
    assert orm == raw, f"fund_positions and the raw SQL disagree:\n{orm}\n{raw}"
    print(f"(a) fund_positions equals the raw SQL for all {len(orm)} funds in {year.label}.")

    def raw_year():
        with connection.cursor() as cursor:
            raw_positions(cursor, year.pk)

    results = [
        compare(
            "(a) fund positions for one year",
            lambda: selectors.fund_positions(year=year),
            raw_year,
            args.reps,
            orm_label="selectors.fund_positions",
            raw_label="raw SQL (recursive CTE)",
        )
    ]

    # (b) the dashboard page against the raw SQL for its figures (five years of positions)
    trend_years = list(FinancialYear.objects.filter(start_year__lte=year.start_year).order_by("-start_year")[:5])
    user = User.objects.filter(role=Role.FINANCE_OFFICER, is_active=True).first()
    client = Client()
    client.force_login(user)
    dashboard = f"{reverse('funds:dashboard')}?year={year.start_year}"
    assert client.get(dashboard).status_code == 200

    def raw_dashboard():
        with connection.cursor() as cursor:
            for each in trend_years:
                raw_positions(cursor, each.pk)

    results.append(
        compare(
            "(b1) the dashboard's figures, selectors only",
            lambda: [selectors.fund_positions(year=each) for each in trend_years],
            raw_dashboard,
            args.reps,
            orm_label=f"fund_positions x {len(trend_years)} years",
            raw_label=f"raw SQL for its figures ({len(trend_years)} years)",
        )
    )
    results.append(
        compare(
            "(b) fund dashboard page",
            lambda: client.get(dashboard),
            raw_dashboard,
            args.reps,
            orm_label="GET /funds/dashboard/ (test Client)",
            raw_label=f"raw SQL for its figures ({len(trend_years)} years)",
        )
    )

    # (c) the services register's first page against raw SQL for what it shows
    try:
        register = reverse("agreements:service_list")
    except Exception:  # the register is another part of the product; measure it only when present
        register = None
    if register and client.get(register).status_code == 200:

        def raw_register():
            with connection.cursor() as cursor:
                raw_services_page(cursor)

        from django.core.paginator import Paginator

        from commissioning.agreements.selectors import service_list_for_user

        def register_selector():
            page = Paginator(service_list_for_user(user=user), 25).get_page(1)
            for service in page.object_list:
                list(service.priorities.all()), list(service.panel_areas.all())

        results.append(
            compare(
                "(c1) the register's first page, selector only",
                register_selector,
                raw_register,
                args.reps,
                orm_label="service_list_for_user, page 1 of 25",
                raw_label="raw SQL: count, 25 rows, priorities, areas",
            )
        )
        results.append(
            compare(
                "(c) services register, first page",
                lambda: client.get(register),
                raw_register,
                args.reps,
                orm_label="GET /services/ (test Client)",
                raw_label="raw SQL: count, 25 rows, priorities, areas",
            )
        )
    else:
        print("(c) skipped: agreements:service_list is not available\n")

    print_summary("Summary (median ms, ratio to raw SQL):", results)


def main() -> int:
    return _common.main(parse_args, run)


if __name__ == "__main__":
    sys.exit(main())
