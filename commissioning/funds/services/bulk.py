"""Many budget lines or payments at once, for the spreadsheet imports (issue 9, point 2): the same rules and the
same words as budget_line_add and payment_record, checked and written for a whole batch with a fixed number of
queries, not a handful per row.

Each function takes rows already checked by the import's row forms and returns the refusals, {row index:
{field: [messages]}}, having written every row that passed. Rows are judged in order, as if added one by one:
a refused row is not written and does not count against the rows after it. The caller runs it in the import's
one transaction and rolls everything back when any row is refused (funds.imports.run), so an import is still
all or nothing.

Queries, whatever the number of rows: the budgets locked (one per year in the batch, plus one to open missing
budgets), the years re-read, the commitments locked, the sums already paid or committed, the references
already used, and the inserts and history rows in batches of BATCH.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from commissioning.core.dates import long_date
from commissioning.core.money import allocate, format_money, to_money
from commissioning.core.services import attribute, attribute_all, bulk_insert, insert_history, require
from commissioning.funds.models import (
    Budget,
    BudgetLine,
    Commitment,
    FinancialYear,
    Payment,
    ScheduledPayment,
)
from commissioning.funds.services._common import COUNTED, MONEY_OUT, SPENDING, ZERO, lock_budgets, the
from commissioning.funds.services.budgets import MANUAL_LINE_KINDS

BATCH = 1000


def _closed(year: FinancialYear) -> dict:
    return {"year": [f"{year.label} is closed; money cannot change in a closed year. Choose an open year"]}


def _open_years(year_ids) -> dict[int, FinancialYear]:
    return FinancialYear.objects.in_bulk(set(year_ids))


def _lock_budget_rows(pairs: set[tuple[int, int]], *, create: bool, actor, reason: str) -> dict[tuple, Budget]:
    """Lock the budgets of these (fund, year) pairs, year by year and in primary-key order within a year (the
    module-wide lock order); {(fund id, year id): Budget}."""
    by_year = defaultdict(set)
    for fund_id, year_id in pairs:
        by_year[year_id].add(fund_id)
    budgets = {}
    for year_id in sorted(by_year):
        locked = lock_budgets(year_id=year_id, fund_ids=by_year[year_id], create=create, actor=actor, reason=reason)
        budgets.update({(fund_id, year_id): budget for fund_id, budget in locked.items()})
    return budgets


@transaction.atomic
def budget_lines_add(*, actor, rows: list[dict]) -> dict[int, dict]:
    """Add budget lines: each row has fund, year, kind, amount, description and reason (see budget_line_add)."""
    refused: dict[int, dict] = {}
    wanted = []
    for index, row in enumerate(rows):
        try:
            require(actor, "funds.manage_budget", row["fund"])
        except Exception:
            refused[index] = {"fund": ["You may not change this fund's budget"]}
            continue
        if row["kind"] not in MANUAL_LINE_KINDS:
            refused[index] = {"kind": ["Choose an adjustment, pre-year review or carry-forward line"]}
            continue
        if to_money(row["amount"]) == 0:
            refused[index] = {"amount": ["Enter an amount other than £0.00; use a minus sign to take money out"]}
            continue
        wanted.append(index)
    if not wanted:
        return refused
    pairs = {(rows[i]["fund"].pk, rows[i]["year"].pk) for i in wanted}
    budgets = _lock_budget_rows(pairs, create=True, actor=actor, reason=rows[wanted[0]]["reason"])
    years = _open_years(year_id for _, year_id in pairs)
    committed = {
        (row["fund_id"], row["year_id"]): to_money(row["total"])
        for row in Commitment.objects.filter(
            status__in=COUNTED,
            fund_id__in={fund_id for fund_id, _ in pairs},
            year_id__in=set(years),
        )
        .values("fund_id", "year_id")
        .annotate(total=Sum(F("amount") - F("released_amount"), output_field=MONEY_OUT))
    }
    # A budget's amount is the sum of its lines: start from that sum, not the stored amount.
    running = {
        row["budget_id"]: to_money(row["total"])
        for row in BudgetLine.objects.filter(budget__in=[b.pk for b in budgets.values()])
        .values("budget_id")
        .annotate(total=Sum("amount", output_field=MONEY_OUT))
    }
    lines, line_reasons = [], []
    for index in wanted:
        row = rows[index]
        fund, year = row["fund"], years[row["year"].pk]
        if year.status != FinancialYear.Status.OPEN:
            refused[index] = _closed(year)
            continue
        budget = budgets[(fund.pk, year.pk)]
        amount = to_money(row["amount"])
        after = running.get(budget.pk, ZERO) + amount
        already = committed.get((fund.pk, year.pk), ZERO)
        if after < already:
            refused[index] = {
                "amount": [
                    f"This change would leave {the(fund)} with a budget of {format_money(after)} in {year.label}, "
                    f"below the {format_money(already)} already committed from it. Release or reduce commitments "
                    f"first, or keep the budget at {format_money(already)} or more"
                ]
            }
            continue
        running[budget.pk] = after
        description = (row.get("description") or "").strip() or row["reason"]
        line = BudgetLine(
            budget=budget, kind=row["kind"], amount=amount, description=description[:300], created_by=actor
        )
        line.clean_fields(exclude=["budget", "created_by", "stream"])
        line_reasons.append(row["reason"])
        lines.append(line)
    if lines:
        attribute_all(lines, actor=actor, reasons=line_reasons)
        bulk_create_with_history(lines, BudgetLine, batch_size=BATCH)
        changed = []
        for budget in budgets.values():
            total = running.get(budget.pk, ZERO)
            if to_money(budget.amount) != total:
                budget.amount = total
                attribute(budget, actor=actor, reason=lines[-1]._change_reason or "Budget lines imported")
                changed.append(budget)
        if changed:
            bulk_update_with_history(changed, Budget, ["amount"], batch_size=BATCH, default_user=actor)
    return refused


@transaction.atomic
def payments_record(*, actor, rows: list[dict]) -> dict[int, dict]:
    """Record payments: each row has commitment, amount, paid_on, reference and reason (see payment_record)."""
    refused: dict[int, dict] = {}
    commitments = {row["commitment"].pk: row["commitment"] for row in rows}
    for index, row in enumerate(rows):
        try:
            require(actor, "funds.record_payment", row["commitment"])
        except Exception:
            refused[index] = {"commitment": ["You may not record payments"]}
    references = [(row.get("reference") or "").strip() for row in rows]
    used = {
        payment.reference: payment
        for payment in Payment.objects.filter(reference__in=set(references) - {""}).select_related(
            "commitment__agreement"
        )
    }
    # Lock in the module-wide order: budgets, then commitments (by primary key).
    _lock_budget_rows({(c.fund_id, c.year_id) for c in commitments.values()}, create=False, actor=actor, reason="")
    locked = {
        c.pk: c
        for c in Commitment.objects.select_for_update(of=("self",))
        .select_related("agreement")
        .filter(pk__in=commitments)
        .order_by("pk")
    }
    years = _open_years(c.year_id for c in locked.values())
    paid = {
        row["commitment_id"]: to_money(row["total"])
        for row in Payment.objects.filter(commitment_id__in=locked)
        .values("commitment_id")
        .annotate(total=Sum("amount", output_field=MONEY_OUT))
    }
    payments, payment_reasons = [], []
    for index, row in enumerate(rows):
        if index in refused:
            continue
        reference = references[index]
        amount = to_money(row["amount"])
        commitment = locked[row["commitment"].pk]
        if not reference:
            refused[index] = {"reference": ["Enter the finance system's payment reference"]}
            continue
        clash = used.get(reference)
        if clash is not None:
            agreement = locked.get(clash.commitment_id)
            agreement = agreement.agreement if agreement else clash.commitment.agreement
            refused[index] = {
                "reference": [
                    f"Payment reference {reference} is already recorded (paid {long_date(clash.paid_on)} under "
                    f"agreement {agreement.reference}); check the reference and enter it again"
                ]
            }
            continue
        if amount <= 0:
            refused[index] = {"amount": ["Enter the amount paid, more than £0.00 (record money back as a repayment)"]}
            continue
        if commitment.status not in SPENDING:
            refused[index] = {
                "status": [
                    f"This commitment is {commitment.get_status_display().lower()}; only approved or committed "
                    "ones can be paid (approve it first)"
                ]
            }
            continue
        year = years[commitment.year_id]
        if year.status != FinancialYear.Status.OPEN:
            refused[index] = _closed(year)
            continue
        live = to_money(commitment.amount) - to_money(commitment.released_amount)
        so_far = paid.get(commitment.pk, ZERO)
        if amount > live - so_far:
            refused[index] = {
                "amount": [
                    f"This payment would take payments under this commitment to {format_money(so_far + amount)}, "
                    f"more than the {format_money(live)} committed; pay {format_money(live - so_far)} or less, or "
                    "vary the commitment first"
                ]
            }
            continue
        payment = Payment(
            commitment=commitment, amount=amount, paid_on=row["paid_on"], reference=reference, recorded_by=actor
        )
        if len(reference) > Payment._meta.get_field("reference").max_length:
            refused[index] = {"reference": ["Enter a payment reference of 60 characters or fewer"]}
            continue
        payments.append(payment)
        payment_reasons.append(row["reason"])
        paid[commitment.pk] = so_far + amount
        used[reference] = payment
    if payments:
        attribute_all(payments, actor=actor, reasons=payment_reasons)
        bulk_insert(payments)
        insert_history(payments)
        _respread(locked, paid, actor=actor, reason=payments[-1]._change_reason or "Payments imported")
    return refused


def _respread(commitments: dict[int, Commitment], paid: dict[int, Decimal], *, actor, reason: str) -> None:
    """Keep each commitment's due scheduled payments adding up to what is left to pay (as respread_schedule does,
    for every commitment at once)."""
    due = defaultdict(list)
    for row in ScheduledPayment.objects.select_for_update().filter(
        commitment_id__in=commitments, status=ScheduledPayment.Status.DUE
    ):
        due[row.commitment_id].append(row)
    changed = []
    for commitment_id, rows in due.items():
        commitment = commitments[commitment_id]
        remaining = to_money(commitment.amount) - to_money(commitment.released_amount) - paid.get(commitment_id, ZERO)
        parts = allocate(remaining, [1] * len(rows)) if remaining > 0 else [ZERO] * len(rows)
        for row, part in zip(rows, parts, strict=True):
            if part <= 0:
                row.status = ScheduledPayment.Status.CANCELLED
            elif row.amount == part:
                continue
            else:
                row.amount = part
            changed.append(row)
    if changed:
        attribute_all(changed, actor=actor, reasons=[reason] * len(changed))
        ScheduledPayment.objects.bulk_update(changed, ["amount", "status"], batch_size=BATCH)
        insert_history(changed, history_type="~")
