"""The fund dashboard (issue 4, point 6): each fund's budget, committed, paid, available and forecast for a
year, a chart of the top-level funds with the same figures in a table, and the last five years' trend.

Bounded queries whatever the number of funds, commitments and payments: the years (one), the year's positions
(four, selectors.fund_positions) and four for each earlier year of the trend.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from commissioning.core.dates import FinancialYear as FY
from commissioning.core.money import ZERO
from commissioning.core.shortcuts import require_perm
from commissioning.funds import charts, selectors
from commissioning.funds.models import FinancialYear

TREND_YEARS = 5
SERIES = (("Budget", charts.DARK_BLUE), ("Committed", charts.BLUE), ("Paid", charts.GREEN))


@dataclass(frozen=True)
class Totals:
    """Money summed over several funds, or one fund's position in one year, for a table row or a chart."""

    label: str
    budget: Decimal
    planned: Decimal
    committed: Decimal
    paid: Decimal

    @property
    def available(self) -> Decimal:
        return self.budget - self.committed

    @property
    def forecast(self) -> Decimal:
        return self.committed + self.planned


def totals_of(label: str, positions) -> Totals:
    """The sum of top-level positions (sub-funds are already inside their parents' figures)."""
    tops = [p for p in positions if p.depth == 0]
    return Totals(
        label=label,
        budget=sum((p.budget for p in tops), ZERO),
        planned=sum((p.planned for p in tops), ZERO),
        committed=sum((p.committed for p in tops), ZERO),
        paid=sum((p.paid for p in tops), ZERO),
    )


def year_from(value: str | None, years: list[FinancialYear]) -> FinancialYear | None:
    """The year asked for (?year=2025 as on the other funds pages, or ?year=2025/26), else the one containing
    today, else the latest.

    Raises Http404 for a year asked for that does not exist."""
    if not years:
        return None
    by_start = {year.start_year: year for year in years}
    value = (value or "").strip()
    if value:
        try:
            start = FY.parse(value).start_year if "/" in value else int(value)
        except ValueError:
            raise Http404("No such financial year") from None
        if start not in by_start:
            raise Http404("No such financial year")
        return by_start[start]
    today = FY.for_date(timezone.localdate()).start_year
    return by_start.get(today, years[-1])


def fund_links(fund, year: FinancialYear) -> dict:
    """The fund's page and its payments, in the year shown (the funds pages take ?year=2026 for 2026/27)."""
    detail = reverse("funds:fund_detail", args=[fund.pk])
    payments = reverse("funds:payment_list")
    return {
        "detail": f"{detail}?{urlencode({'year': year.start_year})}",
        "payments": f"{payments}?{urlencode({'fund': fund.pk, 'year': year.start_year})}",
    }


def charted_funds(positions) -> tuple[list, object]:
    """The funds the bar chart compares, and the fund they are parts of (None for the top level).

    The top-level funds; but where there is only one (Dorset keeps everything in the Safer Dorset Fund), one bar
    would compare nothing, so its sub-funds instead."""
    tops = [p for p in positions if p.depth == 0]
    if len(tops) == 1 and tops[0].has_children:
        parts = set(tops[0].child_ids)
        return [p for p in positions if p.fund.pk in parts], tops[0].fund
    return tops, None


def chart_of_funds(charted, year: FinancialYear, *, title: str):
    return charts.bar_chart(
        chart_id="funds-chart",
        title=title,
        description=(
            "Horizontal bars of budget, committed and paid for each fund, including its sub-funds. "
            "The table below the chart gives the same figures."
        ),
        categories=[p.fund.name for p in charted],
        series=[charts.Series(name, colour, [getattr(p, name.lower()) for p in charted]) for name, colour in SERIES],
    )


def trend(*, year: FinancialYear, years: list[FinancialYear], positions, fund=None) -> list[Totals]:
    """The last TREND_YEARS years up to `year`: all funds together, or one fund (with its sub-funds)."""
    earlier = [y for y in years if y.start_year <= year.start_year][-TREND_YEARS:]
    if fund is not None:
        before = [y for y in earlier if y.pk != year.pk]
        this_year = [p for p in positions if p.fund.pk == fund.pk]  # already read: no need to ask again
        return [
            Totals(p.year.label, p.budget, p.planned, p.committed, p.paid)
            for p in [*selectors.fund_positions_over_years(fund=fund, years=before), *this_year]
        ]
    rows = []
    for each in earlier:
        in_year = positions if each.pk == year.pk else selectors.fund_positions(year=each)
        rows.append(totals_of(each.label, in_year))
    return rows


def chart_of_trend(rows: list[Totals], *, name: str):
    return charts.line_chart(
        chart_id="trend-chart",
        title=f"Budget, committed and paid over {len(rows)} year{'s' if len(rows) != 1 else ''}, {name}",
        description=(
            f"Lines for budget, committed and paid, {rows[0].label} to {rows[-1].label}. "
            "The table below the chart gives the same figures."
        ),
        labels=[row.label for row in rows],
        series=[charts.Series(label, colour, [getattr(r, label.lower()) for r in rows]) for label, colour in SERIES],
    )


@login_required
def dashboard(request):
    require_perm(request, "funds.view_funds")
    years = list(selectors.financial_years())
    year = year_from(request.GET.get("year"), years)
    context = {
        "years": years,
        "year": year,
        "can_import_budget": request.user.has_perm("funds.manage_budget"),
        "can_import_payments": request.user.has_perm("funds.record_payment"),
    }
    if year is None:
        return render(request, "funds/dashboard.html", context)
    positions = selectors.fund_positions(year=year)
    by_pk = {p.fund.pk: p for p in positions}
    trend_fund = None
    trend_value = request.GET.get("trend", "")
    if trend_value:
        try:
            trend_fund = by_pk[int(trend_value)].fund
        except (KeyError, ValueError):
            raise Http404("No such fund") from None
    rows = [
        {"position": p, "parent": by_pk[p.fund.parent_id].fund if p.fund.parent_id in by_pk else None}
        | fund_links(p.fund, year)
        for p in positions
    ]
    charted, charted_parent = charted_funds(positions)
    chart_title = (
        f"Budget, committed and paid by part of the {charted_parent.name}, {year.label}"
        if charted_parent
        else f"Budget, committed and paid by fund, {year.label}"
    )
    trend_rows = trend(year=year, years=years, positions=positions, fund=trend_fund)
    trend_name = trend_fund.name if trend_fund else "all funds"
    context.update(
        {
            "rows": rows,
            "total": totals_of("All funds", positions),
            "charted": charted,
            "chart_title": chart_title,
            "chart": chart_of_funds(charted, year, title=chart_title) if charted else None,
            "trend_fund": trend_fund,
            "trend_name": trend_name,
            "trend_rows": trend_rows,
            "trend_chart": chart_of_trend(trend_rows, name=trend_name),
            "funds": [p.fund for p in positions],
        }
    )
    return render(request, "funds/dashboard.html", context)
