"""Commitments of a fund to an agreement, their payment schedules, payments and repayments (issue 4, point 4).

planned → approved → committed → released. Approval is where money leaves the fund's available budget, so it
takes the Budget row lock and recomputes what is committed under it; a variation that raises the amount does
the same. Payments never exceed a commitment's live amount; a repayment received hands the money back.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning.core.dates import add_months, long_date
from commissioning.core.money import allocate, format_money, to_money
from commissioning.core.services import require, save_with_history
from commissioning.funds.models import (
    BudgetLine,
    Commitment,
    FinancialYear,
    Fund,
    Payment,
    Repayment,
    ScheduledPayment,
)
from commissioning.funds.services._common import (
    SPENDING,
    ZERO,
    add_line,
    check_fits,
    check_ring_fence,
    live,
    lock_budget,
    lock_commitment,
    money,
    need_reason,
    net_paid,
    recompute,
    require_any,
    require_open,
    respread_schedule,
    the,
)
from commissioning.funds.services.budgets import financial_year_get_or_create

FREQUENCIES = {"monthly": 1, "quarterly": 3, "annual": 12}
ENDED_AGREEMENT = ("ended", "terminated")


def _status_is(commitment: Commitment, *allowed: str, doing: str) -> None:
    if commitment.status not in allowed:
        labels = [Commitment.Status(s).label.lower() for s in allowed]
        names = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} or {labels[-1]}"
        raise ValidationError(
            {"status": f"This commitment is {commitment.get_status_display().lower()}; only {names} ones can {doing}"}
        )


def _perms_to_change(commitment: Commitment) -> tuple[str, ...]:
    """A planned commitment may be changed by whoever may plan or approve; after approval, only approvers."""
    if commitment.status == Commitment.Status.PLANNED:
        return ("funds.plan_commitment", "funds.approve_commitment")
    return ("funds.approve_commitment",)


def _lock(commitment: Commitment):
    """Lock the commitment's budget, then the commitment itself (the module-wide lock order); re-read both."""
    budget = lock_budget(fund_id=commitment.fund_id, year_id=commitment.year_id)
    return budget, lock_commitment(commitment.pk)


@transaction.atomic
def commitment_plan(*, actor, fund: Fund, year: FinancialYear, agreement, amount, reason: str = "") -> Commitment:
    """Plan money from `fund` in `year` for `agreement`. Planned money does not yet count against the budget."""
    require(actor, "funds.plan_commitment", fund)
    amount = money(amount)
    if amount <= 0:
        raise ValidationError({"amount": "Enter an amount more than £0.00"})
    year = require_open(year.pk)
    if agreement.status in ENDED_AGREEMENT:
        raise ValidationError(
            {
                "agreement": f"Agreement {agreement.reference} has {agreement.get_status_display().lower()}; "
                "choose an agreement that is in draft or active"
            }
        )
    fy = year.fy
    if agreement.starts_on > fy.ends_on or agreement.ends_on < fy.starts_on:
        raise ValidationError(
            {
                "year": f"Agreement {agreement.reference} runs from {long_date(agreement.starts_on)} to "
                f"{long_date(agreement.ends_on)}, outside {year.label}; choose a year the agreement covers"
            }
        )
    check_ring_fence(fund=fund, service=agreement.service)
    duplicate = ValidationError(
        {
            "agreement": f"{the(fund)} already has a commitment to agreement {agreement.reference} in "
            f"{year.label}; vary that commitment instead"
        }
    )
    if Commitment.objects.filter(fund=fund, year=year, agreement=agreement).exists():
        raise duplicate
    commitment = Commitment(fund=fund, year=year, agreement=agreement, amount=amount, created_by=actor)
    try:
        with transaction.atomic():  # someone planning the same at the same moment gets the same message
            save_with_history(commitment, actor=actor, reason=reason or f"Planned {format_money(amount)}")
    except IntegrityError:
        raise duplicate from None
    return commitment


@transaction.atomic
def commitment_plan_in_year(*, actor, fund: Fund, start_year: int, agreement, amount, reason: str = "") -> Commitment:
    """commitment_plan in the financial year starting in `start_year`, opening that year when it is new."""
    year = financial_year_get_or_create(start_year=start_year)
    return commitment_plan(actor=actor, fund=fund, year=year, agreement=agreement, amount=amount, reason=reason)


