"""Helpers shared by the funds services: permission to change a commitment, locks, sums and messages."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import DecimalField, F, Sum, Value
from django.db.models.functions import Coalesce

from commissioning.core.money import ZERO, allocate, format_money, money_limit, to_money, too_large_message
from commissioning.core.services import attribute, save_with_history
from commissioning.funds.models import (
    COUNTED,
    Budget,
    BudgetLine,
    Commitment,
    FinancialYear,
    Fund,
    Payment,
    ScheduledPayment,
)
from commissioning.funds.selectors import fund_position

MONEY_OUT = DecimalField(max_digits=16, decimal_places=2)
# Statuses whose live amount (amount - released_amount) counts against the budget.
# Statuses under which money may still be paid.
SPENDING = (Commitment.Status.APPROVED, Commitment.Status.COMMITTED)


def require_any(actor, perms, obj=None) -> None:
    if not any(actor.has_perm(perm, obj) for perm in perms):
        raise PermissionDenied


def delete(instance, *, actor, reason: str) -> None:
    attribute(instance, actor=actor, reason=reason)
    instance.delete()


def money(value, *, field: str = "amount") -> Decimal:
    try:
        amount = to_money(value)
    except (TypeError, ValueError):
        raise ValidationError({field: "Enter an amount of money in pounds and pence, like 1250.00"}) from None
    if abs(amount) >= money_limit():
        raise ValidationError({field: too_large_message(negative=amount < 0)})
    return amount


def need_reason(reason: str, *, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": f"Enter why {what}; it is kept in the history"})
    return reason


def the(fund: Fund) -> str:
    return fund.name if fund.name.lower().startswith("the ") else f"The {fund.name}"


def require_open(year_id: int) -> FinancialYear:
    """Read the year afresh (a caller's copy may predate a close that committed while we waited for a lock)."""
    year = FinancialYear.objects.get(pk=year_id)
    if year.status != FinancialYear.Status.OPEN:
        raise ValidationError(
            {"year": f"{year.label} is closed; money cannot change in a closed year. Choose an open year"}
        )
    return year


def lock_budgets(*, year_id: int, fund_ids, create: bool, actor=None, reason: str = "") -> dict[int, Budget]:
    """Lock the budgets of these funds in one year, in primary-key order; {fund id: Budget}.

    With create, missing budgets are opened first (empty, recorded in the history as `actor`); a budget opened by
    someone else at the same moment is simply used.
    """
    fund_ids = sorted(set(fund_ids))
    if create:
        have = set(Budget.objects.filter(year_id=year_id, fund_id__in=fund_ids).values_list("fund_id", flat=True))
        for fund_id in fund_ids:
            if fund_id in have:
                continue
            budget = Budget(fund_id=fund_id, year_id=year_id)
            attribute(budget, actor=actor, reason=reason or "Budget opened")
            try:
                with transaction.atomic():
                    budget.save()
            except IntegrityError:
                pass
    locked = Budget.objects.select_for_update().filter(year_id=year_id, fund_id__in=fund_ids).order_by("pk")
    return {budget.fund_id: budget for budget in locked}


def lock_budget(*, fund_id: int, year_id: int, create: bool = False, actor=None, reason: str = "") -> Budget | None:
    return lock_budgets(year_id=year_id, fund_ids=[fund_id], create=create, actor=actor, reason=reason).get(fund_id)


def lock_commitment(pk: int) -> Commitment:
    return (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("fund", "year", "agreement__service")
        .get(pk=pk)
    )


def committed_total(*, fund_id: int, year_id: int) -> Decimal:
    """Live commitments of one fund in one year, summed in the database (call it under the budget lock)."""
    total = Commitment.objects.filter(fund_id=fund_id, year_id=year_id, status__in=COUNTED).aggregate(
        total=Coalesce(Sum(F("amount") - F("released_amount"), output_field=MONEY_OUT), Value(ZERO))
    )["total"]
    return to_money(total)


def net_paid(commitment: Commitment) -> Decimal:
    total = Payment.objects.filter(commitment_id=commitment.pk).aggregate(
        total=Coalesce(Sum("amount", output_field=MONEY_OUT), Value(ZERO))
    )["total"]
    return to_money(total)


def live(commitment: Commitment) -> Decimal:
    return to_money(commitment.amount) - to_money(commitment.released_amount)


def shortfall_message(*, fund: Fund, year: FinancialYear, available: Decimal, needs: Decimal, what: str) -> str:
    parts = _parts_available(fund=fund, year=year)
    if parts is None:
        return (
            f"{the(fund)} has {format_money(available)} available in {year.label}; {what} needs "
            f"{format_money(needs)}, {format_money(needs - available)} more than is available. "
            f"Reduce the amount, or add money to the fund's budget first"
        )
    # A fund with parts: the figure checked is its own money, as its page shows ("Available to commit from ... itself").
    return (
        f"{the(fund)} has {format_money(available)} of its own available in {year.label} (its parts hold "
        f"{format_money(parts)} more, which is theirs); {what} needs {format_money(needs)}, "
        f"{format_money(needs - available)} more than the fund has of its own. Commit from one of its parts, "
        f"reduce the amount, or add money to the fund's own budget first"
    )


def _parts_available(*, fund: Fund, year: FinancialYear) -> Decimal | None:
    """What a fund's parts have available in the year (None for a fund without parts). Read on refusal only."""
    if not Fund.objects.filter(parent=fund).exists():
        return None
    position = fund_position(fund=fund, year=year)
    return position.available - position.own_available


def check_fits(*, budget: Budget | None, fund: Fund, year: FinancialYear, needs: Decimal, what: str) -> None:
    """Refuse unless `needs` fits in what the (locked) budget has left after its live commitments."""
    budget_amount = to_money(budget.amount) if budget else ZERO
    available = budget_amount - committed_total(fund_id=fund.pk, year_id=year.pk)
    if needs > available:
        raise ValidationError(
            {"amount": shortfall_message(fund=fund, year=year, available=available, needs=needs, what=what)}
        )


def fund_and_ancestors(fund: Fund) -> list[Fund]:
    chain, seen = [], set()
    while fund is not None and fund.pk not in seen:
        chain.append(fund)
        seen.add(fund.pk)
        fund = fund.parent
    return chain


def ring_fences_of(fund: Fund) -> list[Fund]:
    """The ring-fenced funds whose money this fund holds: itself or any fund it is part of."""
    return [f for f in fund_and_ancestors(fund) if f.is_ring_fenced]


def _purpose(fence: Fund) -> str:
    """The ring-fence purpose to read mid-sentence: "Victims of ..." becomes "victims of ..." (not "ISVA")."""
    text = fence.ring_fence_purpose.strip().rstrip(".")
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]
    return text


