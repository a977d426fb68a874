"""Property tests (hypothesis): schedules share money to the penny, and whatever sequence of plan, approve,
commit, vary, release, pay, repay and budget changes is run against one fund, the books balance.

Each example runs in its own transaction, rolled back at the end, so examples never see each other's rows.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from commissioning.funds import selectors, services
from commissioning.funds.models import Budget, BudgetLine, Commitment, Payment
from commissioning.funds.tests.factories import AgreementFactory

COUNTED = {"approved", "committed", "released"}
PER_EXAMPLE = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


class Rollback(Exception):
    pass


def in_rollback(check):
    """Run `check` in a transaction that is always rolled back (a fresh state for each example)."""
    try:
        with transaction.atomic():
            check()
            raise Rollback
    except Rollback:
        pass


pennies = st.integers(min_value=1, max_value=500_000).map(lambda p: Decimal(p) / 100)
smaller = st.integers(min_value=1, max_value=200_000).map(lambda p: Decimal(p) / 100)


@PER_EXAMPLE
@given(
    amount=pennies,
    frequency=st.sampled_from(sorted(services.FREQUENCIES)),
    in_arrears=st.booleans(),
    paid_first=st.one_of(st.none(), st.integers(min_value=0, max_value=100)),
)
def test_payment_schedules_add_up_to_what_is_left_to_pay(world, amount, frequency, in_arrears, paid_first):
    def check():
        world.budget(world.safety, "10000")
        commitment = world.approved(world.safety, amount)
        paid = Decimal("0")
        if paid_first:
            paid = (amount * paid_first / 100).quantize(Decimal("0.01"))
            if 0 < paid < amount:
                services.payment_record(
                    actor=world.finance, commitment=commitment, amount=paid, paid_on=dt.date(2026, 5, 1), reference="P"
                )
            else:
                paid = Decimal("0")
        schedule = services.payment_schedule_create(
            actor=world.finance, commitment=commitment, frequency=frequency, in_arrears=in_arrears
        )
        assert sum(row.amount for row in schedule) == amount - paid
        assert all(row.amount > 0 for row in schedule)
        assert all(world.year.fy.starts_on <= row.due_on <= world.year.fy.ends_on for row in schedule)
        amounts = [row.amount for row in schedule]
        assert max(amounts) - min(amounts) <= Decimal("0.01")

    in_rollback(check)


AGREEMENTS = 4  # the first three start with a planned commitment; "plan" may add the fourth
KINDS = ["plan", "approve", "approve", "commit", "vary", "release", "pay", "pay", "pay", "repay", "budget"]
small = st.integers(min_value=1, max_value=50_000).map(lambda p: Decimal(p) / 100)
operation = st.tuples(
    st.sampled_from(KINDS),
    st.integers(0, AGREEMENTS - 1),
    st.one_of(smaller, small),
    st.booleans(),  # for a release: everything unpaid (True) or the amount
)


def _snapshot(world):
    return (
        list(Commitment.objects.order_by("pk").values_list("pk", "status", "amount", "released_amount")),
        list(Payment.objects.order_by("pk").values_list("pk", "amount")),
        list(Budget.objects.order_by("pk").values_list("pk", "amount")),
        BudgetLine.objects.count(),
    )


def _apply(world, agreements, op, counter):
    kind, index, amount, release_all = op
    finance, cfo = world.finance, world.cfo
    fund, year = world.safety, world.year
    if kind == "budget":
        services.budget_set_total(actor=cfo, fund=fund, year=year, amount=amount * 4, reason="Budget change")
        return "done"
    agreement = agreements[index]
    commitment = Commitment.objects.filter(fund=fund, year=year, agreement=agreement).first()
    if kind == "plan":
        services.commitment_plan(actor=finance, fund=fund, year=year, agreement=agreement, amount=amount)
    elif commitment is None:
        return "skipped"
    elif kind == "approve":
        services.commitment_approve(actor=cfo, commitment=commitment)
    elif kind == "commit":
        services.commitment_commit(actor=cfo, commitment=commitment)
    elif kind == "vary":
        services.commitment_vary(actor=finance, commitment=commitment, amount=amount, reason="Varied")
    elif kind == "release":
        services.commitment_release(
            actor=finance, commitment=commitment, amount=None if release_all else amount, reason="Released"
        )
    elif kind == "pay":
        counter[0] += 1
        services.payment_record(
            actor=finance, commitment=commitment, amount=amount, paid_on=dt.date(2026, 7, 1), reference=f"P{counter[0]}"
        )
    elif kind == "repay":
        counter[0] += 1
        repayment = services.repayment_request(actor=finance, commitment=commitment, amount=amount, reason="Clawback")
        services.repayment_receive(
            actor=finance, repayment=repayment, paid_on=dt.date(2026, 8, 1), reference=f"R{counter[0]}"
        )
    return "done"


def _check_books(world):
    fund, year = world.safety, world.year
    budget = Budget.objects.filter(fund=fund, year=year).first()
    budget_amount = budget.amount if budget else Decimal("0")
    lines = sum(BudgetLine.objects.filter(budget=budget).values_list("amount", flat=True), Decimal("0"))
    assert budget_amount == lines, "a budget is the sum of its lines"
    committed = Decimal("0")
    for commitment in Commitment.objects.filter(fund=fund, year=year):
        live = commitment.amount - commitment.released_amount
        paid = sum(commitment.payments.values_list("amount", flat=True), Decimal("0"))
        assert Decimal("0") <= paid <= live, "a commitment never pays more than its live amount"
        if commitment.status in COUNTED:
            committed += live
        else:
            assert paid == 0, "planned money is never paid"
    position = selectors.fund_position(fund=fund, year=year)
    assert position.budget == budget_amount
    assert position.committed == committed
    assert position.committed + position.available == position.budget
    assert position.committed <= position.budget, "committed never exceeds the budget"
    assert position.available >= 0
    assert position.paid <= position.committed
    assert position.forecast == position.committed + position.planned


@PER_EXAMPLE
@given(planned=st.lists(smaller, min_size=3, max_size=3), operations=st.lists(operation, min_size=1, max_size=30))
def test_any_sequence_of_operations_keeps_the_books_balanced(world, planned, operations):
    def check():
        agreements = [AgreementFactory(service=world.agreement.service) for _ in range(AGREEMENTS)]
        world.budget(world.safety, "5000")
        for agreement, amount in zip(agreements, planned, strict=False):
            services.commitment_plan(
                actor=world.finance, fund=world.safety, year=world.year, agreement=agreement, amount=amount
            )
        counter = [0]
        for op in operations:
            before = _snapshot(world)
            try:
                event(f"{op[0]} {_apply(world, agreements, op, counter)}")
            except ValidationError:
                event(f"{op[0]} refused")
                assert _snapshot(world) == before, f"a refused {op[0]} changed nothing"
            _check_books(world)

    in_rollback(check)


@pytest.mark.parametrize("amount", ["0.01", "0.03", "1000.01", "99999.99"])
def test_small_and_odd_schedules(world, amount):
    world.budget(world.safety, "100000")
    commitment = world.approved(world.safety, amount)
    schedule = services.payment_schedule_create(actor=world.finance, commitment=commitment, frequency="monthly")
    assert sum(row.amount for row in schedule) == Decimal(amount)
