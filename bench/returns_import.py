"""Benchmark: a 10,000-row case-level return file (issue 11, point 2) against a bulk insert of the same rows.

Usage: .venv/bin/python bench/returns_import.py [--rows 10000] [--reps 5] [--keep-db PATH]

It creates a throw-away database (bench/_db.py: SQLite in a temporary folder, or Django's test database beside
DATABASE_URL's), loads the KPI minimum dataset from the Dorset profile (11 measures: a count and ten
breakdowns, two of which let a case be in several categories), gives one provider's service those measures and
a due return, and writes a CSV file of --rows cases with seeded random answers. Then, each run rolled back so
every run starts from the same data:

  ours:      the background task's work: imports_large.read_case_file (type, size, encoding, every row read)
             and import_cases (every case checked by row and column and counted into the return's 101 figures,
             the figures checked again and submitted as a version by services.return_submit, the cases kept
             beside it);
  baseline:  ReturnCase.objects.bulk_create of the same cases, already parsed, no checks, no counting.

The pair takes turns --reps times; the script prints each side's median, the median of the paired ratios
(ours / baseline; the aim is within 3x), the queries each side issued and each side's peak memory (tracemalloc,
one run each, measured apart from the timings because tracing slows Python down).
"""

import argparse
import csv
import gc
import io
import random
import sys
import tracemalloc
from pathlib import Path

import _common
from _common import medians, paired_times, queries_of, rolled_back

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep-db", metavar="PATH", help="use (and keep) this SQLite file")
    return parser.parse_args()


def peak_memory(function) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        rolled_back(function)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def world(args):
    """The minimum dataset, a provider's service reporting it, a due return whose period has ended, and a second
    return holding a version for the baseline's rows."""
    import datetime as dt

    import yaml
    from django.utils import timezone

    from commissioning.accounts.models import User
    from commissioning.accounts.roles import Role
    from commissioning.agreements.models import Service
    from commissioning.monitoring import services
    from commissioning.monitoring.models import KpiDefinition, KpiReturn, ReturnVersion
    from commissioning.organisations.models import Organisation
    from commissioning.profiles.semantics import kpi_categories

    profile = yaml.safe_load((ROOT / "profiles" / "dorset" / "profile.yaml").read_text())
    for item in profile["kpi_definitions"]:
        # The profile loader's own reading of a measure: breakdown categories may be listed under headings.
        KpiDefinition.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "kind": item["kind"],
                "breakdown": kpi_categories(item),
                "groups": [
                    {"heading": g["heading"], "categories": list(g["categories"])} for g in item.get("groups", [])
                ],
                "codes": {str(code): category for code, category in (item.get("codes") or {}).items()},
                "adds_up": item.get("adds_up", True),
                "not_known": item.get("not_known", ""),
                "is_minimum_dataset": item.get("is_minimum_dataset", False),
                "applies_when": item.get("applies_when", ""),
                "order": item.get("order", 0),
            },
        )
    provider = Organisation.objects.create(name="Bench Provider", kind=Organisation.Kind.PROVIDER)
    person = User.objects.create_user(
        email="bench-provider@example.org", display_name="Bench provider", role=Role.PROVIDER, organisation=provider
    )
    officer = User.objects.create_user(
        email="bench-officer@example.org", display_name="Bench officer", role=Role.POLICY_OFFICER
    )
    service = Service.objects.create(
        reference="SVC-BENCH",
        name="Bench service",
        purpose="Benchmark",
        provider=provider,
        approach=Service.Approach.PRIORITY,
        starts_on=dt.date(2025, 4, 1),
        status=Service.Status.ACTIVE,
    )
    services.kpis_attach_minimum_dataset(actor=officer, service=service)
    kpi_return = KpiReturn.objects.create(
        service=service, starts_on=dt.date(2025, 4, 1), ends_on=dt.date(2025, 6, 30), due_on=dt.date(2025, 7, 28)
    )
    other = KpiReturn.objects.create(
        service=service, starts_on=dt.date(2025, 7, 1), ends_on=dt.date(2025, 9, 30), due_on=dt.date(2025, 10, 28)
    )
    holder = ReturnVersion.objects.create(
        kpi_return=other, number=1, method="cases", submitted_by=person, submitted_at=timezone.now()
    )
    return person, kpi_return, holder