@transaction.atomic
def commitment_approve(*, actor, commitment: Commitment, reason: str = "") -> Commitment:
    """Approve a planned commitment: refused over budget, against a ring-fence, or in a closed year.

    The budget row is locked (select_for_update; SQLite's IMMEDIATE transactions serialise writers) and the
    fund's live commitments are summed under that lock, so two approvals at once cannot spend the same pound.
    """
    require(actor, "funds.approve_commitment", commitment)
    budget, commitment = _lock(commitment)
    _status_is(commitment, Commitment.Status.PLANNED, doing="be approved")
    year = require_open(commitment.year_id)
    check_ring_fence(fund=commitment.fund, service=commitment.agreement.service)
    check_fits(budget=budget, fund=commitment.fund, year=year, needs=live(commitment), what="this commitment")
    commitment.status = Commitment.Status.APPROVED
    commitment.approved_by, commitment.approved_at = actor, timezone.now()
    save_with_history(commitment, actor=actor, reason=reason or f"Approved {format_money(live(commitment))}")
    return commitment


@transaction.atomic
def commitment_commit(*, actor, commitment: Commitment, reason: str = "") -> Commitment:
    """Approved → committed: the agreement is signed and the money is contractually promised."""
    require(actor, "funds.approve_commitment", commitment)
    _, commitment = _lock(commitment)
    _status_is(commitment, Commitment.Status.APPROVED, doing="be committed")
    require_open(commitment.year_id)
    commitment.status = Commitment.Status.COMMITTED
    save_with_history(commitment, actor=actor, reason=reason or "Committed")
    return commitment


@transaction.atomic
def commitment_vary(*, actor, commitment: Commitment, amount, reason: str) -> Commitment:
    """Change what the commitment is worth now (its live amount, after anything already released).

    An increase to an approved or committed commitment must fit in the fund's available money (checked under
    the budget lock); no commitment may fall below what has already been paid under it.
    """
    require_any(actor, _perms_to_change(commitment), commitment)
    reason = need_reason(reason, what="the commitment is changing")
    new_live = money(amount)
    if new_live <= 0:
        raise ValidationError({"amount": "Enter an amount more than £0.00; to stop the commitment, release it"})
    budget, commitment = _lock(commitment)
    _status_is(commitment, Commitment.Status.PLANNED, *SPENDING, doing="be varied (a released commitment is finished)")
    year = require_open(commitment.year_id)
    paid = net_paid(commitment)
    if new_live < paid:
        raise ValidationError(
            {
                "amount": f"{format_money(paid)} has already been paid under this commitment; "
                f"enter {format_money(paid)} or more"
            }
        )
    increase = new_live - live(commitment)
    if commitment.status in SPENDING and increase > 0:
        check_fits(budget=budget, fund=commitment.fund, year=year, needs=increase, what="this increase")
    if increase == 0:
        return commitment
    commitment.amount = new_live + to_money(commitment.released_amount)
    save_with_history(commitment, actor=actor, reason=reason)
    respread_schedule(commitment, actor=actor, reason=reason)
    return commitment


@transaction.atomic
def commitment_release(*, actor, commitment: Commitment, amount=None, reason: str) -> Commitment:
    """Hand unspent money back to the fund. Without an amount, everything not yet paid is released and the
    commitment is finished (status released); a planned commitment is always released whole."""
    require_any(actor, _perms_to_change(commitment), commitment)
    reason = need_reason(reason, what="the money is being released")
    _, commitment = _lock(commitment)
    _status_is(commitment, Commitment.Status.PLANNED, *SPENDING, doing="be released")
    require_open(commitment.year_id)
    unspent = live(commitment) - net_paid(commitment)
    if amount is None:
        amount = unspent
    else:
        amount = money(amount)
        if amount <= 0:
            raise ValidationError({"amount": "Enter an amount more than £0.00 to release"})
        if commitment.status == Commitment.Status.PLANNED and amount != unspent:
            raise ValidationError(
                {"amount": "A planned commitment is released whole; to change its amount, vary it instead"}
            )
        if amount > unspent:
            raise ValidationError(
                {
                    "amount": f"Only {format_money(unspent)} of this commitment is unpaid; "
                    f"release {format_money(unspent)} or less"
                }
            )
    commitment.released_amount = to_money(commitment.released_amount) + amount
    if amount == unspent:
        commitment.status = Commitment.Status.RELEASED
    save_with_history(commitment, actor=actor, reason=reason)
    respread_schedule(commitment, actor=actor, reason=reason)
    return commitment


# --- Payment schedules and payments ----------------------------------------------------------------------------


