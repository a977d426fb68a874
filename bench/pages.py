"""Benchmark: the size and time of the form pages that choose an organisation (issue 9, point 3), at county or
national scale.

Usage: .venv/bin/python bench/pages.py [--scale county|national] [--reps 5] [--keep-db PATH]

Like bench/dashboard.py it creates a throw-away database (or uses --keep-db's SQLite file), runs
`generate_data --scale ... --seed 1` in it, then GETs each page through the Django test Client as the role that
uses it, and prints its size in bytes, the median time of --reps requests and the number of organisations in
the database. With search-as-you-type fields the sizes are the same at any scale; a <select> of every
organisation grew with them (bench/README.md records both).
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import _common
from _common import generate_once

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = [
    ("accounts:user_invite", None, "admin"),
    ("agreements:service_create", None, "commissioning_manager"),
    ("agreements:cofunder_add", "service", "commissioning_manager"),
    ("agreements:agreement_create", "service", "commissioning_manager"),
    ("organisations:board_create", None, "commissioning_manager"),
    ("organisations:activity_create", None, "commissioning_manager"),
    ("grants:approach_log", None, "commissioning_manager"),
    ("grants:candidate_create", None, "commissioning_manager"),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="county", choices=["county", "national"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--keep-db", metavar="PATH", help="use (and keep) this SQLite file; generate only if empty")
    return parser.parse_args()


def run(args) -> None:
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import NoReverseMatch, reverse

    from commissioning.accounts.models import User
    from commissioning.organisations.models import Organisation

    try:  # generate_data's helpers moved to the demo app (issue 8)
        from commissioning.demo import generate
    except ImportError:
        from commissioning.core import generate

    setup_test_environment(debug=False)
    generate_once(args, generate, present=Organisation.objects.exists())
    from commissioning.agreements.models import Service

    service = Service.objects.order_by("pk").first()
    print(f"{Organisation.objects.count():,} organisations, {Service.objects.count():,} services\n")
    print(f"  {'page':<34} {'bytes':>10} {'median ms':>10}")
    for name, arg, role in PAGES:
        user = User.objects.filter(role=role, is_active=True).first()
        client = Client()
        client.force_login(user)
        try:
            url = reverse(name, args=[service.pk] if arg else [])
        except NoReverseMatch:
            print(f"  {name:<34} {'(no such page)':>10}")
            continue
        response = client.get(url)
        if response.status_code != 200:
            print(f"  {name:<34} status {response.status_code}")
            continue
        times = []
        for _ in range(args.reps):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        print(f"  {name:<34} {len(response.content):>10,} {statistics.median(times) * 1000:>10.1f}")


def main() -> int:
    return _common.main(parse_args, run)


if __name__ == "__main__":
    sys.exit(main())
