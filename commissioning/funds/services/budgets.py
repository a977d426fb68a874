"""Financial years, funding stream allocations, fund splits and budgets (seed, Section 3: budgets built from
funding streams, the Victims Fund split about 93%/7%)."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from commissioning.core.money import allocate, format_money, to_money
from commissioning.core.services import require, save_with_history
from commissioning.funds.models import (
    Budget,
    BudgetLine,
    FinancialYear,
    Fund,
    FundingStream,
    FundSplit,
    StreamAllocation,
)
from commissioning.funds.selectors import fund_split_on
from commissioning.funds.services._common import (
    add_line,
    check_covers_commitments,
    delete,
    lock_budget,
    lock_budgets,
    money,
    need_reason,
    recompute,
    require_open,
)

HUNDRED = Decimal("100")
MANUAL_LINE_KINDS = (BudgetLine.Kind.ADJUSTMENT, BudgetLine.Kind.PRE_YEAR_REVIEW, BudgetLine.Kind.CARRY_FORWARD)


# --- Fund splits (configuration) --------------------------------------------------------------------------


def split_share_problems(shares: dict[str, Decimal]) -> list[str]:
    """What is wrong with one parent's shares on one date ({child code: percentage}); empty when fine."""
    problems = []
    for code, percentage in shares.items():
        if not Decimal("0") < percentage <= HUNDRED:
            problems.append(f"the share for {code} is {percentage}%; it must be more than 0% and at most 100%")
        elif percentage != percentage.quantize(Decimal("0.01")):
            problems.append(f"the share for {code} ({percentage}%) has more than two decimal places")
    total = sum(shares.values(), Decimal("0"))
    if shares and total != HUNDRED:
        problems.append(f"the shares add up to {total}%, not 100%")
    return problems


@transaction.atomic
def fund_split_set(
    *, parent: Fund, effective_from: dt.date, shares: dict[Fund, Decimal], reason: str = ""
) -> dict[str, int]:
    """Make `shares` the split of `parent` from `effective_from`: adds, changes and removes rows.

    Returns counts {"created", "updated", "unchanged", "deleted"}. Refuses shares that do not add up to 100%.
    """
    problems = split_share_problems({child.code: Decimal(p) for child, p in shares.items()})
    problems += [f"{child.code} is not a sub-fund of {parent.code}" for child in shares if child.parent_id != parent.pk]
    if problems:
        raise ValidationError(problems)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0}
    existing = {s.child_id: s for s in FundSplit.objects.filter(parent=parent, effective_from=effective_from)}
    for child, percentage in shares.items():
        percentage = Decimal(percentage).quantize(Decimal("0.01"))
        split = existing.pop(child.pk, None)
        if split is None:
            split = FundSplit(parent=parent, child=child, effective_from=effective_from, percentage=percentage)
            counts["created"] += 1
        elif split.percentage != percentage:
            split.percentage = percentage
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
            continue
        split._change_reason = reason
        split.full_clean()
        split.save()
    for split in existing.values():
        split.delete()
        counts["deleted"] += 1
    return counts


# --- Financial years and funding streams ----------------------------------------------------------------------


@transaction.atomic
def financial_year_get_or_create(*, start_year: int) -> FinancialYear:
    """The financial year starting 1 April `start_year` (2025 for 2025/26), created open if new."""
    try:
        start_year = int(start_year)
    except (TypeError, ValueError):
        raise ValidationError({"start_year": "Enter the year the financial year starts, like 2025"}) from None
    if not 2000 <= start_year <= 2100:
        raise ValidationError({"start_year": "Enter a year between 2000 and 2100, like 2025 for 2025/26"})
    year, _ = FinancialYear.objects.get_or_create(start_year=start_year)
    return year


@transaction.atomic
def stream_allocation_set(
    *, actor, stream: FundingStream, year: FinancialYear, amount, confirmed: bool = False, reason: str = ""
) -> StreamAllocation:
    """Set a funding stream's amount for a year. Budgets follow when budgets_build_from_streams runs."""
    require(actor, "funds.manage_budget", stream)
    amount = money(amount)
    if amount < 0:
        raise ValidationError({"amount": "Enter the amount the stream provides, £0.00 or more"})
    require_open(year.pk)
    allocation = StreamAllocation.objects.select_for_update().filter(stream=stream, year=year).first()
    if allocation is None:
        allocation = StreamAllocation(stream=stream, year=year)
    elif to_money(allocation.amount) == amount and allocation.confirmed == bool(confirmed):
        return allocation
    allocation.amount, allocation.confirmed = amount, bool(confirmed)
    save_with_history(
        allocation, actor=actor, reason=reason or f"{stream.name} for {year.label} set to {format_money(amount)}"
    )
    return allocation