def _periods(year: FinancialYear, *, months: int, in_arrears: bool) -> list[dt.date]:
    """Due dates across the financial year: the last day of each period in arrears, the first in advance."""
    start = year.fy.starts_on
    dates = []
    for index in range(12 // months):
        begins = add_months(start, index * months)
        ends = add_months(start, (index + 1) * months) - dt.timedelta(days=1)
        dates.append(ends if in_arrears else begins)
    return dates


@transaction.atomic
def payment_schedule_create(
    *, actor, commitment: Commitment, frequency: str, in_arrears: bool = True, reason: str = ""
) -> list[ScheduledPayment]:
    """Schedule what is left to pay (live amount - net paid) across the year, e.g. quarterly in arrears.

    Amounts come from allocate, so they add up exactly. A new schedule replaces the due payments of an old one;
    periods on or before the latest payment are skipped.
    """
    require(actor, "funds.record_payment", commitment)
    if frequency not in FREQUENCIES:
        raise ValidationError({"frequency": "Choose monthly, quarterly or annual payments"})
    _, commitment = _lock(commitment)
    _status_is(commitment, Commitment.Status.PLANNED, *SPENDING, doing="have a payment schedule")
    require_open(commitment.year_id)
    remaining = live(commitment) - net_paid(commitment)
    if remaining <= 0:
        raise ValidationError({"frequency": "Everything under this commitment has been paid; there is nothing left"})
    dates = _periods(commitment.year, months=FREQUENCIES[frequency], in_arrears=in_arrears)
    # Nothing falls due before the agreement starts (a payment could not be made then: payment_date_problem).
    starts_on = commitment.agreement.starts_on
    dates = [d for d in dates if d >= starts_on] or [max(dates[-1], starts_on)]
    last_paid = commitment.payments.order_by("-paid_on").values_list("paid_on", flat=True).first()
    if last_paid is not None:
        dates = [d for d in dates if d > last_paid] or dates[-1:]
    reason = reason or f"Scheduled {frequency} {'in arrears' if in_arrears else 'in advance'}"
    for old in commitment.schedule.select_for_update().filter(status=ScheduledPayment.Status.DUE):
        old.status = ScheduledPayment.Status.CANCELLED
        save_with_history(old, actor=actor, reason=reason)
    created = []
    for due_on, part in zip(dates, allocate(remaining, [1] * len(dates)), strict=True):
        if part > 0:
            row = ScheduledPayment(commitment=commitment, due_on=due_on, amount=part)
            save_with_history(row, actor=actor, reason=reason)
            created.append(row)
    return created


def _check_reference(reference: str) -> str:
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": "Enter the finance system's payment reference"})
    clash = Payment.objects.filter(reference=reference).select_related("commitment__agreement").first()
    if clash is not None:
        raise ValidationError(
            {
                "reference": f"Payment reference {reference} is already recorded (paid {long_date(clash.paid_on)} "
                f"under agreement {clash.commitment.agreement.reference}); check the reference and enter it again"
            }
        )
    return reference


def _save_payment(payment: Payment, *, actor, reason: str) -> Payment:
    """Save, turning a reference taken at the same moment by someone else into the same clear message."""
    try:
        with transaction.atomic():
            save_with_history(payment, actor=actor, reason=reason)
    except IntegrityError:
        _check_reference(payment.reference)
        raise
    return payment


@transaction.atomic
def payment_record(
    *,
    actor,
    commitment: Commitment,
    amount,
    paid_on: dt.date,
    reference: str,
    scheduled: ScheduledPayment | None = None,
    reason: str = "",
) -> Payment:
    """Record money paid under an approved or committed commitment in an open year; never more than its live
    amount in total. A scheduled payment it settles is marked paid and the rest of the schedule rebalanced."""
    require(actor, "funds.record_payment", commitment)
    amount = money(amount)
    if amount <= 0:
        raise ValidationError({"amount": "Enter the amount paid, more than £0.00 (record money back as a repayment)"})
    if not isinstance(paid_on, dt.date):
        raise ValidationError({"paid_on": "Enter the date the payment was made"})
    reference = _check_reference(reference)
    _, commitment = _lock(commitment)
    _status_is(commitment, *SPENDING, doing="be paid (approve it first)")
    require_open(commitment.year_id)
    paid = net_paid(commitment)
    left = live(commitment) - paid
    if amount > left:
        raise ValidationError(
            {
                "amount": f"This payment would take payments under this commitment to {format_money(paid + amount)}, "
                f"more than the {format_money(live(commitment))} committed; pay {format_money(left)} or less, or "
                "vary the commitment first"
            }
        )
    if scheduled is not None:
        scheduled = ScheduledPayment.objects.select_for_update().get(pk=scheduled.pk)
        if scheduled.commitment_id != commitment.pk or scheduled.status != ScheduledPayment.Status.DUE:
            raise ValidationError({"scheduled": "Choose a payment that is due under this commitment"})
    payment = Payment(
        commitment=commitment,
        scheduled=scheduled,
        amount=amount,
        paid_on=paid_on,
        reference=reference,
        recorded_by=actor,
    )
    reason = reason or f"Paid {format_money(amount)}, reference {reference}"
    _save_payment(payment, actor=actor, reason=reason)
    if scheduled is not None:
        scheduled.status = ScheduledPayment.Status.PAID
        save_with_history(scheduled, actor=actor, reason=reason)
    respread_schedule(commitment, actor=actor, reason=reason)
    return payment


# --- Repayments (claw-back, PRSRA 2011 s9(3)) ------------------------------------------------------------------


@transaction.atomic
def repayment_request(*, actor, commitment: Commitment, amount, reason: str) -> Repayment:
    """Ask for money back because a grant condition was not met; never more than was paid and not yet asked."""
    require(actor, "funds.record_payment", commitment)
    reason = need_reason(reason, what="the money is being asked back (which condition was not met)")
    amount = money(amount)
    if amount <= 0:
        raise ValidationError({"amount": "Enter the amount to ask back, more than £0.00"})
    _, commitment = _lock(commitment)
    outstanding = sum((r.amount for r in commitment.repayments.filter(status=Repayment.Status.REQUESTED)), start=ZERO)
    can_ask = net_paid(commitment) - outstanding
    if amount > can_ask:
        raise ValidationError(
            {
                "amount": f"{format_money(net_paid(commitment))} has been paid under this commitment and "
                f"{format_money(outstanding)} is already asked back; ask for {format_money(max(can_ask, ZERO))} "
                "or less"
            }
        )
    repayment = Repayment(
        commitment=commitment,
        amount=amount,
        reason=reason,
        requested_by=actor,
        requested_on=timezone.localdate(),
    )
    save_with_history(repayment, actor=actor, reason=reason)
    return repayment


@transaction.atomic
def repayment_receive(*, actor, repayment: Repayment, paid_on: dt.date, reference: str, reason: str = "") -> Payment:
    """Record a repayment received: a negative payment, and the money released from the commitment back to
    the fund. If the year has closed, the money is carried into next year's budget where the fund allows."""
    require(actor, "funds.record_payment", repayment)
    if not isinstance(paid_on, dt.date):
        raise ValidationError({"paid_on": "Enter the date the money was received"})
    reference = _check_reference(reference)
    _, commitment = _lock(repayment.commitment)
    repayment = Repayment.objects.select_for_update().get(pk=repayment.pk)
    if repayment.status != Repayment.Status.REQUESTED:
        raise ValidationError(
            {"status": f"This repayment is already {repayment.get_status_display().lower()}; nothing to receive"}
        )
    amount = to_money(repayment.amount)
    if amount > net_paid(commitment):
        raise ValidationError({"amount": "More would come back than was paid under this commitment; check the amount"})
    reason = reason or f"Repayment of {format_money(amount)} received, reference {reference}"
    payment = Payment(commitment=commitment, amount=-amount, paid_on=paid_on, reference=reference, recorded_by=actor)
    _save_payment(payment, actor=actor, reason=reason)
    repayment.status, repayment.payment = Repayment.Status.RECEIVED, payment
    save_with_history(repayment, actor=actor, reason=reason)
    commitment.released_amount = to_money(commitment.released_amount) + amount
    save_with_history(commitment, actor=actor, reason=reason)
    respread_schedule(commitment, actor=actor, reason=reason)
    year, fund = commitment.year, commitment.fund
    if FinancialYear.objects.get(pk=year.pk).status == FinancialYear.Status.CLOSED and fund.allows_carry_forward:
        next_year = financial_year_get_or_create(start_year=year.start_year + 1)
        require_open(next_year.pk)
        budget = lock_budget(fund_id=fund.pk, year_id=next_year.pk, create=True, actor=actor, reason=reason)
        add_line(
            budget,
            actor=actor,
            kind=BudgetLine.Kind.CARRY_FORWARD,
            amount=amount,
            description=f"Repayment received for {year.label} after the year closed (reference {reference})",
            reason=reason,
        )
        recompute(budget, actor=actor, reason=reason)
        # As at the close: the money moves to next year, so the closed year must not show it as available too.
        closed_budget = lock_budget(fund_id=fund.pk, year_id=year.pk, create=True, actor=actor, reason=reason)
        add_line(
            closed_budget,
            actor=actor,
            kind=BudgetLine.Kind.CARRY_FORWARD,
            amount=-amount,
            description=f"Repayment carried forward to {next_year.label} (reference {reference})",
            reason=reason,
        )
        recompute(closed_budget, actor=actor, reason=reason)
    return payment


@transaction.atomic
def repayment_waive(*, actor, repayment: Repayment, reason: str) -> Repayment:
    """Decide not to collect a requested repayment (the Chief Finance Officer)."""
    require(actor, "funds.waive_repayment", repayment)
    reason = need_reason(reason, what="the repayment is being waived")
    repayment = Repayment.objects.select_for_update().get(pk=repayment.pk)
    if repayment.status != Repayment.Status.REQUESTED:
        raise ValidationError(
            {"status": f"This repayment is already {repayment.get_status_display().lower()}; it cannot be waived"}
        )
    repayment.status = Repayment.Status.WAIVED
    save_with_history(repayment, actor=actor, reason=reason)
    return repayment
