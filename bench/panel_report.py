"""Benchmark: the Police and Crime Panel report against a raw SQL aggregate over the same KPI rows.

    .venv/bin/python bench/panel_report.py [--scale county|national] [--seed 1] [--reps 9] [--keep-db PATH]

Sets up a throw-away database (bench/_db.py), runs `generate_data --scale ... --seed ...` in it (which makes the
services' monitoring returns), and gives any generated service still without accepted returns the beneficiaries
and gender KPIs and an ACCEPTED quarterly return for each quarter of the report's year and the year before, with a
bulk insert (the set-up says how many rows it made, if any). The report's year is the current one, to today, and
the previous is the same days of the year before, as the report compares them. Then it measures, side by side,
taking turns --reps times:

  (a) reporting.selectors.panel.panel_report(period=the year)  -- the whole report: services, money, people,
      demographics, outcomes against targets, the previous year, suppression across every table
      vs  the raw SQL aggregate over the same KPI rows: people by main Panel area this year and last, the gender
      breakdown by area, and the figures meeting their targets (four GROUP BY queries);
  (b) GET /reporting/panel/?year=... as a Panel member through the test Client (templates, two SVG charts)
      vs  the same raw SQL.

The report's KPI figures are asserted equal to the raw SQL's before timing. It prints each side's median, the
median of the paired ratios (target: (a) within 2x) and the queries each side issues.
"""

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

import _common
from _common import compare, generate_once, print_summary

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="county", choices=["county", "national"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=9, help="repetitions of each measurement (median reported)")
    parser.add_argument("--keep-db", metavar="PATH", help="use (and keep) this SQLite file; generate only if empty")
    return parser.parse_args()


ACCEPTED = """
    FROM monitoring_returnvalue value
    JOIN monitoring_servicekpi kpi ON kpi.id = value.kpi_id
    JOIN monitoring_kpidefinition def ON def.id = kpi.definition_id
    JOIN monitoring_returnversion version ON version.id = value.version_id
    JOIN monitoring_returndecision decision ON decision.version_id = version.id AND decision.outcome = 'accepted'
    JOIN monitoring_kpireturn ret ON ret.id = version.kpi_return_id
    JOIN agreements_service service ON service.id = ret.service_id
    WHERE ret.status = 'accepted' AND ret.starts_on >= %(starts)s AND ret.ends_on <= %(ends)s
"""
PEOPLE_SQL = f"""
    SELECT service.main_panel_area_id, SUM(value.value) {ACCEPTED}
      AND def.code = 'beneficiaries' AND value.category = ''
    GROUP BY service.main_panel_area_id
"""
BREAKDOWN_SQL = f"""
    SELECT def.id, value.category, service.main_panel_area_id, SUM(value.value) {ACCEPTED}
      AND def.kind = 'breakdown' AND def.is_minimum_dataset AND value.category <> ''
    GROUP BY def.id, value.category, service.main_panel_area_id
"""
TARGETS_SQL = f"""
    SELECT service.main_panel_area_id, COUNT(*),
           SUM(CASE WHEN (kpi.direction = 'higher' AND value.value >= kpi.target)
                      OR (kpi.direction = 'lower' AND value.value <= kpi.target) THEN 1 ELSE 0 END)
    {ACCEPTED} AND value.category = '' AND kpi.target IS NOT NULL
    GROUP BY service.main_panel_area_id
"""


def raw_kpi(cursor, period, previous) -> dict:
    found = {}
    for name, sql, which in (
        ("people", PEOPLE_SQL, period),
        ("previous", PEOPLE_SQL, previous),
        ("breakdown", BREAKDOWN_SQL, period),
        ("targets", TARGETS_SQL, period),
    ):
        cursor.execute(sql, {"starts": which.starts_on, "ends": which.ends_on})
        found[name] = cursor.fetchall()
    return found


