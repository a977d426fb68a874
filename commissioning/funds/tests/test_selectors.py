"""Positions are right, parents roll up their sub-funds, and every read is a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest

from commissioning.funds import selectors, services
from commissioning.funds.models import Commitment, Payment
from commissioning.funds.tests.factories import AgreementFactory, BudgetFactory, CommitmentFactory, FundFactory

D = Decimal


def test_positions_of_a_fund_and_its_parents(world):
    world.budget(world.core, "9300")
    world.budget(world.csa, "700")
    world.budget(world.victims, "50")
    core = world.approved(world.core, "5000")
    services.commitment_commit(actor=world.cfo, commitment=core)
    services.payment_record(
        actor=world.finance, commitment=core, amount="1250", paid_on=dt.date(2026, 6, 30), reference="P1"
    )
    csa = world.approved(world.csa, "600", agreement=world.csa_agreement)
    services.commitment_release(actor=world.finance, commitment=csa, amount="100", reason="Fewer referrals")
    services.commitment_plan(
        actor=world.finance, fund=world.core, year=world.year, agreement=AgreementFactory(), amount="2000"
    )

    positions = {p.fund: p for p in selectors.fund_positions(year=world.year)}
    core_position = positions[world.core]
    assert (core_position.budget, core_position.committed, core_position.planned) == (
        D("9300.00"),
        D("5000.00"),
        D("2000.00"),
    )
    assert (core_position.paid, core_position.available, core_position.forecast) == (
        D("1250.00"),
        D("4300.00"),
        D("7000.00"),
    )
    assert positions[world.csa].committed == D("500.00") and positions[world.csa].available == D("200.00")
    victims = positions[world.victims]
    assert (victims.budget, victims.own_budget, victims.committed, victims.paid, victims.depth) == (
        D("10050.00"),
        D("50.00"),
        D("5500.00"),
        D("1250.00"),
        0,
    )
    assert victims.available == victims.budget - victims.committed
    assert positions[world.core].depth == 1 and set(victims.child_ids) == {world.core.pk, world.csa.pk}
    assert positions[world.safety].budget == 0
    assert selectors.fund_position(fund=world.victims, year=world.year) == victims


def test_fund_tree_puts_parents_before_their_parts(world):
    isva = FundFactory(parent=world.csa, name="ISVA")
    rows = selectors.fund_tree()
    order = [row.fund for row in rows]
    assert order.index(world.victims) < order.index(world.csa) < order.index(isva)
    assert {row.fund: row.depth for row in rows}[isva] == 2
    assert set(selectors.fund_descendant_ids(fund=world.victims)) == {
        world.victims.pk,
        world.core.pk,
        world.csa.pk,
        isva.pk,
    }


def _many(world, count: int):
    """`count` funds, each with a budget, an approved commitment with a payment, and a planned one."""
    parent = FundFactory(name="Parent")
    for n in range(count):
        fund = FundFactory(parent=parent if n % 2 else None)
        BudgetFactory(fund=fund, year=world.year, amount=D("1000"))
        approved = CommitmentFactory(fund=fund, year=world.year, status=Commitment.Status.APPROVED)
        CommitmentFactory(fund=fund, year=world.year, amount=D("10"))
        Payment.objects.create(
            commitment=approved,
            amount=D("100"),
            paid_on=dt.date(2026, 5, 1),
            reference=f"PAY-{fund.pk}",
            recorded_by=world.finance,
        )


@pytest.mark.parametrize("count", [1, 50])
def test_positions_take_four_queries_whatever_the_number_of_funds(world, django_assert_num_queries, count):
    _many(world, count)
    with django_assert_num_queries(4):
        positions = selectors.fund_positions(year=world.year)
    assert sum(p.own_budget for p in positions) == D("1000") * count
    assert sum(p.own_committed for p in positions) == D("1000") * count


@pytest.mark.parametrize("count", [1, 50])
def test_lists_take_one_query_whatever_their_length(world, django_assert_max_num_queries, count):
    _many(world, count)
    agreement = AgreementFactory()
    for n in range(count):
        fund = FundFactory()
        BudgetFactory(fund=fund, year=world.year)
        commitment = CommitmentFactory(fund=fund, year=world.year, agreement=agreement, status="approved")
        Payment.objects.create(
            commitment=commitment,
            amount=D("1"),
            paid_on=dt.date(2026, 5, 1),
            reference=f"AG-{n}",
            recorded_by=world.finance,
        )
    with django_assert_max_num_queries(1):
        rows = [
            (c.fund.name, c.year.label, c.agreement.service.provider.name, c.live_amount, c.paid)
            for c in selectors.commitments_for_agreement(agreement=agreement)
        ]
    assert len(rows) == count and all(row[4] == D("1.00") for row in rows)
    with django_assert_max_num_queries(1):
        payments = [
            (p.commitment.fund.name, p.commitment.agreement.service.name, p.recorded_by.display_name)
            for p in selectors.payments_for(year=world.year)
        ]
    assert len(payments) == 2 * count
    with django_assert_max_num_queries(1):
        listed = [(c.fund.name, c.paid) for c in selectors.commitments_for(year=world.year, status="planned")]
    assert len(listed) == count
    with django_assert_max_num_queries(1):
        assert len([b.fund.name for b in selectors.budgets_for(year=world.year)]) == 2 * count
    with django_assert_max_num_queries(2):
        assert len(list(selectors.payments_for(fund=world.victims, include_sub_funds=True))) == 0


def test_payments_for_filters(world):
    world.budget(world.safety, "1000")
    commitment = world.approved(world.safety, "500")
    services.payment_record(
        actor=world.finance, commitment=commitment, amount="100", paid_on=dt.date(2026, 6, 30), reference="P1"
    )
    assert [p.reference for p in selectors.payments_for(agreement=world.agreement)] == ["P1"]
    assert [p.reference for p in selectors.payments_for(fund=world.core)] == []
    assert selectors.commitment_get(pk=commitment.pk).paid == D("100.00")
    assert selectors.financial_year_on(day=dt.date(2027, 3, 31)) == world.year
    assert selectors.financial_year_on(day=dt.date(2027, 4, 1)) is None


def test_own_available_leaves_out_sub_funds_money(users):
    from commissioning.funds import selectors as fund_selectors
    from commissioning.funds import services as fund_services
    from commissioning.funds.tests.factories import FinancialYearFactory, FundFactory

    parent = FundFactory(code="parent-own")
    child = FundFactory(code="child-own", parent=parent)
    year = FinancialYearFactory(start_year=2031)
    fund_services.budget_set_total(actor=users["cfo"], fund=child, year=year, amount="500.00", reason="test")
    position = fund_selectors.fund_position(fund=parent, year=year)
    assert position.available == Decimal("500.00")
    assert position.own_available == Decimal("0.00")
