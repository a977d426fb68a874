"""The year-end page's figures: per fund, what was budgeted, paid, left unpaid, carried forward and returned."""

from django.db.models import Sum

from commissioning.core.money import ZERO, to_money
from commissioning.funds.models import BudgetLine, FinancialYear
from commissioning.funds.selectors import positions_in, spent_by_fund


def year_end_rows(*, year: FinancialYear) -> list[dict]:
    """Per fund with money of its own in the year: budget, paid (under the year's commitments, as the close counts
    it), unpaid commitments, underspend, carried forward, and (closed) returned or lapsed.

    For a closed year the budget is shown as it stood before the close (the close takes the carried-forward
    money out of it with a negative carry-forward line).
    """
    spent = spent_by_fund(year=year) if year.pk else {}
    taken_out = {}
    if year.status == FinancialYear.Status.CLOSED:
        taken_out = {
            row["budget__fund_id"]: -to_money(row["total"])
            for row in BudgetLine.objects.filter(budget__year=year, kind=BudgetLine.Kind.CARRY_FORWARD, amount__lt=0)
            .values("budget__fund_id")
            .annotate(total=Sum("amount"))
        }
    rows = []
    for position in positions_in(year=year):
        paid = spent.get(position.fund.pk, ZERO)
        carried_out = taken_out.get(position.fund.pk, ZERO)
        budget = position.own_budget + carried_out
        if not budget and not paid and not position.own_committed:
            continue
        underspend = budget - paid
        if year.status == FinancialYear.Status.CLOSED:
            carried = carried_out
        else:
            carried = underspend if position.fund.allows_carry_forward and underspend > 0 else ZERO
        rows.append(
            {
                "fund": position.fund,
                "depth": position.depth,
                "budget": budget,
                "paid": paid,
                "unpaid": max(position.own_committed - paid, ZERO),
                "underspend": underspend,
                "carried": carried,
                "lapsed": max(underspend - carried, ZERO),
                "carries": position.fund.allows_carry_forward,
            }
        )
    return rows