def case_file(kpi_return, kpis, count: int, seed: int) -> tuple[bytes, list]:
    """A CSV of `count` cases with seeded random answers, and the same cases parsed, for the baseline."""
    from commissioning.monitoring.imports import kpi_code

    rng = random.Random(seed)
    codes = [kpi_code(kpi) for kpi in kpis]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Period", "Case reference", *codes, "Notes"])
    parsed = []
    for n in range(count):
        cells, data = [], {}
        for kpi, code in zip(kpis, codes, strict=True):
            if not kpi.is_breakdown:
                cells.append("1")
                data[code] = 1
            elif not kpi.must_add_up:
                chosen = rng.sample(kpi.categories[:-1], rng.randint(0, 2))
                cells.append("; ".join(chosen))
                data[code] = chosen
            else:
                category = rng.choice(kpi.categories)
                cells.append(category if rng.random() > 0.1 else "")
                data[code] = category if cells[-1] else kpi.not_known_category
        reference = f"CASE-{n + 1:06d}"
        writer.writerow([kpi_return.period_code, reference, *cells, "ignored"])
        parsed.append((n + 2, reference, data))
    return out.getvalue().encode("utf-8-sig"), parsed


def run(args) -> None:
    import platform

    import django
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import setup_test_environment

    from commissioning.monitoring import imports_large, services
    from commissioning.monitoring.api_models import ReturnCase

    setup_test_environment(debug=False)
    person, kpi_return, holder = world(args)
    kpis = services.kpis_for_return(kpi_return)
    content, parsed = case_file(kpi_return, kpis, args.rows, args.seed)

    print(f"Python {platform.python_version()}, Django {django.get_version()}, {platform.machine()}")
    print(
        f"Database: {connection.vendor}; a case-level file of {args.rows:,} cases ({len(content) / 1024:,.0f} KB), "
        f"{len(kpis)} measures, median of {args.reps} runs\n"
    )

    def ours():
        upload = SimpleUploadedFile("cases.csv", content, content_type="text/csv")
        rows = imports_large.read_case_file(upload)
        version = imports_large.import_cases(actor=person, kpi_return=kpi_return, rows=rows)
        return version

    def baseline():
        ReturnCase.objects.bulk_create(
            [ReturnCase(version=holder, row=row, reference=ref, data=data) for row, ref, data in parsed],
            batch_size=1000,
        )
        return len(parsed)

    seconds, version = rolled_back(ours)  # a warm-up run, and a check of what it made
    assert version.number == 1
    ours_queries, baseline_queries = queries_of(ours), queries_of(baseline)
    times = paired_times(ours, baseline, args.reps, measure=lambda function: rolled_back(function)[0])
    ours_peak, baseline_peak = peak_memory(ours), peak_memory(baseline)
    ours_time, baseline_time, ratio = medians(*times)
    mb = 1024 * 1024
    print(f"Case-level return import of {args.rows:,} rows")
    print(f"  {'':<46} {'time':>9}   {'queries':>7} {'peak memory':>12}")
    print(
        f"  {'read + check + count + submit + keep cases':<46} {ours_time:>9.3f} s {ours_queries:>7} "
        f"{ours_peak / mb:>9.1f} MB"
    )
    print(
        f"  {'bulk_create of the same rows (no checks)':<46} {baseline_time:>9.3f} s {baseline_queries:>7} "
        f"{baseline_peak / mb:>9.1f} MB"
    )
    print(f"  {'ratio (median of paired runs)':<46} {ratio:>9.2f} x   (aim: within 3 x)")


def main() -> int:
    return _common.main(parse_args, run)


if __name__ == "__main__":
    sys.exit(main())
