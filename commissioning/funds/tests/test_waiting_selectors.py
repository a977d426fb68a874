"""What finance work waits (selectors: commitments_at, payments_due, virements_to_decide), read by the home page."""

import datetime as dt
from decimal import Decimal

import pytest

from commissioning.funds import selectors
from commissioning.funds.models import Commitment, FinancialYear, ScheduledPayment, Virement
from commissioning.funds.tests.factories import CommitmentFactory, FinancialYearFactory, FundFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 4)


def _scheduled(*, days, status=ScheduledPayment.Status.DUE, commitment_status=Commitment.Status.COMMITTED, year=None):
    commitment = CommitmentFactory(status=commitment_status, year=year or FinancialYearFactory(start_year=2026))
    return ScheduledPayment.objects.create(
        commitment=commitment, due_on=TODAY + dt.timedelta(days=days), amount=Decimal("500.00"), status=status
    )


def test_payments_due_are_unpaid_within_30_days_or_overdue_under_payable_commitments():
    overdue = _scheduled(days=-10)
    soon = _scheduled(days=30)
    _scheduled(days=31)  # later
    _scheduled(days=1, status=ScheduledPayment.Status.PAID)
    _scheduled(days=1, status=ScheduledPayment.Status.CANCELLED)
    _scheduled(days=1, commitment_status=Commitment.Status.PLANNED)  # not yet approved: cannot be paid
    closed = FinancialYearFactory(start_year=2024, status=FinancialYear.Status.CLOSED)
    _scheduled(days=1, year=closed)
    assert list(selectors.payments_due(today=TODAY)) == [overdue, soon]


def test_commitments_at_a_stage_are_those_of_open_years():
    planned = CommitmentFactory(year=FinancialYearFactory(start_year=2026))
    CommitmentFactory(year=FinancialYearFactory(start_year=2023, status=FinancialYear.Status.CLOSED))
    CommitmentFactory(status=Commitment.Status.APPROVED)
    rows = list(selectors.commitments_at(status=Commitment.Status.PLANNED))
    assert rows == [planned]
    assert rows[0].live_amount == Decimal("1000.00")


def test_no_one_is_asked_to_decide_their_own_transfer(users):
    year = FinancialYearFactory(start_year=2026)

    def transfer(by):
        return Virement.objects.create(
            year=year,
            from_fund=FundFactory(),
            to_fund=FundFactory(),
            amount=Decimal("10.00"),
            reason="Underspend",
            requested_by=by,
        )

    theirs = transfer(users["finance_officer"])
    transfer(users["cfo"])
    assert list(selectors.virements_to_decide(user=users["cfo"])) == [theirs]
