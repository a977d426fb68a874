"""Large invented data for benchmarks: python manage.py generate_data --scale county --seed 1.

County scale is a decade (the current financial year of the day it runs and the nine before it) of one county
OPCC's commissioning, built on the
loaded profile's funds, partners, plan priorities and Panel areas: organisations, services and their agreements,
co-funders, decision records, funding streams with their yearly allocations, budgets and budget lines,
virements, commitments, payment schedules, payments and repayments; grant rounds, monitoring returns,
commissioning cases with their procurements (tenders through bids, opening, evaluation and award to the contract
in the register, and quotes: procurement.py) and the Local Innovation Fund's yearly prioritisations with their
allowances (innovation.py). National scale is the same shape forty
times over in the same funds (43 forces' worth of services and money in one database), with twenty times the
organisations.

Everything is invented and says so: names end in "(generated)", people are named by role only ("Generated
Finance Officer 3") and e-mail addresses use the reserved .invalid domain. The same seed gives the same data:
one random.Random(seed) drives every choice and the clock is read once, for the day the data is "as of" (today,
unless generate(as_of=...) is given), which places the decade. Money is held as whole pence (int) while
building and written as Decimal with two places; never float.

Rows are written with bulk_create in batches, which skips django-simple-history: generated benchmark data has
no history, on purpose (a history of invented edits would only slow the run). Who did what is still recorded in
the rows themselves (created_by, recorded_by, requested_by, approved_by, decided_by). Procurement and the Local
Innovation Fund are the exception: their rows are few, their pages show each one's activity log, so they are
written with core.services.bulk_insert and one history row each (insert_history).

What holds, as in data made through the services (checked by demo/tests/test_generate_data.py):
- each budget's amount is the sum of its lines; the Victims Fund's money is split by its configured shares
  (93%/7%) to the penny with money.allocate;
- for every fund and year, live commitments (amount - released_amount, planned ones included) never exceed the
  budget: a running total is kept per fund and year, and a commitment that does not fit is shrunk or skipped
  (ring-fenced and grant-funded overflow moves to the next fund that may pay it);
- payments under a commitment never exceed its live amount, and payment references are unique;
- community grants are £100 to £3,000; grants are under the grant regime; contracts starting on or after
  24 February 2025 are under the Procurement Act 2023, earlier ones under the PCR 2015;
- a tendered contract's award criteria weigh 100, its one winning bid ranks first, the award is the winning
  price and the agreement's value, the contract is signed after the standstill; bids are opened only after the
  deadline, and the current tender's stay sealed;
- a year's Local Innovation Fund allowances are allocated down the ranking within the fund's budget less its
  commitments (its budget is set with room for them).

Generated rows are recognised (for --replace) by: organisation codes starting "gen-", service references
"GEN-SVC-", agreement references "GEN-AGR-", funding stream codes "gen-", decision subjects, virement reasons,
budget line descriptions, commissioning case titles and innovation candidate titles ending "(generated)" (with
what hangs from them: tenders, bids, awards, quotes, notices; prioritisation entries, and the prioritisations a
generated user prepared), budgets whose notes are GENERATED_BUDGET_NOTE, and users whose e-mail ends
"@generated.opcc.invalid" (users are kept and reused, not deleted).
"""

import datetime as dt
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from commissioning.demo.generate.builder import Builder
from commissioning.demo.generate.cleanup import generated_data_delete, generated_data_present
from commissioning.demo.generate.common import (
    AGREEMENT_PREFIX,
    CAL,
    GEN,
    GENERATED_BUDGET_NOTE,
    ORG_PREFIX,
    SCALES,
    SERVICE_PREFIX,
    STREAM_PREFIX,
    USER_DOMAIN,
    GenerateError,
    GenerateSummary,
)
from commissioning.funds.models import Fund
from commissioning.profiles.loader import profile_load

__all__ = [
    "AGREEMENT_PREFIX",
    "CAL",
    "GEN",
    "GENERATED_BUDGET_NOTE",
    "ORG_PREFIX",
    "SCALES",
    "SERVICE_PREFIX",
    "STREAM_PREFIX",
    "USER_DOMAIN",
    "GenerateError",
    "GenerateSummary",
    "generate",
    "generated_data_delete",
    "generated_data_present",
]


def generate(
    *, scale: str = "county", seed: int = 1, replace: bool = False, as_of: dt.date | None = None
) -> GenerateSummary:
    """Generate `scale` data with `seed` in one transaction. Refused (GenerateError) if generated data is
    already present, unless `replace`, which deletes it first. Loads the profile first if no fund exists."""
    if scale not in SCALES:
        raise GenerateError(f"unknown scale {scale!r}; choose {' or '.join(SCALES)}")
    started = time.perf_counter()
    CAL.set(as_of or timezone.localdate())
    summary = GenerateSummary(scale=scale, seed=seed)
    with transaction.atomic():
        if not Fund.objects.exists():
            profile_load(path_or_name=settings.OPCC_PROFILE)
        if generated_data_present():
            if not replace:
                raise GenerateError("generated data already present; use --replace to delete it and generate again")
            summary.removed = generated_data_delete()
        builder = Builder(scale=SCALES[scale], seed=seed, summary=summary)
        builder.load_context()
        builder.years()
        builder.organisations()
        builder.users()
        builder.budgets()
        for number in range(SCALES[scale].copies):
            builder.share(number)
        builder.finish_budgets()
    _refresh_statistics()
    summary.seconds = time.perf_counter() - started
    return summary


def _refresh_statistics() -> None:
    """ANALYZE after the bulk insert, as a restore would: the query planner's row estimates are otherwise those of
    the empty tables until autovacuum comes round, and it picks nested loops over millions of rows (the Panel
    report at national scale took 8 s with stale statistics and about 1 s after ANALYZE on PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