def make_returns(period, previous) -> int:
    """Accepted quarterly returns for every service running in the two years, by bulk insert. Rows made."""
    from django.utils import timezone

    from commissioning.accounts.models import User
    from commissioning.agreements.models import Service
    from commissioning.monitoring.models import (
        KpiDefinition,
        KpiReturn,
        ReturnDecision,
        ReturnValue,
        ReturnVersion,
        ServiceKpi,
    )
    from commissioning.reporting.selectors.panel import Period

    if ReturnValue.objects.exists():
        return 0
    # generate_data makes no returns in this branch, so any here are from a set-up cut short: start again.
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("monitoring_returndecision", "monitoring_returnversion", "monitoring_kpireturn"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed table names)
    people, _ = KpiDefinition.objects.get_or_create(
        code="beneficiaries",
        defaults={"name": "Number of beneficiaries", "kind": "count", "is_minimum_dataset": True, "order": 1},
    )
    gender, _ = KpiDefinition.objects.get_or_create(
        code="gender",
        defaults={
            "name": "Gender",
            "kind": "breakdown",
            "breakdown": ["Female", "Male", "Not known"],
            "not_known": "Not known",
            "is_minimum_dataset": True,
            "order": 3,
        },
    )
    user = User.objects.order_by("pk").first()
    now = timezone.now()
    services = list(Service.objects.exclude(status="planned").values_list("pk", flat=True))
    start = previous.starts_on
    # No IN lists of ids (SQLite allows 32,766 parameters; the national scale has more returns than that): the
    # database has no returns yet, so every return, version and KPI of the two definitions is the bench's own.
    kpis = []
    for pk in services:
        kpis.append(ServiceKpi(service_id=pk, definition=people, target=40, effective_from=start))
        kpis.append(ServiceKpi(service_id=pk, definition=gender, effective_from=start))
    ServiceKpi.objects.bulk_create(kpis, batch_size=2000, ignore_conflicts=True)
    kpi_of = {
        (service, definition): pk
        for pk, service, definition in ServiceKpi.objects.filter(definition__in=[people, gender]).values_list(
            "pk", "service_id", "definition_id"
        )
    }
    quarters = [
        (Period(year.start_year, q).starts_on, Period(year.start_year, q).ends_on)
        for year in (previous, period)
        for q in (1, 2, 3, 4)
    ]
    returns = [
        KpiReturn(service_id=pk, starts_on=s, ends_on=e, due_on=e + dt.timedelta(days=28), status="accepted")
        for pk in services
        for s, e in quarters
    ]
    KpiReturn.objects.bulk_create(returns, batch_size=2000, ignore_conflicts=True)
    ReturnVersion.objects.bulk_create(
        [
            ReturnVersion(kpi_return_id=r, number=1, method="upload", submitted_by=user, submitted_at=now)
            for r in KpiReturn.objects.filter(versions__isnull=True, status="accepted").values_list("pk", flat=True)
        ],
        batch_size=2000,
    )
    versions = list(ReturnVersion.objects.values_list("pk", "kpi_return__service_id"))
    ReturnDecision.objects.bulk_create(
        [ReturnDecision(version_id=v, outcome="accepted", decided_by=user, decided_at=now) for v, _ in versions],
        batch_size=2000,
    )
    rng = random.Random(1)
    values = []
    for version, service in versions:
        total = rng.randint(0, 90)
        female = rng.randint(0, total)
        male = rng.randint(0, total - female)
        values.append(ReturnValue(version_id=version, kpi_id=kpi_of[(service, people.pk)], category="", value=total))
        values.append(ReturnValue(version_id=version, kpi_id=kpi_of[(service, gender.pk)], category="", value=total))
        for category, n in (("Female", female), ("Male", male), ("Not known", total - female - male)):
            values.append(
                ReturnValue(version_id=version, kpi_id=kpi_of[(service, gender.pk)], category=category, value=n)
            )
    ReturnValue.objects.bulk_create(values, batch_size=5000)
    return len(kpis) + len(returns) + 2 * len(versions) + len(values)


def run(args) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from commissioning.accounts.models import User
    from commissioning.accounts.roles import Role
    from commissioning.core.dates import FinancialYear as FY
    from commissioning.demo import generate
    from commissioning.funds.models import Fund
    from commissioning.monitoring.models import ReturnValue
    from commissioning.reporting.selectors.panel import Period, panel_report

    setup_test_environment(debug=False)
    generate_once(args, generate, present=Fund.objects.exists())
    # The current year, to today as the report shows it, and the same days of the year before (like for like).
    period = Period(FY.for_date(timezone.localdate()).start_year).to_date(timezone.localdate())
    previous = period.previous()
    started = time.perf_counter()
    made = make_returns(period, previous)
    if made:
        print(
            f"generate_data made no accepted monitoring returns in this branch: the set-up bulk-inserted {made:,} "
            f"rows (KPIs, returns, versions, acceptances, values) in {time.perf_counter() - started:.1f} s\n"
        )
    import platform

    import django

    print(f"Python {platform.python_version()}, Django {django.get_version()}; database {connection.vendor}")
    print(f"{ReturnValue.objects.count():,} return values; report for {period.label}; median of {args.reps} runs\n")

    report = panel_report(period=period, suppressed=False)
    with connection.cursor() as cursor:
        raw = raw_kpi(cursor, period, previous)
    by_area = {row.area.pk if row.area else None: row for row in report.areas}
    assert {k: v for k, v in raw["people"]} == {k: r.people.value for k, r in by_area.items() if r.people.value}
    assert {k: v for k, v in raw["previous"]} == {
        k: r.previous_people.value for k, r in by_area.items() if r.previous_people.value
    }
    assert {k: (n, met) for k, n, met in raw["targets"]} == {
        k: (r.with_target, r.met_target) for k, r in by_area.items() if r.with_target
    }
    print("The report's people, previous year and targets equal the raw SQL's for every Panel area.\n")

    def raw():
        with connection.cursor() as cursor:
            raw_kpi(cursor, period, previous)

    results = [
        compare(
            "(a) the Panel report (selector) vs raw SQL over the same KPI rows",
            lambda: panel_report(period=period),
            raw,
            args.reps,
            orm_label="panel_report(period)",
            raw_label="raw SQL aggregate (4 GROUP BY queries)",
        )
    ]
    member = User.objects.filter(role=Role.PANEL_MEMBER, is_active=True).first()
    if member is None:
        member = User.objects.create(email="bench-panel@example.invalid", role=Role.PANEL_MEMBER, display_name="Bench")
    client = Client()
    client.force_login(member)
    url = f"/reporting/panel/?year={period.name}"
    assert client.get(url).status_code == 200
    results.append(
        compare(
            "(b) GET the Panel report page vs the same raw SQL",
            lambda: client.get(url),
            raw,
            args.reps,
            orm_label="GET /reporting/panel/",
            raw_label="raw SQL aggregate",
        )
    )
    print_summary("Summary (median ms, ratio to raw SQL; target for (a): within 2x):", results, width=66, places=2)


def main() -> int:
    return _common.main(parse_args, run)


if __name__ == "__main__":
    sys.exit(main())
