"""The money engine: every refusal with its message, splits to the penny, and who/why in the history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.funds import services
from commissioning.funds.models import (
    Budget,
    BudgetLine,
    Commitment,
    FinancialYear,
    Payment,
    Repayment,
    ScheduledPayment,
    Virement,
)
from commissioning.funds.selectors import fund_position
from commissioning.funds.tests.factories import (
    AgreementFactory,
    FinancialYearFactory,
    FundFactory,
    FundingStreamFactory,
    RingFencedFundFactory,
    ServiceFactory,
)

D = Decimal


def messages(caught) -> str:
    return " ".join(caught.value.messages)


def lines(fund, year, *kinds):
    query = BudgetLine.objects.filter(budget__fund=fund, budget__year=year)
    if kinds:
        query = query.filter(kind__in=kinds)
    return sorted((line.kind, line.amount) for line in query)


def budget_of(fund, year) -> Decimal:
    return Budget.objects.get(fund=fund, year=year).amount


# --- Years and streams ---------------------------------------------------------------------------------------


def test_financial_year_get_or_create_is_idempotent(db):
    year = services.financial_year_get_or_create(start_year=2030)
    assert year.label == "2030/31" and year.status == FinancialYear.Status.OPEN
    assert services.financial_year_get_or_create(start_year="2030") == year
    with pytest.raises(ValidationError) as caught:
        services.financial_year_get_or_create(start_year=1999)
    assert "start_year" in caught.value.message_dict


def test_stream_allocation_set_records_who_and_why(world):
    stream = FundingStreamFactory(fund=world.safety)
    allocation = services.stream_allocation_set(
        actor=world.finance, stream=stream, year=world.year, amount="250000", confirmed=True, reason="MoJ letter"
    )
    assert allocation.amount == D("250000.00") and allocation.confirmed
    again = services.stream_allocation_set(actor=world.finance, stream=stream, year=world.year, amount="260000")
    assert again.pk == allocation.pk and again.amount == D("260000.00") and not again.confirmed
    record = allocation.history.order_by("history_id").first()
    assert record.history_user == world.finance and record.history_change_reason == "MoJ letter"


def test_stream_allocation_set_needs_permission_and_a_positive_amount(world):
    stream = FundingStreamFactory(fund=world.safety)
    with pytest.raises(PermissionDenied):
        services.stream_allocation_set(
            actor=world.users["commissioning_manager"], stream=stream, year=world.year, amount="1"
        )
    with pytest.raises(ValidationError) as caught:
        services.stream_allocation_set(actor=world.finance, stream=stream, year=world.year, amount="-1")
    assert "£0.00 or more" in messages(caught)
    with pytest.raises(ValidationError) as caught:
        services.stream_allocation_set(actor=world.finance, stream=stream, year=world.year, amount="lots")
    assert caught.value.message_dict["amount"] == ["Enter an amount of money in pounds and pence, like 1250.00"]


# --- Building budgets from streams ---------------------------------------------------------------------------


def _moj(world, amount):
    stream = FundingStreamFactory(fund=world.victims, name="MoJ victims grant", code="moj")
    services.stream_allocation_set(actor=world.finance, stream=stream, year=world.year, amount=amount)
    return stream


def test_a_93_7_split_of_an_odd_amount_lands_every_penny(world):
    _moj(world, "1000.01")
    internal = FundingStreamFactory(fund=world.safety, name="Internal allocation")
    services.stream_allocation_set(actor=world.finance, stream=internal, year=world.year, amount="500000")
    built = services.budgets_build_from_streams(actor=world.finance, year=world.year)
    assert {b.fund for b in built} == {world.core, world.csa, world.safety}
    assert lines(world.core, world.year) == [("split", D("930.01"))]
    assert lines(world.csa, world.year) == [("split", D("70.00"))]
    assert lines(world.safety, world.year) == [("stream", D("500000.00"))]
    assert budget_of(world.core, world.year) + budget_of(world.csa, world.year) == D("1000.01")
    assert not Budget.objects.filter(fund=world.victims, year=world.year, amount__gt=0).exists()
    assert fund_position(fund=world.victims, year=world.year).budget == D("1000.01")
    description = BudgetLine.objects.get(budget__fund=world.csa).description
    assert description == "7% of Victims Fund from MoJ victims grant"


def test_splits_apply_recursively_and_still_add_up(world):
    isva = FundFactory(code="isva", name="ISVA", parent=world.csa)
    other = FundFactory(code="csa-other", name="Other CSA", parent=world.csa)
    services.fund_split_set(
        parent=world.csa, effective_from=dt.date(2026, 4, 1), shares={isva: D("33.33"), other: D("66.67")}
    )
    _moj(world, "12345.67")
    services.budgets_build_from_streams(actor=world.finance, year=world.year)
    csa_share = D("864.20")  # 7% of 12,345.67 = 864.1969, largest remainder gives the penny to the CSA part
    assert budget_of(world.core, world.year) == D("12345.67") - csa_share
    assert budget_of(isva, world.year) + budget_of(other, world.year) == csa_share
    assert fund_position(fund=world.victims, year=world.year).budget == D("12345.67")


def test_a_split_not_yet_in_force_on_1_april_is_not_used(world):
    isva = FundFactory(code="isva", name="ISVA", parent=world.csa)
    services.fund_split_set(parent=world.csa, effective_from=dt.date(2026, 4, 2), shares={isva: D("100")})
    _moj(world, "100")
    services.budgets_build_from_streams(actor=world.finance, year=world.year)
    assert budget_of(world.csa, world.year) == D("7.00")
    assert not Budget.objects.filter(fund=isva).exists()


def test_rebuilding_is_idempotent_and_leaves_other_lines_alone(world):
    stream = _moj(world, "10000")
    services.budgets_build_from_streams(actor=world.finance, year=world.year)
    services.budget_line_add(
        actor=world.finance,
        fund=world.core,
        year=world.year,
        kind=BudgetLine.Kind.CARRY_FORWARD,
        amount="500",
        description="Opening balance",
        reason="Brought forward by hand",
    )
    before = list(BudgetLine.objects.order_by("id").values_list("id", flat=True))
    services.budgets_build_from_streams(actor=world.finance, year=world.year)
    assert list(BudgetLine.objects.order_by("id").values_list("id", flat=True)) == before

    services.stream_allocation_set(actor=world.finance, stream=stream, year=world.year, amount="20000")
    services.budgets_build_from_streams(actor=world.finance, year=world.year, reason="MoJ uplift")
    assert lines(world.core, world.year) == [("carry_forward", D("500.00")), ("split", D("18600.00"))]
    assert budget_of(world.core, world.year) == D("19100.00")
    assert budget_of(world.csa, world.year) == D("1400.00")


def test_a_stream_moved_elsewhere_leaves_no_stale_lines(world):
    stream = _moj(world, "10000")
    services.budgets_build_from_streams(actor=world.finance, year=world.year)
    stream.fund = world.safety
    stream.save()
    services.budgets_build_from_streams(actor=world.finance, year=world.year)
    assert budget_of(world.core, world.year) == 0 and budget_of(world.csa, world.year) == 0
    assert budget_of(world.safety, world.year) == D("10000.00")


def test_rebuilding_is_refused_when_a_budget_would_fall_below_its_commitments(world):
    stream = _moj(world, "100000")
    services.budgets_build_from_streams(actor=world.finance, year=world.year)
    world.approved(world.csa, "6000", agreement=world.csa_agreement)
    services.stream_allocation_set(actor=world.finance, stream=stream, year=world.year, amount="50000")
    with pytest.raises(ValidationError) as caught:
        services.budgets_build_from_streams(actor=world.finance, year=world.year)
    assert messages(caught) == (
        "Rebuilding from the funding streams would leave The Child Sexual Abuse fund with a budget of £3,500.00 in "
        "2026/27, below the £6,000.00 already committed from it. Release or reduce commitments first, or keep the "
        "budget at £6,000.00 or more"
    )
    assert budget_of(world.csa, world.year) == D("7000.00")


def test_building_needs_manage_budget(world):
    with pytest.raises(PermissionDenied):
        services.budgets_build_from_streams(actor=world.users["commissioning_manager"], year=world.year)


# --- Budget lines and totals ---------------------------------------------------------------------------------


def test_budget_set_total_adds_the_adjustment_needed(world):
    budget = world.budget(world.safety, "1000")
    assert budget.amount == D("1000.00")
    budget = services.budget_set_total(
        actor=world.cfo, fund=world.safety, year=world.year, amount="750.50", reason="Savings"
    )
    assert budget.amount == D("750.50")
    assert lines(world.safety, world.year) == [("adjustment", D("-249.50")), ("adjustment", D("1000.00"))]
    services.budget_set_total(actor=world.cfo, fund=world.safety, year=world.year, amount="750.50", reason="Again")
    assert BudgetLine.objects.filter(budget=budget).count() == 2
    record = budget.history.order_by("-history_id").first()
    assert record.history_user == world.cfo and record.history_change_reason == "Savings"


def test_budget_set_total_refuses_going_below_commitments(world):
    world.budget(world.safety, "1000")
    world.approved(world.safety, "800")
    with pytest.raises(ValidationError) as caught:
        services.budget_set_total(actor=world.cfo, fund=world.safety, year=world.year, amount="500", reason="Cut")
    assert "below the £800.00 already committed" in messages(caught)
    assert budget_of(world.safety, world.year) == D("1000.00")


def test_budget_line_add_refusals(world):
    world.budget(world.safety, "1000")
    world.approved(world.safety, "900")

    def add(**kwargs):
        defaults = {
            "actor": world.finance,
            "fund": world.safety,
            "year": world.year,
            "kind": BudgetLine.Kind.ADJUSTMENT,
            "amount": "-50",
            "description": "",
            "reason": "Correction",
        }
        return services.budget_line_add(**{**defaults, **kwargs})

    with pytest.raises(ValidationError) as caught:
        add(kind=BudgetLine.Kind.STREAM)
    assert "come from the funding streams" in caught.value.message_dict["kind"][0]
    with pytest.raises(ValidationError) as caught:
        add(amount="0")
    assert "amount" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        add(reason=" ")
    assert caught.value.message_dict["reason"] == ["Enter why the budget is changing; it is kept in the history"]
    with pytest.raises(ValidationError) as caught:
        add(amount="-150")
    assert "This change would leave The Commissioner's Safety Fund with a budget of £850.00" in messages(caught)
    line = add(amount="-100")
    assert line.description == "Correction" and budget_of(world.safety, world.year) == D("900.00")
    with pytest.raises(PermissionDenied):
        add(actor=world.users["policy_officer"])


# --- Planning and approving commitments ----------------------------------------------------------------------


def test_approval_over_budget_is_refused_naming_fund_year_available_and_shortfall(world):
    world.budget(world.csa, "5000")
    world.approved(world.csa, "3800", agreement=world.csa_agreement)
    second = AgreementFactory(service=world.csa_agreement.service)
    commitment = services.commitment_plan(
        actor=world.finance, fund=world.csa, year=world.year, agreement=second, amount="3000"
    )
    with pytest.raises(ValidationError) as caught:
        services.commitment_approve(actor=world.cfo, commitment=commitment)
    assert caught.value.message_dict["amount"] == [
        "The Child Sexual Abuse fund has £1,200.00 available in 2026/27; this commitment needs £3,000.00, "
        "£1,800.00 more than is available. Reduce the amount, or add money to the fund's budget first"
    ]
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.PLANNED


def test_approval_with_no_budget_at_all_is_refused(world):
    commitment = services.commitment_plan(
        actor=world.finance, fund=world.safety, year=world.year, agreement=world.agreement, amount="1"
    )
    with pytest.raises(ValidationError) as caught:
        services.commitment_approve(actor=world.cfo, commitment=commitment)
    assert "has £0.00 available in 2026/27" in messages(caught)


def test_approval_exactly_to_the_budget_is_allowed_and_recorded(world):
    world.budget(world.safety, "1000")
    commitment = services.commitment_plan(
        actor=world.users["commissioning_manager"],
        fund=world.safety,
        year=world.year,
        agreement=world.agreement,
        amount="1000",
        reason="Year 2 of the grant",
    )
    services.commitment_approve(actor=world.cfo, commitment=commitment, reason="Within budget")
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.APPROVED and commitment.approved_by == world.cfo
    history = list(commitment.history.order_by("history_id"))
    assert [(h.history_user, h.history_change_reason) for h in history] == [
        (world.users["commissioning_manager"], "Year 2 of the grant"),
        (world.cfo, "Within budget"),
    ]
    assert fund_position(fund=world.safety, year=world.year).available == 0


def test_ring_fenced_money_only_funds_services_of_its_purpose(world):
    with pytest.raises(ValidationError) as caught:
        services.commitment_plan(
            actor=world.finance, fund=world.csa, year=world.year, agreement=world.agreement, amount="100"
        )
    assert caught.value.message_dict["fund"] == [
        "The Child Sexual Abuse fund is ring-fenced for victims of child sexual abuse only; this service is not "
        "marked as serving that purpose. Choose a different fund, or record in the register that Restorative "
        "justice serves that purpose"
    ]


def test_ring_fence_of_an_ancestor_applies_to_its_parts(world):
    isva = FundFactory(code="isva", name="ISVA", parent=world.csa)
    with pytest.raises(ValidationError) as caught:
        services.commitment_plan(
            actor=world.finance, fund=isva, year=world.year, agreement=world.agreement, amount="100"
        )
    assert "(the ISVA is part of it); this service is not marked as serving that purpose" in messages(caught)
    services.commitment_plan(
        actor=world.finance, fund=isva, year=world.year, agreement=world.csa_agreement, amount="100"
    )


def test_ring_fence_is_checked_again_at_approval(world):
    world.budget(world.csa, "5000")
    commitment = services.commitment_plan(
        actor=world.finance, fund=world.csa, year=world.year, agreement=world.csa_agreement, amount="100"
    )
    world.csa_agreement.service.ring_fences.clear()
    with pytest.raises(ValidationError) as caught:
        services.commitment_approve(actor=world.cfo, commitment=commitment)
    assert "is ring-fenced for" in messages(caught)


def test_planning_refusals(world):
    def plan(**kwargs):
        defaults = {
            "actor": world.finance,
            "fund": world.safety,
            "year": world.year,
            "agreement": world.agreement,
            "amount": "100",
        }
        return services.commitment_plan(**{**defaults, **kwargs})

    with pytest.raises(ValidationError) as caught:
        plan(amount="0")
    assert caught.value.message_dict["amount"] == ["Enter an amount more than £0.00"]
    short = AgreementFactory(starts_on=dt.date(2024, 4, 1), ends_on=dt.date(2026, 3, 31))
    with pytest.raises(ValidationError) as caught:
        plan(agreement=short)
    assert caught.value.message_dict["year"] == [
        f"Agreement {short.reference} runs from 1 April 2024 to 31 March 2026, outside 2026/27; "
        "choose a year the agreement covers"
    ]
    ended = AgreementFactory(status="terminated")
    with pytest.raises(ValidationError) as caught:
        plan(agreement=ended)
    assert "has terminated early; choose an agreement that is in draft or active" in messages(caught)
    plan()
    with pytest.raises(ValidationError) as caught:
        plan()
    assert caught.value.message_dict["agreement"] == [
        f"The Commissioner's Safety Fund already has a commitment to agreement {world.agreement.reference} in "
        "2026/27; vary that commitment instead"
    ]
    with pytest.raises(PermissionDenied):
        plan(actor=world.users["policy_officer"])


def test_a_commitment_is_approved_once_then_committed(world):
    world.budget(world.safety, "1000")
    commitment = world.approved(world.safety, "400")
    with pytest.raises(ValidationError) as caught:
        services.commitment_approve(actor=world.cfo, commitment=commitment)
    assert caught.value.message_dict["status"] == ["This commitment is approved; only planned ones can be approved"]
    services.commitment_commit(actor=world.cfo, commitment=commitment)
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.COMMITTED
    with pytest.raises(ValidationError):
        services.commitment_commit(actor=world.cfo, commitment=commitment)
    with pytest.raises(PermissionDenied):
        services.commitment_approve(actor=world.users["commissioning_manager"], commitment=commitment)


# --- Varying and releasing -----------------------------------------------------------------------------------


def test_an_increase_is_checked_against_the_budget(world):
    world.budget(world.safety, "1000")
    commitment = world.approved(world.safety, "600")
    with pytest.raises(ValidationError) as caught:
        services.commitment_vary(actor=world.finance, commitment=commitment, amount="1200", reason="More sessions")
    assert caught.value.message_dict["amount"] == [
        "The Commissioner's Safety Fund has £400.00 available in 2026/27; this increase needs £600.00, "
        "£200.00 more than is available. Reduce the amount, or add money to the fund's budget first"
    ]
    services.commitment_vary(actor=world.finance, commitment=commitment, amount="1000", reason="More sessions")
    assert fund_position(fund=world.safety, year=world.year).committed == D("1000.00")


def test_a_planned_commitment_varies_without_a_budget_check(world):
    commitment = services.commitment_plan(
        actor=world.finance, fund=world.safety, year=world.year, agreement=world.agreement, amount="100"
    )
    services.commitment_vary(
        actor=world.users["commissioning_manager"], commitment=commitment, amount="99999", reason="Bigger"
    )
    commitment.refresh_from_db()
    assert commitment.amount == D("99999.00")


def test_a_commitment_cannot_be_varied_below_what_is_paid(world):
    world.budget(world.safety, "1000")
    commitment = world.approved(world.safety, "1000")
    services.payment_record(
        actor=world.finance, commitment=commitment, amount="700", paid_on=dt.date(2026, 6, 30), reference="P1"
    )
    with pytest.raises(ValidationError) as caught:
        services.commitment_vary(actor=world.finance, commitment=commitment, amount="600", reason="Cut")
    assert caught.value.message_dict["amount"] == [
        "£700.00 has already been paid under this commitment; enter £700.00 or more"
    ]
    with pytest.raises(ValidationError) as caught:
        services.commitment_vary(actor=world.finance, commitment=commitment, amount="800", reason="")
    assert "reason" in caught.value.message_dict


def test_release_hands_unspent_money_back(world):
    world.budget(world.safety, "1000")
    commitment = world.approved(world.safety, "1000")
    services.payment_record(
        actor=world.finance, commitment=commitment, amount="300", paid_on=dt.date(2026, 6, 30), reference="P1"
    )
    with pytest.raises(ValidationError) as caught:
        services.commitment_release(actor=world.finance, commitment=commitment, amount="800", reason="Underspend")
    assert caught.value.message_dict["amount"] == ["Only £700.00 of this commitment is unpaid; release £700.00 or less"]
    services.commitment_release(actor=world.finance, commitment=commitment, amount="200", reason="Underspend")
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.APPROVED and commitment.released_amount == D("200.00")
    assert fund_position(fund=world.safety, year=world.year).available == D("200.00")
    services.commitment_release(actor=world.finance, commitment=commitment, reason="Project finished")
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.RELEASED and commitment.released_amount == D("700.00")
    position = fund_position(fund=world.safety, year=world.year)
    assert (position.committed, position.paid, position.available) == (D("300.00"), D("300.00"), D("700.00"))
    with pytest.raises(ValidationError) as caught:
        services.commitment_release(actor=world.finance, commitment=commitment, reason="Again")
    assert "This commitment is released" in messages(caught)
    with pytest.raises(ValidationError):
        services.commitment_vary(actor=world.finance, commitment=commitment, amount="500", reason="Again")


def test_a_planned_commitment_is_released_whole(world):
    commitment = services.commitment_plan(
        actor=world.finance, fund=world.safety, year=world.year, agreement=world.agreement, amount="100"
    )
    with pytest.raises(ValidationError) as caught:
        services.commitment_release(actor=world.finance, commitment=commitment, amount="50", reason="Less")
    assert "released whole" in messages(caught)
    services.commitment_release(actor=world.users["commissioning_manager"], commitment=commitment, reason="Dropped")
    commitment.refresh_from_db()
    assert commitment.status == Commitment.Status.RELEASED
    assert fund_position(fund=world.safety, year=world.year).planned == 0


# --- Schedules and payments ----------------------------------------------------------------------------------


def test_quarterly_in_arrears_schedule_sums_exactly(world):
    world.budget(world.safety, "2000")
    commitment = world.approved(world.safety, "1000.01")
    schedule = services.payment_schedule_create(actor=world.finance, commitment=commitment, frequency="quarterly")
    assert [(s.due_on, s.amount) for s in schedule] == [
        (dt.date(2026, 6, 30), D("250.01")),
        (dt.date(2026, 9, 30), D("250.00")),
        (dt.date(2026, 12, 31), D("250.00")),
        (dt.date(2027, 3, 31), D("250.00")),
    ]


def test_monthly_in_advance_and_annual_schedules(world):
    world.budget(world.safety, "2000")
    commitment = world.approved(world.safety, "1000")
    monthly = services.payment_schedule_create(
        actor=world.finance, commitment=commitment, frequency="monthly", in_arrears=False
    )
    assert len(monthly) == 12 and monthly[0].due_on == dt.date(2026, 4, 1) and monthly[-1].due_on == dt.date(2027, 3, 1)
    assert sum(s.amount for s in monthly) == D("1000.00")
    annual = services.payment_schedule_create(actor=world.finance, commitment=commitment, frequency="annual")
    assert [(s.due_on, s.amount) for s in annual] == [(dt.date(2027, 3, 31), D("1000.00"))]
    assert ScheduledPayment.objects.filter(commitment=commitment, status="cancelled").count() == 12
    with pytest.raises(ValidationError) as caught:
        services.payment_schedule_create(actor=world.finance, commitment=commitment, frequency="weekly")
    assert "frequency" in caught.value.message_dict


def test_paying_a_scheduled_payment_marks_it_paid_and_rebalances_the_rest(world):
    world.budget(world.safety, "2000")
    commitment = world.approved(world.safety, "1000")
    first, *rest = services.payment_schedule_create(actor=world.finance, commitment=commitment, frequency="quarterly")
    services.payment_record(
        actor=world.finance,
        commitment=commitment,
        amount="400",
        paid_on=dt.date(2026, 7, 3),
        reference="BACS-1",
        scheduled=first,
    )
    first.refresh_from_db()
    assert first.status == ScheduledPayment.Status.PAID
    due = ScheduledPayment.objects.filter(commitment=commitment, status="due")
    assert sum(s.amount for s in due) == D("600.00")
    services.commitment_vary(actor=world.finance, commitment=commitment, amount="1300", reason="Extra quarter")
    assert sum(s.amount for s in due.all()) == D("900.00")


def test_payment_refusals(world):
    world.budget(world.safety, "2000")
    planned = services.commitment_plan(
        actor=world.finance, fund=world.safety, year=world.year, agreement=world.agreement, amount="100"
    )

    def pay(commitment, **kwargs):
        defaults = {"amount": "100", "paid_on": dt.date(2026, 6, 30), "reference": "BACS-9"}
        return services.payment_record(actor=world.finance, commitment=commitment, **{**defaults, **kwargs})

    with pytest.raises(ValidationError) as caught:
        pay(planned)
    assert caught.value.message_dict["status"] == [
        "This commitment is planned; only approved or committed ones can be paid (approve it first)"
    ]
    commitment = world.approved(world.safety, "1000", agreement=AgreementFactory())
    with pytest.raises(ValidationError) as caught:
        pay(commitment, amount="1000.01")
    assert caught.value.message_dict["amount"] == [
        "This payment would take payments under this commitment to £1,000.01, more than the £1,000.00 committed; "
        "pay £1,000.00 or less, or vary the commitment first"
    ]
    with pytest.raises(ValidationError) as caught:
        pay(commitment, amount="-5")
    assert "record money back as a repayment" in messages(caught)
    with pytest.raises(ValidationError) as caught:
        pay(commitment, reference="  ")
    assert "reference" in caught.value.message_dict
    pay(commitment)
    with pytest.raises(ValidationError) as caught:
        pay(commitment)
    assert caught.value.message_dict["reference"] == [
        f"Payment reference BACS-9 is already recorded (paid 30 June 2026 under agreement "
        f"{commitment.agreement.reference}); check the reference and enter it again"
    ]
    with pytest.raises(PermissionDenied):
        services.payment_record(
            actor=world.cfo, commitment=commitment, amount="1", paid_on=dt.date(2026, 6, 30), reference="X"
        )


# --- Repayments ----------------------------------------------------------------------------------------------


def test_a_repayment_is_asked_received_and_handed_back_to_the_fund(world):
    world.budget(world.safety, "1000")
    commitment = world.approved(world.safety, "1000")
    services.payment_record(
        actor=world.finance, commitment=commitment, amount="600", paid_on=dt.date(2026, 6, 30), reference="P1"
    )
    with pytest.raises(ValidationError) as caught:
        services.repayment_request(actor=world.finance, commitment=commitment, amount="700", reason="Not delivered")
    assert caught.value.message_dict["amount"] == [
        "£600.00 has been paid under this commitment and £0.00 is already asked back; ask for £600.00 or less"
    ]
    repayment = services.repayment_request(
        actor=world.finance, commitment=commitment, amount="250", reason="Quarter 1 sessions not delivered"
    )
    payment = services.repayment_receive(
        actor=world.finance, repayment=repayment, paid_on=dt.date(2026, 9, 1), reference="R1"
    )
    assert payment.amount == D("-250.00")
    repayment.refresh_from_db()
    assert repayment.status == Repayment.Status.RECEIVED and repayment.payment == payment
    position = fund_position(fund=world.safety, year=world.year)
    assert (position.paid, position.committed, position.available) == (D("350.00"), D("750.00"), D("250.00"))
    with pytest.raises(ValidationError):
        services.repayment_receive(
            actor=world.finance, repayment=repayment, paid_on=dt.date(2026, 9, 1), reference="R2"
        )


def test_only_the_cfo_waives_a_repayment(world):
    world.budget(world.safety, "1000")
    commitment = world.approved(world.safety, "1000")
    services.payment_record(
        actor=world.finance, commitment=commitment, amount="600", paid_on=dt.date(2026, 6, 30), reference="P1"
    )
    repayment = services.repayment_request(actor=world.finance, commitment=commitment, amount="100", reason="Late")
    with pytest.raises(PermissionDenied):
        services.repayment_waive(actor=world.finance, repayment=repayment, reason="Small")
    with pytest.raises(ValidationError):
        services.repayment_waive(actor=world.cfo, repayment=repayment, reason="")
    services.repayment_waive(actor=world.cfo, repayment=repayment, reason="Provider closed")
    repayment.refresh_from_db()
    assert repayment.status == Repayment.Status.WAIVED
    assert repayment.history.order_by("-history_id").first().history_change_reason == "Provider closed"


# --- Virements -----------------------------------------------------------------------------------------------


def test_a_virement_moves_budget_when_the_cfo_approves(world):
    world.budget(world.safety, "1000")
    lif = FundFactory(code="lif", name="Local Innovation Fund")
    virement = services.virement_request(
        actor=world.users["commissioning_manager"],
        year=world.year,
        from_fund=world.safety,
        to_fund=lif,
        amount="400",
        reason="Two new projects",
    )
    assert budget_of(world.safety, world.year) == D("1000.00")
    services.virement_decide(actor=world.cfo, virement=virement, approve=True, note="Agreed at SMT")
    virement.refresh_from_db()
    assert virement.status == Virement.Status.APPROVED and virement.decided_by == world.cfo
    assert budget_of(world.safety, world.year) == D("600.00") and budget_of(lif, world.year) == D("400.00")
    assert lines(lif, world.year) == [("virement", D("400.00"))]
    with pytest.raises(ValidationError):
        services.virement_decide(actor=world.cfo, virement=virement, approve=True, note="")


def test_virement_refusals(world):
    world.budget(world.safety, "1000")
    world.approved(world.safety, "700")
    world.budget(world.csa, "1000")
    lif = FundFactory(code="lif", name="Local Innovation Fund")

    def ask(**kwargs):
        defaults = {
            "actor": world.finance,
            "year": world.year,
            "from_fund": world.safety,
            "to_fund": lif,
            "amount": "100",
            "reason": "Rebalance",
        }
        return services.virement_request(**{**defaults, **kwargs})

    with pytest.raises(ValidationError) as caught:
        ask(amount="500")
    assert caught.value.message_dict["amount"] == [
        "The Commissioner's Safety Fund has £300.00 available in 2026/27; this transfer needs £500.00, £200.00 more "
        "than is available. Reduce the amount, or add money to the fund's budget first"
    ]
    with pytest.raises(ValidationError) as caught:
        ask(from_fund=world.csa)
    assert caught.value.message_dict["to_fund"] == [
        "The Child Sexual Abuse fund is ring-fenced; its money can move only to funds within that ring-fence. "
        "Choose Child Sexual Abuse fund or one of its parts"
    ]
    with pytest.raises(ValidationError):
        ask(to_fund=world.safety)
    with pytest.raises(ValidationError):
        ask(reason="")
    with pytest.raises(PermissionDenied):
        ask(actor=world.users["policy_officer"])

    virement = ask(amount="300")
    with pytest.raises(PermissionDenied):
        services.virement_decide(actor=world.finance, virement=virement, approve=True)
    with pytest.raises(ValidationError) as caught:
        services.virement_decide(actor=world.cfo, virement=virement, approve=False, note="")
    assert caught.value.message_dict["note"] == ["Enter why the transfer is rejected"]
    world.approved(world.safety, "100", agreement=AgreementFactory())  # the money went elsewhere meanwhile
    with pytest.raises(ValidationError) as caught:
        services.virement_decide(actor=world.cfo, virement=virement, approve=True)
    assert "has £200.00 available in 2026/27; this transfer needs £300.00" in messages(caught)
    services.virement_decide(actor=world.cfo, virement=virement, approve=False, note="No longer affordable")
    virement.refresh_from_db()
    assert virement.status == Virement.Status.REJECTED


def test_a_cfo_cannot_approve_their_own_virement(world):
    world.budget(world.safety, "1000")
    cfo = world.cfo
    virement = Virement.objects.create(
        year=world.year,
        from_fund=world.safety,
        to_fund=FundFactory(),
        amount=D("10"),
        reason="Test",
        requested_by=cfo,
    )
    with pytest.raises(PermissionDenied):
        services.virement_decide(actor=cfo, virement=virement, approve=True)


# --- Year end ------------------------------------------------------------------------------------------------


def test_year_end_releases_unpaid_money_and_carries_underspend_where_allowed(world):
    world.budget(world.safety, "10000")
    world.budget(world.csa, "2000")
    safety = world.approved(world.safety, "6000")
    services.payment_record(
        actor=world.finance, commitment=safety, amount="4000", paid_on=dt.date(2026, 12, 1), reference="P1"
    )
    planned = services.commitment_plan(
        actor=world.finance, fund=world.safety, year=world.year, agreement=AgreementFactory(), amount="999"
    )
    csa = world.approved(world.csa, "1500", agreement=world.csa_agreement)
    services.payment_record(
        actor=world.finance, commitment=csa, amount="1500", paid_on=dt.date(2026, 12, 1), reference="P2"
    )
    services.payment_schedule_create(actor=world.finance, commitment=safety, frequency="quarterly")

    summary = services.year_end_close(actor=world.cfo, year=world.year, reason="2026/27 accounts closed")
    by_fund = {row.fund: row for row in summary}
    assert by_fund[world.safety].underspend == D("6000.00")
    assert by_fund[world.safety].released == D("2000.00")
    assert by_fund[world.safety].carried_forward == D("6000.00")
    assert by_fund[world.csa].underspend == D("500.00") and by_fund[world.csa].carried_forward == 0

    world.year.refresh_from_db()
    assert world.year.status == FinancialYear.Status.CLOSED and world.year.closed_by == world.cfo
    for commitment in (safety, planned, csa):
        commitment.refresh_from_db()
        assert commitment.status == Commitment.Status.RELEASED
    assert not ScheduledPayment.objects.filter(status="due").exists()
    next_year = FinancialYear.objects.get(start_year=2027)
    assert lines(world.safety, next_year) == [("carry_forward", D("6000.00"))]
    assert not Budget.objects.filter(fund=world.csa, year=next_year).exists()
    position = fund_position(fund=world.safety, year=world.year)
    assert (position.committed, position.paid) == (D("4000.00"), D("4000.00"))

    with pytest.raises(ValidationError) as caught:
        services.year_end_close(actor=world.cfo, year=world.year, reason="Again")
    assert messages(caught) == "2026/27 is already closed"


def test_a_closed_year_takes_no_new_money(world):
    world.budget(world.safety, "1000")
    commitment = world.approved(world.safety, "1000")
    services.payment_record(
        actor=world.finance, commitment=commitment, amount="100", paid_on=dt.date(2026, 12, 1), reference="P1"
    )
    services.year_end_close(actor=world.cfo, year=world.year, reason="Closed")
    closed = "2026/27 is closed; money cannot change in a closed year. Choose an open year"
    with pytest.raises(ValidationError) as caught:
        services.commitment_plan(
            actor=world.finance, fund=world.safety, year=world.year, agreement=AgreementFactory(), amount="1"
        )
    assert caught.value.message_dict["year"] == [closed]
    with pytest.raises(ValidationError) as caught:
        world.budget(world.safety, "5")
    assert caught.value.message_dict["year"] == [closed]
    with pytest.raises(ValidationError):
        services.payment_record(
            actor=world.finance, commitment=commitment, amount="1", paid_on=dt.date(2027, 4, 2), reference="P2"
        )


def test_a_repayment_after_the_close_is_carried_into_next_year(world):
    world.budget(world.safety, "1000")
    commitment = world.approved(world.safety, "1000")
    services.payment_record(
        actor=world.finance, commitment=commitment, amount="1000", paid_on=dt.date(2026, 12, 1), reference="P1"
    )
    services.year_end_close(actor=world.cfo, year=world.year, reason="Closed")
    repayment = services.repayment_request(actor=world.finance, commitment=commitment, amount="300", reason="Audit")
    services.repayment_receive(actor=world.finance, repayment=repayment, paid_on=dt.date(2027, 5, 1), reference="R1")
    next_year = FinancialYear.objects.get(start_year=2027)
    assert lines(world.safety, next_year) == [("carry_forward", D("300.00"))]
    assert budget_of(world.safety, next_year) == D("300.00")


def test_only_the_cfo_closes_a_year(world):
    with pytest.raises(PermissionDenied):
        services.year_end_close(actor=world.finance, year=world.year, reason="Closed")
    with pytest.raises(ValidationError):
        services.year_end_close(actor=world.cfo, year=world.year, reason="")


def test_a_second_year_is_independent(world):
    later = FinancialYearFactory(start_year=2027)
    world.budget(world.safety, "1000")
    world.budget(world.safety, "50", year=later)
    assert fund_position(fund=world.safety, year=later).budget == D("50.00")
    assert Payment.objects.count() == 0


def test_ring_fenced_factory_is_ring_fenced(db):
    assert RingFencedFundFactory().is_ring_fenced
    assert ServiceFactory().ring_fences.count() == 0


def test_year_end_rejects_transfers_not_yet_decided(world):
    world.budget(world.safety, "1000")
    virement = services.virement_request(
        actor=world.finance, year=world.year, from_fund=world.safety, to_fund=world.core, amount="10", reason="Move"
    )
    services.year_end_close(actor=world.cfo, year=world.year, reason="Closed")
    virement.refresh_from_db()
    assert virement.status == Virement.Status.REJECTED
    assert virement.decision_note == "Not decided before 2026/27 closed"


def test_every_budget_change_is_in_the_history_with_who_and_why(world):
    services.budget_set_total(
        actor=world.cfo, fund=world.safety, year=world.year, amount="1234.56", reason="SMT approved the budget"
    )
    budget = Budget.objects.get(fund=world.safety, year=world.year)
    assert [
        (h.history_type, h.history_user, h.history_change_reason) for h in budget.history.order_by("history_id")
    ] == [
        ("+", world.cfo, "SMT approved the budget"),
        ("~", world.cfo, "SMT approved the budget"),
    ]
    line = budget.lines.get()
    assert (line.created_by, line.description) == (world.cfo, "Budget set to £1,234.56: SMT approved the budget")
    record = line.history.get()
    assert (record.history_user, record.history_change_reason) == (world.cfo, "SMT approved the budget")
