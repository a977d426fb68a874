"""Role x URL matrix for the fund dashboard, its export and the imports (urls_reporting.py)."""

from decimal import Decimal

from commissioning.funds.models import Budget, BudgetLine, FinancialYear, Fund
from commissioning.testing.matrix import UrlCase, expect, roles

# OPCC staff and auditors read the funds; partners, providers, applicants, evaluators and the Panel do not.
READERS = roles(
    "admin",
    "pcc",
    "chief_executive",
    "cfo",
    "director_operations",
    "commissioning_manager",
    "policy_officer",
    "finance_officer",
    "auditor",
    status=200,
)
# Finance keeps the books; the CFO and the rest of SMT may set budgets (rules.py: funds.manage_budget).
BUDGET_KEEPERS = roles("finance_officer", "cfo", "chief_executive", "director_operations", status=200)
PAYERS = roles("finance_officer", status=200)


def setup(world):
    """A year with one fund and its budget, so the dashboard and export have figures to show."""
    world.reporting_year, _ = FinancialYear.objects.get_or_create(start_year=2026)
    fund = Fund.objects.create(code="matrix-reporting-fund", name="Matrix reporting fund", order=900)
    budget = Budget.objects.create(fund=fund, year=world.reporting_year, amount=Decimal("1000.00"))
    BudgetLine.objects.create(budget=budget, kind=BudgetLine.Kind.ADJUSTMENT, amount=Decimal("1000.00"))


CASES = [
    UrlCase("funds:dashboard", expect(403, **READERS)),
    UrlCase("funds:dashboard", expect(403, **READERS), query="year=2026"),
    UrlCase("funds:dashboard_export", expect(403, **READERS), query="year=2026/27"),
    UrlCase("funds:import_budget_lines", expect(403, **BUDGET_KEEPERS)),
    UrlCase("funds:import_budget_lines_template", expect(403, **BUDGET_KEEPERS)),
    UrlCase("funds:import_payments", expect(403, **PAYERS)),
    UrlCase("funds:import_payments_template", expect(403, **PAYERS)),
    # Confirming a checked import is a button (POST) for the job's owner; a GET is refused for everyone.
    UrlCase("funds:import_confirm", expect(405)),
]
