"""Commitments of a fund to an agreement, their payment schedules, payments and repayments (issue 4, point 4).

planned → approved → committed → released. Approval is where money leaves the fund's available budget, so it
takes the Budget row lock and recomputes what is committed under it; a variation that raises the amount does
the same. Payments never exceed a commitment's live amount; a repayment received hands the money back.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from commissioning.core.dates import long_date
from commissioning.core.models import separate_commitment_approval
from commissioning.core.money import format_money, to_money
from commissioning.core.services import require, save_with_history
from commissioning.funds.models import (
    Commitment,
    FinancialYear,
    Fund,
)
from commissioning.funds.services._common import (
    SPENDING,
    check_fits,
    check_ring_fence,
    check_total_fits,
    live,
    lock_budget,
    lock_commitment,
    money,
    need_reason,
    net_paid,
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


def fund_money_lock(*, fund_id: int, year_id: int) -> None:
    """Lock one fund's budget in one year for another app's decision that promises its money (a grant round's
    awards, for example): the same Budget row commitments lock, taken before the money is checked, so two
    decisions at once are checked one after the other and cannot both spend the same pound (docs/decisions/0002).
    Call it inside the deciding transaction, after locking the deciding app's own rows."""
    lock_budget(fund_id=fund_id, year_id=year_id)


@transaction.atomic
def commitment_plan_in_year(*, actor, fund: Fund, start_year: int, agreement, amount, reason: str = "") -> Commitment:
    """commitment_plan in the financial year starting in `start_year`, opening that year when it is new."""
    year = financial_year_get_or_create(start_year=start_year)
    return commitment_plan(actor=actor, fund=fund, year=year, agreement=agreement, amount=amount, reason=reason)


@transaction.atomic
def commitment_approve(*, actor, commitment: Commitment, reason: str = "", decision=None) -> Commitment:
    """Approve a planned commitment: refused over budget, against a ring-fence, or in a closed year.

    The budget row is locked (select_for_update; SQLite's IMMEDIATE transactions serialise writers) and the
    fund's live commitments are summed under that lock, so two approvals at once cannot spend the same pound.

    Separation of duties: whoever planned the commitment cannot approve it, unless the OPCC's profile turns the
    rule off (settings.separate_commitment_approval). An approval carried out under a recorded PCC `decision`
    (a grant award accepted, a one-off grant decided) has that decision as its authority instead.
    """
    require(actor, "funds.approve_commitment", commitment)
    budget, commitment = _lock(commitment)
    _status_is(commitment, Commitment.Status.PLANNED, doing="be approved")
    if decision is None and commitment.created_by_id == actor.pk and separate_commitment_approval():
        raise ValidationError(
            "You planned this commitment, so someone else must approve it. Ask another finance officer or the "
            "Chief Finance Officer"
        )
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
    check_total_fits(
        new_live + to_money(commitment.released_amount),
        before=to_money(commitment.released_amount),
        what="the commitment (with what was released from it)",
    )
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


@transaction.atomic
def commitment_release_above(*, actor, commitment: Commitment, keep, reason: str) -> tuple[Commitment, object]:
    """Release everything unpaid in the commitment beyond `keep` (money still to pay under it), read under the
    budget lock; keep £0 to release it all. Returns the commitment and the amount released (£0 when nothing is
    above `keep`). Used when an agreement ends or is terminated early (agreements.services.exits)."""
    require_any(actor, _perms_to_change(commitment), commitment)
    keep = money(keep, field="still_to_pay")
    if keep < 0:
        raise ValidationError({"still_to_pay": "Enter £0.00 or more"})
    _, locked = _lock(commitment)
    _status_is(locked, Commitment.Status.PLANNED, *SPENDING, doing="be released")
    unspent = live(locked) - net_paid(locked)
    if keep > unspent:
        raise ValidationError(
            {
                "still_to_pay": f"Only {format_money(unspent)} of the {locked.year.label} commitment from "
                f"{the(locked.fund)} is unpaid; enter {format_money(unspent)} or less"
            }
        )
    amount = unspent - keep
    if amount <= 0:
        return locked, amount
    if locked.status == Commitment.Status.PLANNED and keep > 0:
        # A planned commitment is released whole or reduced; reduce it to what is still to pay.
        locked = commitment_vary(actor=actor, commitment=locked, amount=keep, reason=reason)
        return locked, amount
    released = commitment_release(actor=actor, commitment=locked, amount=None if keep == 0 else amount, reason=reason)
    return released, amount
