"""Reads about funds, budgets, commitments and payments, each in a fixed number of queries.

Figures follow services/__init__.py: committed is the live amount (amount - released_amount) of approved,
committed and released commitments; planned is what is planned but not yet approved; paid is what was paid in
the year, i.e. payments dated in it, net of repayments received in it (ADR 0007);
available = budget - committed; forecast = committed + planned. A parent fund's position includes its sub-funds.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from commissioning.core.dates import FinancialYear as FY
from commissioning.core.money import ZERO, to_money
from commissioning.funds.models import (
    COUNTED,
    Budget,
    BudgetLine,
    Commitment,
    FinancialYear,
    Fund,
    FundingStream,
    FundSplit,
    Payment,
    Repayment,
    ScheduledPayment,
    StreamAllocation,
    Virement,
)

MONEY_OUT = DecimalField(max_digits=16, decimal_places=2)


def _sum(expression, **kwargs):
    return Coalesce(Sum(expression, output_field=MONEY_OUT, **kwargs), Value(ZERO), output_field=MONEY_OUT)


LIVE = F("amount") - F("released_amount")


# --- Funds and splits -----------------------------------------------------------------------------------------


def fund_split_on(*, parent: Fund, on_date: dt.date) -> dict[Fund, Decimal]:
    """The split of `parent` in force on `on_date` ({sub-fund: percentage}); empty when none is set."""
    latest = (
        FundSplit.objects.filter(parent=parent, effective_from__lte=on_date)
        .order_by("-effective_from")
        .values_list("effective_from", flat=True)
        .first()
    )
    if latest is None:
        return {}
    rows = FundSplit.objects.filter(parent=parent, effective_from=latest).select_related("child")
    return {row.child: row.percentage for row in rows}


@dataclass(frozen=True)
class FundTreeRow:
    fund: Fund
    depth: int  # 0 for a top-level fund
    child_ids: tuple[int, ...]

    @property
    def has_children(self) -> bool:
        return bool(self.child_ids)


def fund_tree() -> list[FundTreeRow]:
    """Every fund, parents before their sub-funds (depth-first in fund order). One query."""
    funds = list(Fund.objects.select_related("parent").order_by("order", "name"))
    children: dict[int | None, list[Fund]] = {}
    known = {f.pk for f in funds}
    for fund in funds:
        parent_id = fund.parent_id if fund.parent_id in known else None
        children.setdefault(parent_id, []).append(fund)
    rows: list[FundTreeRow] = []
    seen: set[int] = set()

    def walk(fund: Fund, depth: int) -> None:
        if fund.pk in seen:
            return
        seen.add(fund.pk)
        kids = children.get(fund.pk, [])
        rows.append(FundTreeRow(fund=fund, depth=depth, child_ids=tuple(k.pk for k in kids)))
        for kid in kids:
            walk(kid, depth + 1)

    for root in children.get(None, []):
        walk(root, 0)
    return rows


def fund_descendant_ids(*, fund: Fund) -> list[int]:
    """The fund and all its sub-funds, at any depth. One query."""
    parent_of = dict(Fund.objects.values_list("pk", "parent_id"))
    found, frontier = {fund.pk}, {fund.pk}
    while frontier:
        frontier = {pk for pk, parent in parent_of.items() if parent in frontier and pk not in found}
        found |= frontier
    return sorted(found)


# --- Positions -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundPosition:
    """A fund's money in one year, including its sub-funds (`own_*` without them).

    available = budget - committed; forecast = committed + planned; unpaid = committed - paid.
    """

    fund: Fund
    year: FinancialYear
    depth: int
    budget: Decimal
    planned: Decimal
    committed: Decimal
    paid: Decimal
    own_budget: Decimal = ZERO
    own_committed: Decimal = ZERO
    child_ids: tuple[int, ...] = ()
    available: Decimal = field(init=False)
    forecast: Decimal = field(init=False)
    unpaid: Decimal = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "available", self.budget - self.committed)
        object.__setattr__(self, "forecast", self.committed + self.planned)
        object.__setattr__(self, "unpaid", self.committed - self.paid)

    @property
    def has_children(self) -> bool:
        return bool(self.child_ids)

    @property
    def is_closed(self) -> bool:
        return self.year.status == FinancialYear.Status.CLOSED

    @property
    def lapsed(self) -> Decimal:
        """In a closed year, what is left (budget - committed) was neither spent nor carried forward: it is
        returned or lapsed (e.g. the MoJ's annual victims grant), not available. Zero in an open year."""
        return self.available if self.is_closed else ZERO

    @property
    def own_available(self) -> Decimal:
        """What can still be committed from this fund itself: its own budget less its own live commitments.
        Money held by sub-funds is theirs (commitments are checked against each fund's own Budget row)."""
        return self.own_budget - self.own_committed


def fund_positions(*, year: FinancialYear) -> list[FundPosition]:
    """Every fund's position in `year`, parents first and rolled up from their sub-funds. Four queries,
    whatever the number of funds, commitments and payments."""
    tree = fund_tree()
    budgets = {
        row["fund_id"]: to_money(row["amount"])
        for row in Budget.objects.filter(year=year).order_by().values("fund_id", "amount")
    }
    commitments = {
        row["fund_id"]: row
        for row in Commitment.objects.filter(year=year)
        .order_by()
        .values("fund_id")
        .annotate(
            planned=_sum(LIVE, filter=Q(status=Commitment.Status.PLANNED)),
            committed=_sum(LIVE, filter=Q(status__in=COUNTED)),
        )
    }
    fy = year.fy
    paid = {  # what was paid in the year: payments dated in it (ADR 0007), whichever year's commitment
        row["commitment__fund_id"]: to_money(row["paid"])
        for row in Payment.objects.filter(paid_on__range=(fy.starts_on, fy.ends_on))
        .order_by()
        .values("commitment__fund_id")
        .annotate(paid=_sum("amount"))
    }
    own = {}
    for row in tree:
        pk = row.fund.pk
        money = commitments.get(pk, {})
        own[pk] = (
            budgets.get(pk, ZERO),
            to_money(money.get("planned", ZERO)),
            to_money(money.get("committed", ZERO)),
            paid.get(pk, ZERO),
        )
    rolled: dict[int, tuple] = {}
    for row in reversed(tree):  # sub-funds come after their parents, so walk backwards
        totals = list(own[row.fund.pk])
        for child_id in row.child_ids:
            for index, value in enumerate(rolled[child_id]):
                totals[index] += value
        rolled[row.fund.pk] = tuple(totals)
    return [
        FundPosition(
            fund=row.fund,
            year=year,
            depth=row.depth,
            budget=rolled[row.fund.pk][0],
            planned=rolled[row.fund.pk][1],
            committed=rolled[row.fund.pk][2],
            paid=rolled[row.fund.pk][3],
            own_budget=own[row.fund.pk][0],
            own_committed=own[row.fund.pk][2],
            child_ids=row.child_ids,
        )
        for row in tree
    ]


def spent_by_fund(*, year: FinancialYear) -> dict[int, Decimal]:
    """{fund id: net paid under the year's commitments} (the fund's own, not its sub-funds'). This is what the
    year's budget paid for, and what the year-end close takes from the budget to find the underspend; it differs
    from the year's paid figure only by repayments received after the year ended (ADR 0007). One query."""
    return {
        row["commitment__fund_id"]: to_money(row["spent"])
        for row in Payment.objects.filter(commitment__year=year)
        .order_by()
        .values("commitment__fund_id")
        .annotate(spent=_sum("amount"))
    }


def fund_position(*, fund: Fund, year: FinancialYear) -> FundPosition:
    """One fund's position in `year`, including its sub-funds. Four queries."""
    for position in fund_positions(year=year):
        if position.fund.pk == fund.pk:
            return position
    raise Fund.DoesNotExist(f"No fund {fund.pk}")


def fund_positions_over_years(*, fund: Fund, years) -> list[FundPosition]:
    """The fund's position in each of `years` (for a chart of a fund over time); four queries a year."""
    return [fund_position(fund=fund, year=year) for year in years]


# --- Years, streams and budgets ------------------------------------------------------------------------------


def financial_years() -> QuerySet[FinancialYear]:
    return FinancialYear.objects.order_by("start_year")


def financial_year_on(*, day: dt.date) -> FinancialYear | None:
    """The financial year containing `day`, if it has been created."""
    start = day.year if day.month >= 4 else day.year - 1
    return FinancialYear.objects.filter(start_year=start).first()


def funding_streams() -> QuerySet[FundingStream]:
    return FundingStream.objects.select_related("fund", "funder").order_by("name")


def stream_allocations_for(*, year: FinancialYear) -> QuerySet[StreamAllocation]:
    return StreamAllocation.objects.filter(year=year).select_related("stream__fund", "stream__funder")


def budgets_for(*, year: FinancialYear) -> QuerySet[Budget]:
    return Budget.objects.filter(year=year).select_related("fund", "year").order_by("fund__order", "fund__name")


def budget_lines_for(*, fund: Fund, year: FinancialYear) -> QuerySet[BudgetLine]:
    return (
        BudgetLine.objects.filter(budget__fund=fund, budget__year=year)
        .select_related("stream", "created_by")
        .order_by("id")
    )


# --- Commitments and payments ---------------------------------------------------------------------------------


def _commitments() -> QuerySet[Commitment]:
    """Commitments with their live amount and net paid, and what a list shows about each. One query."""
    return (
        Commitment.objects.select_related("fund", "year", "agreement__service__provider", "approved_by")
        .annotate(live_amount=LIVE, paid=_sum("payments__amount"))
        .order_by("-year__start_year", "fund__order", "fund__name", "id")
    )


def commitments_for(
    *,
    fund: Fund | None = None,
    year: FinancialYear | None = None,
    agreement=None,
    status: str | None = None,
    include_sub_funds: bool = False,
) -> QuerySet[Commitment]:
    """Commitments, filtered; each has `live_amount` and `paid` (net). With include_sub_funds, a fund's
    sub-funds' commitments are included (one more query)."""
    commitments = _commitments()
    if fund is not None:
        if include_sub_funds:
            commitments = commitments.filter(fund_id__in=fund_descendant_ids(fund=fund))
        else:
            commitments = commitments.filter(fund=fund)
    if year is not None:
        commitments = commitments.filter(year=year)
    if agreement is not None:
        commitments = commitments.filter(agreement=agreement)
    if status is not None:
        commitments = commitments.filter(status=status)
    return commitments


def commitments_for_agreement(*, agreement) -> QuerySet[Commitment]:
    """An agreement's commitments across funds and years, newest year first, with `live_amount` and `paid`."""
    return commitments_for(agreement=agreement)


def fund_with_role(role: str) -> Fund | None:
    """The fund the profile gave this role (Fund.Role), or None when it gave it to none."""
    return Fund.objects.filter(role=role).first()


def commitments_by_agreement(*, agreement_ids) -> dict[int, list[Commitment]]:
    """The commitments of several agreements in one query, keyed by agreement id (for the money panels)."""
    grouped: dict[int, list[Commitment]] = {pk: [] for pk in agreement_ids}
    for commitment in _commitments().filter(agreement_id__in=list(grouped)):
        grouped[commitment.agreement_id].append(commitment)
    return grouped


def open_years_between(*, starts_on, ends_on) -> list[int]:
    """The financial years (start years) from one date's to another's that are not closed: where money may
    still be committed."""
    first = FY.for_date(starts_on).start_year
    last = FY.for_date(ends_on).start_year
    closed = set(
        FinancialYear.objects.filter(status=FinancialYear.Status.CLOSED, start_year__range=(first, last)).values_list(
            "start_year", flat=True
        )
    )
    return [y for y in range(max(first, 2000), min(last, 2100) + 1) if y not in closed]


def commitment_get(*, pk: int) -> Commitment:
    return _commitments().get(pk=pk)


def schedule_for(*, commitment: Commitment) -> QuerySet[ScheduledPayment]:
    return commitment.schedule.select_related("payment").order_by("due_on", "id")


def payments_for(
    *, fund: Fund | None = None, year: FinancialYear | None = None, agreement=None, include_sub_funds: bool = False
) -> QuerySet[Payment]:
    """Payments (negative ones are repayments received), newest first, with their commitment, fund, year,
    agreement, service and who recorded them."""
    payments = Payment.objects.select_related(
        "commitment__fund", "commitment__year", "commitment__agreement__service", "recorded_by"
    ).order_by("-paid_on", "-id")
    if fund is not None:
        if include_sub_funds:
            payments = payments.filter(commitment__fund_id__in=fund_descendant_ids(fund=fund))
        else:
            payments = payments.filter(commitment__fund=fund)
    if year is not None:  # paid in the year: dated in it (ADR 0007), as the dashboard's paid figure counts
        payments = payments.filter(paid_on__range=(year.fy.starts_on, year.fy.ends_on))
    if agreement is not None:
        payments = payments.filter(commitment__agreement=agreement)
    return payments


def repayments_for(*, commitment: Commitment | None = None, status: str | None = None) -> QuerySet[Repayment]:
    repayments = Repayment.objects.select_related(
        "commitment__fund", "commitment__year", "commitment__agreement__service", "requested_by", "payment"
    ).order_by("-requested_on", "-id")
    if commitment is not None:
        repayments = repayments.filter(commitment=commitment)
    if status is not None:
        repayments = repayments.filter(status=status)
    return repayments


def virements_for(*, year: FinancialYear | None = None, status: str | None = None) -> QuerySet[Virement]:
    virements = Virement.objects.select_related("year", "from_fund", "to_fund", "requested_by", "decided_by")
    if year is not None:
        virements = virements.filter(year=year)
    if status is not None:
        virements = virements.filter(status=status)
    return virements.order_by("-requested_at", "-id")


# --- What waits for finance (the home page) ---------------------------------------------------------------

PAYMENTS_DUE_WITHIN_DAYS = 30


def commitments_at(*, status: str) -> QuerySet[Commitment]:
    """Commitments at one stage in years still open: planned ones wait for approval, approved ones to be marked
    committed once the agreement is signed. Oldest first, as a queue; each has `live_amount`."""
    return (
        Commitment.objects.filter(status=status, year__status=FinancialYear.Status.OPEN)
        .select_related("fund", "year", "agreement__service")
        .annotate(live_amount=LIVE)
        .order_by("created_at", "pk")
    )


def payments_due(*, today: dt.date, within_days: int = PAYMENTS_DUE_WITHIN_DAYS) -> QuerySet[ScheduledPayment]:
    """Scheduled payments not yet paid that are due within `within_days` of today or overdue, under commitments
    that can still be paid (approved or committed, in an open year); the earliest first."""
    return (
        ScheduledPayment.objects.filter(
            status=ScheduledPayment.Status.DUE,
            due_on__lte=today + dt.timedelta(days=within_days),
            commitment__status__in=[Commitment.Status.APPROVED, Commitment.Status.COMMITTED],
            commitment__year__status=FinancialYear.Status.OPEN,
        )
        .select_related("commitment__agreement__service", "commitment__fund")
        .order_by("due_on", "pk")
    )


def virements_to_decide(*, user) -> QuerySet[Virement]:
    """Transfers between funds waiting for a decision, except the person's own requests (no one approves
    their own)."""
    return (
        Virement.objects.filter(status=Virement.Status.REQUESTED, year__status=FinancialYear.Status.OPEN)
        .exclude(requested_by_id=user.pk)
        .select_related("year", "from_fund", "to_fund")
        .order_by("requested_at", "pk")
    )


def repayments_outstanding() -> QuerySet[Repayment]:
    """Repayments asked for and not yet received or waived, the oldest first."""
    return (
        Repayment.objects.filter(status=Repayment.Status.REQUESTED)
        .select_related("commitment__agreement__service")
        .order_by("requested_on", "pk")
    )


def positions_in(*, year: FinancialYear) -> list[FundPosition]:
    """Every fund's position in the year; all zero in a year not yet opened (an unsaved FinancialYear)."""
    if year.pk:
        return fund_positions(year=year)
    return [
        FundPosition(
            fund=row.fund,
            year=year,
            depth=row.depth,
            budget=ZERO,
            planned=ZERO,
            committed=ZERO,
            paid=ZERO,
            child_ids=row.child_ids,
        )
        for row in fund_tree()
    ]


def budget_for(*, fund: Fund, year: FinancialYear) -> Budget | None:
    return Budget.objects.filter(fund=fund, year=year).first() if year.pk else None


def budget_amounts(*, year: FinancialYear) -> dict[int, Decimal]:
    """Each fund's own budget in the year, by fund id (none in a year not yet opened)."""
    if not year.pk:
        return {}
    return {b.fund_id: to_money(b.amount) for b in Budget.objects.filter(year=year).only("fund_id", "amount")}


def export_size(*, year: FinancialYear) -> int:
    """Rows the dashboard workbook of `year` will have on its Commitments and Payments sheets (two counts)."""
    return Commitment.objects.filter(year=year).count() + Payment.objects.filter(commitment__year=year).count()


# --- Money grouped for reports (the Panel report groups by a service's main Panel area) ----------------------


def commitment_totals_by(*, year: FinancialYear, key: str) -> dict:
    """{value of `key` (a lookup from a commitment, e.g. "agreement__service__main_panel_area_id"): {"planned",
    "committed", "forecast"}} for `year`'s live commitments: planned ones, counted ones (approved, committed,
    released) and both together. One query, aggregated in the database."""
    rows = (
        Commitment.objects.filter(year=year)
        .order_by()
        .values(key)
        .annotate(
            planned=_sum(LIVE, filter=Q(status=Commitment.Status.PLANNED)),
            committed=_sum(LIVE, filter=Q(status__in=COUNTED)),
        )
    )
    return {
        row[key]: {
            "planned": to_money(row["planned"]),
            "committed": to_money(row["committed"]),
            "forecast": to_money(row["planned"]) + to_money(row["committed"]),
        }
        for row in rows
    }


def paid_totals_by(*, starts_on: dt.date, ends_on: dt.date, key: str, fund_ids=None) -> dict:
    """{value of `key` (a lookup from a payment's commitment, e.g. "agreement__service_id"): net paid} for payments
    dated from `starts_on` to `ends_on` (ADR 0007: paid in a period is what was paid in it). One query."""
    path = f"commitment__{key}"
    payments = Payment.objects.filter(paid_on__range=(starts_on, ends_on))
    if fund_ids is not None:
        payments = payments.filter(commitment__fund_id__in=list(fund_ids))
    return {row[path]: to_money(row["paid"]) for row in payments.order_by().values(path).annotate(paid=_sum("amount"))}


def paid_totals_in(*, periods: dict, key: str) -> dict:
    """{name: {value of `key`: net paid}} for each of `periods` ({name: (starts_on, ends_on)}), in one query over
    the payments of all of them (conditional sums), grouped by `key` as paid_totals_by does."""
    path = f"commitment__{key}"
    span = Q()
    sums = {}
    for name, (starts_on, ends_on) in periods.items():
        span |= Q(paid_on__range=(starts_on, ends_on))
        sums[f"paid_{name}"] = _sum("amount", filter=Q(paid_on__range=(starts_on, ends_on)))
    found = {name: {} for name in periods}
    for row in Payment.objects.filter(span).order_by().values(path).annotate(**sums):
        for name in periods:
            found[name][row[path]] = to_money(row[f"paid_{name}"])
    return found


def funds_paying_services(*, service_ids) -> dict[int, set[int]]:
    """The funds each service's agreements have money planned or committed from, by service id. One query."""
    found: dict[int, set[int]] = {}
    rows = Commitment.objects.filter(agreement__service_id__in=list(service_ids)).values_list(
        "agreement__service_id", "fund_id"
    )
    for service_id, fund_id in rows.distinct():
        found.setdefault(service_id, set()).add(fund_id)
    return found
