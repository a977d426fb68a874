"""Every write to funds: years, stream allocations, budgets, commitments, payments, repayments, virements and
the year-end close (seed, Section 3; DOMAIN.md "Funds"; issue 4). Import from here; the modules are split by
sub-domain only to keep each readable.

Each function checks permission (PermissionDenied), runs in one transaction, validates with full_clean and
records who and why in the history (django-simple-history). Refusals are ValidationErrors keyed by the form
field to show them on, in plain English naming the fix. Money is Decimal through core.money.to_money and shared
out to the penny with core.money.allocate.

Budget arithmetic. A Budget's amount is the sum of its lines, recomputed in the transaction that changes them.
A commitment's live amount is amount - released_amount; approved, committed and released commitments count
against the budget (a released one counts only what it paid: the rest was handed back), planned ones do not.
So committed + available == budget always, and no write may leave a budget below what is committed from it.

Locks, always taken in this order so two writers never wait on each other in a circle:
year (close only) → virement → budgets (by primary key) → commitments → repayments and scheduled payments.
On PostgreSQL, select_for_update on the Budget row serialises every change to one fund's money in one year; on
SQLite the IMMEDIATE transaction mode in settings serialises all writers, and select_for_update is a no-op.
"""

from commissioning.funds.services.budgets import (
    budget_line_add,
    budget_line_add_in_year,
    budget_set_total,
    budgets_build_from_streams,
    budgets_build_in_year,
    budgets_set,
    financial_year_get_or_create,
    fund_split_set,
    split_share_problems,
    stream_allocation_set,
)
from commissioning.funds.services.commitments import (
    FREQUENCIES,
    commitment_approve,
    commitment_commit,
    commitment_plan,
    commitment_plan_in_year,
    commitment_release,
    commitment_release_above,
    commitment_vary,
    fund_money_lock,
)
from commissioning.funds.services.payments import (
    check_payment_date,
    payment_date_problem,
    payment_record,
    payment_schedule_create,
    repayment_receive,
    repayment_request,
    repayment_waive,
)
from commissioning.funds.services.transfers import FundYearEnd, virement_decide, virement_request, year_end_close

__all__ = [
    "FREQUENCIES",
    "FundYearEnd",
    "budget_line_add",
    "budget_line_add_in_year",
    "budget_set_total",
    "budgets_build_from_streams",
    "budgets_build_in_year",
    "budgets_set",
    "check_payment_date",
    "commitment_approve",
    "commitment_commit",
    "commitment_plan",
    "commitment_plan_in_year",
    "commitment_release",
    "commitment_release_above",
    "commitment_vary",
    "financial_year_get_or_create",
    "fund_money_lock",
    "fund_split_set",
    "payment_date_problem",
    "payment_record",
    "payment_schedule_create",
    "repayment_receive",
    "repayment_request",
    "repayment_waive",
    "split_share_problems",
    "stream_allocation_set",
    "virement_decide",
    "virement_request",
    "year_end_close",
]
