"""Transfers between funds (virements) and the year-end close with carry-forward (issue 4, point 4)."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from commissioning.core.money import to_money
from commissioning.core.services import require, save_with_history
from commissioning.funds.models import (
    Budget,
    BudgetLine,
    Commitment,
    FinancialYear,
    Fund,
    Payment,
    ScheduledPayment,
    Virement,
)
from commissioning.funds.services._common import (
    ZERO,
    add_line,
    check_fits,
    fund_and_ancestors,
    live,
    lock_budget,
    lock_budgets,
    money,
    need_reason,
    recompute,
    require_open,
    ring_fences_of,
    the,
)
from commissioning.funds.services.budgets import financial_year_get_or_create


def _check_virement_ring_fence(*, from_fund: Fund, to_fund: Fund) -> None:
    """Ring-fenced money may move only within its ring-fence (to the fund itself or one of its parts)."""
    inside = {f.pk for f in fund_and_ancestors(to_fund)}
    for fence in ring_fences_of(from_fund):
        if fence.pk not in inside:
            raise ValidationError(
                {
                    "to_fund": f"{the(fence)} is ring-fenced; its money can move only to funds within that "
                    f"ring-fence. Choose {fence.name} or one of its parts"
                }
            )


@transaction.atomic
def virement_request(*, actor, year: FinancialYear, from_fund: Fund, to_fund: Fund, amount, reason: str) -> Virement:
    """Ask to move budget from one fund to another in a year; it takes effect when the CFO approves it."""
    require(actor, "funds.request_virement", from_fund)
    reason = need_reason(reason, what="the money should move")
    amount = money(amount)
    if amount <= 0:
        raise ValidationError({"amount": "Enter an amount more than £0.00"})
    if from_fund.pk == to_fund.pk:
        raise ValidationError({"to_fund": "Choose a different fund to move the money to"})
    year = require_open(year.pk)
    _check_virement_ring_fence(from_fund=from_fund, to_fund=to_fund)
    # A first look, so nobody asks for money that is not there; approval checks again under the lock.
    budget = Budget.objects.filter(fund=from_fund, year=year).first()
    check_fits(budget=budget, fund=from_fund, year=year, needs=amount, what="this transfer")
    virement = Virement(
        year=year, from_fund=from_fund, to_fund=to_fund, amount=amount, reason=reason, requested_by=actor
    )
    save_with_history(virement, actor=actor, reason=reason)
    return virement


@transaction.atomic
def virement_decide(*, actor, virement: Virement, approve: bool, note: str = "") -> Virement:
    """The Chief Finance Officer (not the person who asked) approves or rejects a transfer.

    Approval locks both budgets in primary-key order, so two transfers at once cannot deadlock, checks the
    source still has the money available, and writes the -/+ VIREMENT lines.
    """
    if virement.requested_by_id == actor.pk:
        raise PermissionDenied("You asked for this transfer, so someone else must decide it")
    require(actor, "funds.approve_virement", virement)
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": "Enter why the transfer is rejected"})
    virement = (
        Virement.objects.select_for_update(of=("self",)).select_related("from_fund", "to_fund").get(pk=virement.pk)
    )
    if virement.status != Virement.Status.REQUESTED:
        raise ValidationError(
            {"approve": f"This transfer is already {virement.get_status_display().lower()}; it cannot be decided again"}
        )
    if approve:
        year = require_open(virement.year_id)
        source, target = virement.from_fund, virement.to_fund
        _check_virement_ring_fence(from_fund=source, to_fund=target)
        budgets = lock_budgets(
            year_id=year.pk, fund_ids=[source.pk, target.pk], create=True, actor=actor, reason=f"Transfer {virement.pk}"
        )
        amount = to_money(virement.amount)
        check_fits(budget=budgets[source.pk], fund=source, year=year, needs=amount, what="this transfer")
        why = f"Transfer {virement.pk} approved: {virement.reason}"
        add_line(
            budgets[source.pk],
            actor=actor,
            kind=BudgetLine.Kind.VIREMENT,
            amount=-amount,
            description=f"To {target.name}: {virement.reason}",
            reason=why,
        )
        add_line(
            budgets[target.pk],
            actor=actor,
            kind=BudgetLine.Kind.VIREMENT,
            amount=amount,
            description=f"From {source.name}: {virement.reason}",
            reason=why,
        )
        for budget in budgets.values():
            recompute(budget, actor=actor, reason=why)
    virement.status = Virement.Status.APPROVED if approve else Virement.Status.REJECTED
    virement.decided_by, virement.decided_at, virement.decision_note = actor, timezone.now(), note[:300]
    save_with_history(virement, actor=actor, reason=note or ("Approved" if approve else "Rejected"))
    return virement


# --- Year end -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundYearEnd:
    """One fund's year-end: underspend = budget - paid (net of repayments). `budget` is the budget as it stood
    before the close took the carried-forward money out of it."""

    fund: Fund
    budget: Decimal
    paid: Decimal
    released: Decimal  # unpaid money of approved and committed commitments handed back at the close
    underspend: Decimal
    carried_forward: Decimal  # into next year's budget; zero where the fund does not allow carry-forward


@transaction.atomic
def year_end_close(*, actor, year: FinancialYear, reason: str) -> list[FundYearEnd]:
    """Close a financial year (the Chief Finance Officer).

    Every commitment's unpaid remainder is released (planned ones are dropped), due scheduled payments are
    cancelled and open transfer requests rejected. Each budget's underspend (budget - net paid) is carried into
    next year's budget for the fund as a CARRY_FORWARD line where the fund allows it (annual grants such as the
    MoJ victims grant do not), and taken out of the closing year's budget by a matching negative CARRY_FORWARD
    line, so the closed year shows nothing available that next year also counts. The year is then closed to new
    commitments and payments. Returns one row per fund with a budget, in fund order.
    """
    require(actor, "funds.close_year", year)
    reason = need_reason(reason, what="the year is being closed")
    year = FinancialYear.objects.select_for_update().get(pk=year.pk)
    if year.status == FinancialYear.Status.CLOSED:
        raise ValidationError({"year": f"{year.label} is already closed"})
    # Locks in the module-wide order: year, virements, budgets, commitments, scheduled payments.
    open_virements = list(
        Virement.objects.select_for_update().filter(year=year, status=Virement.Status.REQUESTED).order_by("pk")
    )
    budgets = list(Budget.objects.select_for_update(of=("self",)).filter(year=year).select_related("fund"))
    budgets.sort(key=lambda b: b.pk)
    commitments = list(Commitment.objects.select_for_update().filter(year=year).order_by("pk"))
    paid_by_commitment = {
        row["commitment_id"]: to_money(row["total"])
        for row in Payment.objects.filter(commitment__year=year).values("commitment_id").annotate(total=Sum("amount"))
    }
    released_by_fund: dict[int, Decimal] = {}
    paid_by_fund: dict[int, Decimal] = {}
    for commitment in commitments:
        paid = paid_by_commitment.get(commitment.pk, ZERO)
        paid_by_fund[commitment.fund_id] = paid_by_fund.get(commitment.fund_id, ZERO) + paid
        if commitment.status == Commitment.Status.RELEASED:
            continue
        unspent = live(commitment) - paid
        if commitment.status != Commitment.Status.PLANNED:
            released_by_fund[commitment.fund_id] = released_by_fund.get(commitment.fund_id, ZERO) + unspent
        commitment.released_amount = to_money(commitment.released_amount) + unspent
        commitment.status = Commitment.Status.RELEASED
        save_with_history(commitment, actor=actor, reason=f"Year end: {reason}")
    due = ScheduledPayment.objects.select_for_update().filter(commitment__year=year, status=ScheduledPayment.Status.DUE)
    for row in due:
        row.status = ScheduledPayment.Status.CANCELLED
        save_with_history(row, actor=actor, reason=f"Year end: {reason}")
    for virement in open_virements:
        virement.status, virement.decided_by, virement.decided_at = Virement.Status.REJECTED, actor, timezone.now()
        virement.decision_note = f"Not decided before {year.label} closed"
        save_with_history(virement, actor=actor, reason=virement.decision_note)

    summary = []
    next_year = None
    for budget in budgets:
        fund = budget.fund
        paid = paid_by_fund.get(fund.pk, ZERO)
        closing_budget = to_money(budget.amount)
        underspend = closing_budget - paid
        carried = underspend if fund.allows_carry_forward and underspend > 0 else ZERO
        if carried:
            if next_year is None:
                next_year = financial_year_get_or_create(start_year=year.start_year + 1)
                require_open(next_year.pk)
            next_budget = lock_budget(
                fund_id=fund.pk, year_id=next_year.pk, create=True, actor=actor, reason=f"Year end: {reason}"
            )
            add_line(
                next_budget,
                actor=actor,
                kind=BudgetLine.Kind.CARRY_FORWARD,
                amount=carried,
                description=f"Underspend carried forward from {year.label}",
                reason=f"Year end: {reason}",
            )
            recompute(next_budget, actor=actor, reason=f"Year end: {reason}")
            # The money now sits in next year's budget, so take it out of this year's: otherwise the closed
            # year would still show it as available and the same pounds would be counted twice.
            add_line(
                budget,
                actor=actor,
                kind=BudgetLine.Kind.CARRY_FORWARD,
                amount=-carried,
                description=f"Carried forward to {next_year.label}",
                reason=f"Year end: {reason}",
            )
            recompute(budget, actor=actor, reason=f"Year end: {reason}")
        summary.append(
            FundYearEnd(
                fund=fund,
                budget=closing_budget,
                paid=paid,
                released=released_by_fund.get(fund.pk, ZERO),
                underspend=underspend,
                carried_forward=carried,
            )
        )
    year.status, year.closed_at, year.closed_by = FinancialYear.Status.CLOSED, timezone.now(), actor
    save_with_history(year, actor=actor, reason=reason)
    summary.sort(key=lambda row: (row.fund.order, row.fund.name))
    return summary
