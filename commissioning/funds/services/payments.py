"""Payment schedules, payments and repayments (claw-back) under a commitment: every write, each in one transaction."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning.core.dates import FinancialYear as FY
from commissioning.core.dates import add_months, long_date
from commissioning.core.money import allocate, format_money, to_money
from commissioning.core.services import require, save_with_history
from commissioning.funds.models import (
    BudgetLine,
    Commitment,
    FinancialYear,
    Payment,
    Repayment,
    ScheduledPayment,
)
from commissioning.funds.services._common import (
    SPENDING,
    ZERO,
    add_line,
    live,
    lock_budget,
    money,
    need_reason,
    net_paid,
    recompute,
    require_open,
    respread_schedule,
)
from commissioning.funds.services.budgets import financial_year_get_or_create
from commissioning.funds.services.commitments import FREQUENCIES, _lock, _status_is

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


def payment_date_problem(*, commitment: Commitment, paid_on: dt.date, repayment: bool = False) -> str | None:
    """Why a payment under `commitment` cannot be dated `paid_on`, or None (ADR 0007: a payment belongs to the
    financial year of its date).

    A payment out is dated within its commitment's financial year and never before the agreement starts; money
    for another year is paid under that year's commitment. A repayment received is dated when the money came
    back: never before the agreement starts or its commitment's year begins, and it may be after that year.
    The payment import asks the same question of each row (funds.imports), so the rule lives here only.
    """
    fy, agreement = commitment.year.fy, commitment.agreement
    when = long_date(paid_on)
    if paid_on < agreement.starts_on:
        return (
            f"Agreement {agreement.reference} starts on {long_date(agreement.starts_on)}; "
            f"{'money cannot come back' if repayment else 'a payment cannot be made'} under it before then. "
            f"Enter {long_date(agreement.starts_on)} or later"
        )
    if paid_on < fy.starts_on or (not repayment and paid_on > fy.ends_on):
        if repayment:
            return f"{when} is before {fy.label}, the year of this commitment; enter the date the money came back"
        other = FY.for_date(paid_on).label
        return (
            f"{when} is in {other}, but this commitment is for {fy.label}: a payment belongs to the year of its "
            f"date. Enter a date from {long_date(fy.starts_on)} to {long_date(fy.ends_on)}, or record it under "
            f"a {other} commitment"
        )
    return None


def check_payment_date(*, commitment: Commitment, paid_on, field: str = "paid_on", repayment: bool = False) -> None:
    """Raise the ValidationError {field: why} when `paid_on` cannot be the date of a payment under `commitment`."""
    if not isinstance(paid_on, dt.date):
        raise ValidationError(
            {field: "Enter the date the money was received" if repayment else "Enter the date the payment was made"}
        )
    problem = payment_date_problem(commitment=commitment, paid_on=paid_on, repayment=repayment)
    if problem:
        raise ValidationError({field: problem})


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
    check_payment_date(commitment=commitment, paid_on=paid_on)
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
    check_payment_date(commitment=commitment, paid_on=paid_on, repayment=True)
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