# --- Budgets ------------------------------------------------------------------------------------------------


def _stream_lines(*, stream: FundingStream, year: FinancialYear, amount: Decimal, splits: dict) -> list[tuple]:
    """Where one stream's money lands: (fund, kind, amount, description), following splits in force on 1 April.

    Each split is shared with allocate, so the sub-funds' parts add up to the parent's exactly.
    """
    on_date = year.fy.starts_on
    lines = []

    def place(fund: Fund, share: Decimal, kind: str, description: str, depth: int) -> None:
        if fund.pk not in splits:
            splits[fund.pk] = sorted(
                fund_split_on(parent=fund, on_date=on_date).items(), key=lambda item: (-item[1], item[0].code)
            )
        shares = splits[fund.pk]
        if not shares or depth > 20:
            lines.append((fund, kind, share, description[:300]))
            return
        parts = allocate(share, [percentage for _, percentage in shares])
        for (child, percentage), part in zip(shares, parts, strict=True):
            place(
                child,
                part,
                BudgetLine.Kind.SPLIT,
                f"{percentage.normalize():f}% of {fund.name} from {stream.name}",
                depth + 1,
            )

    place(stream.fund, amount, BudgetLine.Kind.STREAM, f"{stream.name}, {year.label}", 0)
    return lines


@transaction.atomic
def budgets_build_from_streams(*, actor, year: FinancialYear, reason: str = "") -> list[Budget]:
    """Build each fund's STREAM and SPLIT budget lines for `year` from the year's stream allocations.

    A stream's money goes to the fund it pays into; where that fund has a split in force on 1 April (e.g. the
    Victims Fund's 93%/7%), it is shared between the sub-funds to the penny, and so on down. Rebuilding replaces
    the year's STREAM and SPLIT lines and leaves carry-forward, virements, reviews and adjustments alone;
    running it twice changes nothing. Refused if any budget would fall below what is committed from it.
    Returns the budgets that hold stream money, by fund.
    """
    require(actor, "funds.manage_budget", year)
    year = require_open(year.pk)
    reason = reason or f"Budgets for {year.label} built from funding streams"
    allocations = StreamAllocation.objects.filter(year=year).select_related("stream__fund").order_by("stream__code")
    wanted: dict[int, list[tuple]] = {}
    funds: dict[int, Fund] = {}
    splits: dict = {}
    for allocation in allocations:
        amount = to_money(allocation.amount)
        for fund, kind, share, description in _stream_lines(
            stream=allocation.stream, year=year, amount=amount, splits=splits
        ):
            if share == 0:
                continue
            funds[fund.pk] = fund
            wanted.setdefault(fund.pk, []).append((kind, allocation.stream_id, share, description))
    built_kinds = (BudgetLine.Kind.STREAM, BudgetLine.Kind.SPLIT)
    existing_ids = set(
        BudgetLine.objects.filter(budget__year=year, kind__in=built_kinds).values_list("budget__fund_id", flat=True)
    )
    for fund in Fund.objects.filter(pk__in=existing_ids - set(funds)):
        funds[fund.pk] = fund
    budgets = lock_budgets(year_id=year.pk, fund_ids=funds, create=True, actor=actor, reason=reason)
    problems = []
    for fund_id in sorted(funds, key=lambda pk: budgets[pk].pk):
        budget, fund = budgets[fund_id], funds[fund_id]
        old = list(budget.lines.filter(kind__in=built_kinds).order_by("id"))
        new = sorted(wanted.get(fund_id, []), key=lambda line: (line[1], line[0], line[3]))
        as_is = sorted((line.kind, line.stream_id, to_money(line.amount), line.description) for line in old)
        if as_is == sorted(new):
            continue
        for line in old:
            delete(line, actor=actor, reason=reason)
        for kind, stream_id, share, description in new:
            line = BudgetLine(
                budget=budget, kind=kind, amount=share, stream_id=stream_id, description=description, created_by=actor
            )
            save_with_history(line, actor=actor, reason=reason)
        recompute(budget, actor=actor, reason=reason)
        try:
            check_covers_commitments(budget, fund=fund, year=year, action="Rebuilding from the funding streams")
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError({"amount": problems})
    return [budgets[pk] for pk in sorted(wanted, key=lambda pk: (funds[pk].order, funds[pk].name))]


