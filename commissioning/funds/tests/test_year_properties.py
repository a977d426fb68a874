"""Property test (issue 13): for any sequence of commitments, payments, repayments, budget changes and year-end
closes over three years, each year's paid figure on the dashboard equals the sum of the payments dated in that
year, and a fund that does not carry forward never starts a year with last year's money.

Each example runs in its own transaction, rolled back at the end (as in test_properties.py)."""

import datetime as dt
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from commissioning.core.dates import FinancialYear as FY
from commissioning.funds import selectors, services
from commissioning.funds.models import BudgetLine, Commitment, FinancialYear, Payment
from commissioning.funds.tests.factories import AgreementFactory, FinancialYearFactory
from commissioning.funds.tests.test_properties import Rollback, in_rollback
from commissioning.funds.views.dashboard import totals_of

YEARS = (2025, 2026, 2027)
PER_EXAMPLE = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
assert Rollback  # the same rollback as the other property tests

amounts = st.integers(min_value=1, max_value=300_000).map(lambda p: Decimal(p) / 100)
smaller = st.integers(min_value=1, max_value=100_000).map(lambda p: Decimal(p) / 100)
fund_names = st.sampled_from(["safety", "core"])  # the Safety Fund carries forward, the Core Victims Fund not
year_index = st.integers(0, len(YEARS) - 1)
agreement_index = st.integers(0, 2)
pick = st.integers(0, 50)  # which of the commitments so far (modulo their number)
# Days from the start of the commitment's year: mostly inside it, sometimes before it or after it ends.
pay_day = st.one_of(st.integers(0, 364), st.integers(-40, 400))
repay_day = st.integers(0, 730)  # money may come back in a later year
operation = st.one_of(
    st.tuples(st.just("commit"), fund_names, year_index, agreement_index, amounts),
    st.tuples(st.just("pay"), pick, smaller, pay_day),
    st.tuples(st.just("pay"), pick, smaller, pay_day),
    st.tuples(st.just("repay"), pick, st.integers(1, 100), repay_day),
    st.tuples(st.just("repay"), pick, st.integers(1, 100), repay_day),
    st.tuples(st.just("budget"), fund_names, year_index, amounts),
    st.tuples(st.just("close"), year_index),
)


def _apply(world, years, agreements, op, counter) -> str:
    kind, *args = op
    finance, cfo = world.finance, world.cfo
    if kind == "close":
        services.year_end_close(actor=cfo, year=years[args[0]], reason="Year end")
        return "done"
    if kind in ("pay", "repay"):
        commitments = Commitment.objects.exclude(status=Commitment.Status.PLANNED).order_by("pk")
        if kind == "repay":  # money can only come back under a commitment that has paid some
            commitments = commitments.filter(payments__amount__gt=0).distinct()
        commitments = list(commitments)
        if not commitments:
            return "skipped"
        commitment = commitments[args[0] % len(commitments)]
        day = commitment.year.fy.starts_on + dt.timedelta(days=args[2])
        counter[0] += 1
        if kind == "pay":
            services.payment_record(
                actor=finance, commitment=commitment, amount=args[1], paid_on=day, reference=f"P{counter[0]}"
            )
            inside = FY.for_date(day).start_year == commitment.year.start_year
            return "in its year" if inside else "OUTSIDE its year"
        paid = sum(commitment.payments.values_list("amount", flat=True), Decimal("0"))
        amount = max((paid * args[1] / 100).quantize(Decimal("0.01"), rounding=ROUND_DOWN), Decimal("0.01"))
        repayment = services.repayment_request(actor=finance, commitment=commitment, amount=amount, reason="Clawback")
        services.repayment_receive(actor=finance, repayment=repayment, paid_on=day, reference=f"R{counter[0]}")
        return "in its year" if FY.for_date(day).start_year == commitment.year.start_year else "in a later year"
    fund = getattr(world, args[0])
    year = years[args[1]]
    if kind == "budget":
        services.budget_line_add(
            actor=cfo,
            fund=fund,
            year=year,
            kind=BudgetLine.Kind.ADJUSTMENT,
            amount=args[2],
            description="More money",
            reason="More money",
        )
        return "done"
    agreement = agreements[args[2]]
    commitment = Commitment.objects.filter(fund=fund, year=year, agreement=agreement).first()
    if commitment is None:
        commitment = services.commitment_plan(actor=finance, fund=fund, year=year, agreement=agreement, amount=args[3])
    services.commitment_approve(actor=cfo, commitment=commitment)
    return "done"


def _check(world, years):
    for year in FinancialYear.objects.filter(pk__in=[y.pk for y in years]):
        fy = year.fy
        # Summed in Python: SQLite's SUM of decimals is a float sum (payments and repayments netting to zero can
        # leave 2.8e-14), and the check must be exact.
        dated_in_year = sum(
            Payment.objects.filter(paid_on__range=(fy.starts_on, fy.ends_on)).values_list("amount", flat=True),
            Decimal("0"),
        )
        shown = totals_of(year.label, selectors.fund_positions(year=year)).paid
        assert shown == dated_in_year, f"the dashboard's paid for {year.label} is what was paid in {year.label}"
    # A payment out is always dated in its commitment's year, and never before the agreement starts.
    for payment in Payment.objects.filter(amount__gt=0).select_related("commitment__year", "commitment__agreement"):
        assert FY.for_date(payment.paid_on).start_year == payment.commitment.year.start_year
        assert payment.paid_on >= payment.commitment.agreement.starts_on
    # A fund that does not carry forward never starts a year with last year's money.
    assert not BudgetLine.objects.filter(
        budget__fund__allows_carry_forward=False, kind=BudgetLine.Kind.CARRY_FORWARD, amount__gt=0
    ).exists()
    for position in selectors.fund_positions(year=years[0]):
        assert position.budget >= 0


@PER_EXAMPLE
@given(operations=st.lists(operation, min_size=1, max_size=20))
def test_paid_is_what_was_paid_in_the_year_and_annual_money_never_rolls_on(world, operations):
    def check():
        years = [world.year if start == 2026 else FinancialYearFactory(start_year=start) for start in YEARS]
        agreements = [
            world.agreement,
            AgreementFactory(service=world.agreement.service),
            AgreementFactory(service=world.agreement.service, starts_on=dt.date(2026, 6, 1)),
        ]
        for year in years:
            world.budget(world.safety, "20000", year=year)
            world.budget(world.core, "9300", year=year)
            for fund in (world.safety, world.core):  # something to pay from the start
                services.commitment_approve(
                    actor=world.cfo,
                    commitment=services.commitment_plan(
                        actor=world.finance, fund=fund, year=year, agreement=agreements[0], amount="3000"
                    ),
                )
        counter = [0]
        for op in operations:
            try:
                event(f"{op[0]} {_apply(world, years, agreements, op, counter)}")
            except ValidationError as error:
                event(f"{op[0]} refused" + (f": {error.messages[0][:60]}" if op[0] == "repay" else ""))
            _check(world, years)
        # A closed year's left-over money in the Core Victims Fund is returned / lapsed, never carried.
        for year in FinancialYear.objects.filter(pk__in=[y.pk for y in years], status=FinancialYear.Status.CLOSED):
            nxt = FinancialYear.objects.filter(start_year=year.start_year + 1).first()
            if nxt is not None:
                assert not BudgetLine.objects.filter(
                    budget__fund=world.core, budget__year=nxt, kind=BudgetLine.Kind.CARRY_FORWARD
                ).exists()

    in_rollback(check)