def check_ring_fence(*, fund: Fund, service) -> None:
    """Ring-fenced money may only fund services of its purpose (seed, Section 3: Victims Fund, CSA part)."""
    fences = ring_fences_of(fund)
    if not fences:
        return
    served = set(service.ring_fences.values_list("pk", flat=True))
    for fence in fences:
        if fence.pk not in served:
            held = "" if fence.pk == fund.pk else f" (the {fund.name} is part of it)"
            raise ValidationError(
                {
                    "fund": f"{the(fence)} is ring-fenced for {_purpose(fence)}"
                    f"{held}; this service is not marked as serving that purpose. Choose a different fund, or "
                    f"record in the register that {service.name} serves that purpose"
                }
            )


def recompute(budget: Budget, *, actor, reason: str) -> Budget:
    """Make the budget's amount the sum of its lines (in the same transaction as the lines changed)."""
    total = to_money(
        budget.lines.aggregate(total=Coalesce(Sum("amount", output_field=MONEY_OUT), Value(ZERO)))["total"]
    )
    if abs(total) >= money_limit():
        check_total_fits(total, before=to_money(budget.amount), what=f"the budget of {budget.fund} for {budget.year}")
    if to_money(budget.amount) != total:
        budget.amount = total
        save_with_history(budget, actor=actor, reason=reason)
    return budget


def check_total_fits(total: Decimal, *, before: Decimal, what: str, field: str = "amount") -> None:
    """A total that money columns cannot hold (£1,000,000,000,000 or more) is refused in plain words, naming how
    much can still be added, rather than failing in the database."""
    limit = money_limit()
    if abs(total) < limit:
        return
    raise ValidationError(
        {
            field: f"This would take {what} to {format_money(total)}; a total must stay below £{limit:,}. "
            f"Enter an amount less than {format_money(max(limit - abs(before), ZERO))}"
        }
    )


def check_covers_commitments(budget: Budget, *, fund: Fund, year: FinancialYear, action: str) -> None:
    committed = committed_total(fund_id=fund.pk, year_id=year.pk)
    if to_money(budget.amount) < committed:
        raise ValidationError(
            {
                "amount": f"{action} would leave {the(fund)} with a budget of {format_money(budget.amount)} in "
                f"{year.label}, below the {format_money(committed)} already committed from it. Release or reduce "
                f"commitments first, or keep the budget at {format_money(committed)} or more"
            }
        )


def add_line(budget: Budget, *, actor, kind: str, amount: Decimal, description: str, reason: str, stream=None):
    line = BudgetLine(
        budget=budget, kind=kind, amount=amount, stream=stream, description=description[:300], created_by=actor
    )
    save_with_history(line, actor=actor, reason=reason)
    return line


def respread_schedule(commitment: Commitment, *, actor, reason: str) -> None:
    """Keep the due scheduled payments adding up to what is left to pay (live amount - net paid)."""
    due = list(commitment.schedule.select_for_update().filter(status=ScheduledPayment.Status.DUE))
    if not due:
        return
    remaining = live(commitment) - net_paid(commitment)
    parts = allocate(remaining, [1] * len(due)) if remaining > 0 else [ZERO] * len(due)
    for row, part in zip(due, parts, strict=True):
        if part <= 0:
            row.status = ScheduledPayment.Status.CANCELLED
        elif row.amount == part:
            continue
        else:
            row.amount = part
        save_with_history(row, actor=actor, reason=reason)