@transaction.atomic
def budget_line_add(
    *, actor, fund: Fund, year: FinancialYear, kind: str, amount, description: str, reason: str
) -> BudgetLine:
    """Add an adjustment, pre-year review or carry-forward line (negative to take money out)."""
    require(actor, "funds.manage_budget", fund)
    if kind not in MANUAL_LINE_KINDS:
        raise ValidationError(
            {
                "kind": "Stream and split lines come from the funding streams (build the budgets from streams) and "
                "transfers from approved virements; choose an adjustment, pre-year review or carry-forward line"
            }
        )
    amount = money(amount)
    if amount == 0:
        raise ValidationError({"amount": "Enter an amount other than £0.00; use a minus sign to take money out"})
    reason = need_reason(reason, what="the budget is changing")
    description = (description or "").strip() or reason
    budget = lock_budget(fund_id=fund.pk, year_id=year.pk, create=True, actor=actor, reason=reason)
    year = require_open(year.pk)
    line = add_line(budget, actor=actor, kind=kind, amount=amount, description=description, reason=reason)
    recompute(budget, actor=actor, reason=reason)
    check_covers_commitments(budget, fund=fund, year=year, action="This change")
    return line


@transaction.atomic
def budget_set_total(*, actor, fund: Fund, year: FinancialYear, amount, reason: str) -> Budget:
    """Make the fund's budget for the year `amount` by adding the ADJUSTMENT line needed (none if it already is)."""
    require(actor, "funds.manage_budget", fund)
    amount = money(amount)
    if amount < 0:
        raise ValidationError({"amount": "Enter a budget of £0.00 or more"})
    reason = need_reason(reason, what="the budget is changing")
    budget = lock_budget(fund_id=fund.pk, year_id=year.pk, create=True, actor=actor, reason=reason)
    year = require_open(year.pk)
    recompute(budget, actor=actor, reason=reason)
    difference = amount - to_money(budget.amount)
    if difference == 0:
        return budget
    add_line(
        budget,
        actor=actor,
        kind=BudgetLine.Kind.ADJUSTMENT,
        amount=difference,
        description=f"Budget set to {format_money(amount)}: {reason}",
        reason=reason,
    )
    recompute(budget, actor=actor, reason=reason)
    check_covers_commitments(budget, fund=fund, year=year, action="This budget")
    return budget


@transaction.atomic
def budgets_set(*, actor, start_year: int, amounts, reason: str) -> FinancialYear:
    """Set several funds' budgets for the year starting in `start_year` (opening it when new), in one
    transaction: all are saved, or none is and every refusal is reported on the fund it is about
    (field `fund_<pk>`). `amounts` is (fund, amount) pairs."""
    errors: dict[str, list[str]] = {}
    year = financial_year_get_or_create(start_year=start_year)
    for fund, amount in amounts:
        try:
            with transaction.atomic():
                budget_set_total(actor=actor, fund=fund, year=year, amount=amount, reason=reason)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(f"fund_{fund.pk}" if key == "amount" else key, []).extend(messages)
    if errors:
        raise ValidationError(errors)  # rolls back the budgets already set in this transaction
    return year


@transaction.atomic
def budgets_build_in_year(*, actor, start_year: int, reason: str = "") -> list[Budget]:
    """budgets_build_from_streams for the year starting in `start_year`, opening it when new."""
    year = financial_year_get_or_create(start_year=start_year)
    return budgets_build_from_streams(actor=actor, year=year, reason=reason)


@transaction.atomic
def budget_line_add_in_year(*, actor, fund: Fund, start_year: int, **line) -> BudgetLine:
    """budget_line_add in the year starting in `start_year`, opening it when new."""
    year = financial_year_get_or_create(start_year=start_year)
    return budget_line_add(actor=actor, fund=fund, year=year, **line)
