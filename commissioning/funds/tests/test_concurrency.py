"""Many approvals and transfers at the same moment never over-commit a fund (PostgreSQL only).

Each thread has its own database connection, so these are real concurrent transactions contending for the
Budget row lock. Run with DATABASE_URL pointing at PostgreSQL; with REQUIRE_POSTGRES=1 (CI's PostgreSQL job)
the tests fail rather than skip when the database is not PostgreSQL (the `postgres` marker, conftest.py).
"""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import F, Sum

from commissioning.funds import services
from commissioning.funds.models import Budget, Commitment, Virement
from commissioning.funds.tests.factories import AgreementFactory, FinancialYearFactory, FundFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

D = Decimal


def run_at_once(jobs):
    """Run each job in its own thread (and connection), all released together; return (results, errors)."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []

    def work(job):
        try:
            barrier.wait(timeout=30)
            results.extend(job())
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return results, errors


def committed_total(fund, year) -> Decimal:
    total = Commitment.objects.filter(fund=fund, year=year, status__in=["approved", "committed", "released"]).aggregate(
        total=Sum(F("amount") - F("released_amount"))
    )["total"]
    return total or D("0")


def test_twenty_approvals_from_ten_threads_commit_exactly_the_budget(users):
    year = FinancialYearFactory(start_year=2026)
    fund = FundFactory(name="Commissioner's Safety Fund")
    services.budget_set_total(actor=users["finance_officer"], fund=fund, year=year, amount="10000", reason="Opening")
    planned = [
        services.commitment_plan(
            actor=users["finance_officer"], fund=fund, year=year, agreement=AgreementFactory(), amount="1000"
        )
        for _ in range(20)
    ]
    approver = users["cfo"]
    samples, stop = [], threading.Event()

    def approve_two(pair):
        def job():
            outcomes = []
            for commitment in pair:
                try:
                    services.commitment_approve(actor=approver, commitment=commitment)
                    outcomes.append("approved")
                except ValidationError as error:
                    assert "more than is available" in " ".join(error.messages)
                    outcomes.append("refused")
            return outcomes

        return job

    def watch():
        try:
            while not stop.is_set():
                samples.append(committed_total(fund, year))
        finally:
            connections.close_all()

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        results, errors = run_at_once([approve_two(planned[n : n + 2]) for n in range(0, 20, 2)])
    finally:
        stop.set()
        watcher.join(timeout=30)

    assert errors == []
    assert sorted(results) == ["approved"] * 10 + ["refused"] * 10
    assert Commitment.objects.filter(fund=fund, status="approved").count() == 10
    assert committed_total(fund, year) == D("10000.00")
    assert samples and max(samples) <= D("10000.00")
    assert Budget.objects.get(fund=fund, year=year).amount == D("10000.00")


def test_two_virements_racing_for_the_same_money_approve_only_one(users):
    year = FinancialYearFactory(start_year=2026)
    source = FundFactory(name="Commissioner's Safety Fund")
    one, two = FundFactory(name="Local Innovation Fund"), FundFactory(name="Community Grant Scheme")
    services.budget_set_total(actor=users["cfo"], fund=source, year=year, amount="10000", reason="Opening")
    virements = [
        services.virement_request(
            actor=users["finance_officer"], year=year, from_fund=source, to_fund=to, amount="6000", reason="Projects"
        )
        for to in (one, two)
    ]

    def decide(virement):
        def job():
            try:
                services.virement_decide(actor=users["cfo"], virement=virement, approve=True, note="Agreed")
                return ["approved"]
            except ValidationError as error:
                assert "has £4,000.00 available" in " ".join(error.messages)
                return ["refused"]

        return job

    results, errors = run_at_once([decide(v) for v in virements])

    assert errors == []
    assert sorted(results) == ["approved", "refused"]
    assert Virement.objects.filter(status="approved").count() == 1
    assert Budget.objects.get(fund=source, year=year).amount == D("4000.00")
    moved = Budget.objects.filter(fund__in=[one, two], year=year).aggregate(total=Sum("amount"))["total"]
    assert moved == D("6000.00")


def test_virements_in_opposite_directions_do_not_deadlock(users):
    year = FinancialYearFactory(start_year=2026)
    left, right = FundFactory(name="Left"), FundFactory(name="Right")
    for fund in (left, right):
        services.budget_set_total(actor=users["cfo"], fund=fund, year=year, amount="10000", reason="Opening")
    for _ in range(5):
        pair = [
            services.virement_request(
                actor=users["finance_officer"], year=year, from_fund=a, to_fund=b, amount="100", reason="Swap"
            )
            for a, b in ((left, right), (right, left))
        ]
        jobs = [
            (lambda v=v: [services.virement_decide(actor=users["cfo"], virement=v, approve=True).status]) for v in pair
        ]
        results, errors = run_at_once(jobs)
        assert errors == [] and results == ["approved", "approved"]
    assert Budget.objects.get(fund=left, year=year).amount == D("10000.00")
    assert Budget.objects.get(fund=right, year=year).amount == D("10000.00")
