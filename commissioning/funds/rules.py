"""Who may do what with funds, budgets, commitments and payments.

Funds configuration (funds, splits, funding streams and their return dates) is kept by administrators in the
configuration admin; auditors may read it. Money records (years, allocations, budgets, commitments, payments,
repayments, virements) are read-only in the admin: they change only through services.py, whose permissions
follow. The Chief Finance Officer approves virements and closes years (seed, Section 6: SMT and CFO approve
budgets); a finance officer keeps the books day to day.
"""

import rules

from commissioning.accounts.roles import Role
from commissioning.accounts.rules import (
    has_role,
    is_admin,
    is_auditor,
    is_commissioning_manager,
    is_finance_officer,
    is_opcc_staff,
    is_smt,
)

is_cfo = has_role(Role.CFO)


@rules.predicate
def requested_it(user, virement):
    """The person asked for this transfer; they may not also approve it (obj=None: nobody asked yet)."""
    return virement is not None and virement.requested_by_id == user.pk


rules.add_perm("funds", is_admin)  # the app in the configuration admin
for _model in ("fund", "fundsplit", "fundingstream", "streamreturndate"):
    rules.add_perm(f"funds.view_{_model}", is_admin | is_auditor)
    for _action in ("add", "change", "delete"):
        rules.add_perm(f"funds.{_action}_{_model}", is_admin)
for _model in (
    "financialyear",
    "streamallocation",
    "budget",
    "budgetline",
    "commitment",
    "scheduledpayment",
    "payment",
    "repayment",
    "virement",
):
    rules.add_perm(f"funds.view_{_model}", is_admin | is_auditor)

# The money engine (services.py) and the fund pages.
rules.add_perm("funds.view_funds", is_opcc_staff | is_auditor)
# The Senior Management Team approves the pre-year review of the Commissioner's Safety Fund, which sets its budget.
rules.add_perm("funds.manage_budget", is_finance_officer | is_cfo | is_smt)
rules.add_perm("funds.plan_commitment", is_finance_officer | is_commissioning_manager)
rules.add_perm("funds.approve_commitment", is_finance_officer | is_cfo)
rules.add_perm("funds.record_payment", is_finance_officer)
rules.add_perm("funds.waive_repayment", is_cfo)
rules.add_perm("funds.request_virement", is_finance_officer | is_commissioning_manager)
rules.add_perm("funds.approve_virement", is_cfo & ~requested_it)
rules.add_perm("funds.close_year", is_cfo)
