"""Decision numbers stay unique and gap-free when several are recorded at the same moment (PostgreSQL only).

Run with DATABASE_URL pointing at PostgreSQL (`make test-postgres`); the `postgres` marker skips them on SQLite, or
fails them when REQUIRE_POSTGRES=1 (conftest.py).
"""

import datetime as dt
import threading

import pytest
from django.db import connections

from commissioning.strategy import services
from commissioning.strategy.models import DecisionRecord, LegalBasis

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def test_simultaneous_decisions_get_distinct_sequential_numbers(users):
    workers, errors = 6, []
    barrier = threading.Barrier(workers)

    def record(n):
        try:
            barrier.wait()
            services.decision_record_create(
                actor=users["pcc"],
                subject=f"Grant {n}",
                legal_basis=LegalBasis.PRSRA_2011_S9,
                decision="To award",
                reasons="Meets the plan",
                decided_by=users["pcc"],
                decided_on=dt.date(2026, 5, 1),
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=record, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(DecisionRecord.objects.values_list("number", flat=True))
    assert numbers == [f"2026/{n:03d}" for n in range(1, workers + 1)]
