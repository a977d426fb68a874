"""Returns to funders (issue 12, point 3), built from the funding streams' reporting dates (StreamReturnDate):

- the Ministry of Justice victims services return: for each service the victims grant funds, victims supported
  (the beneficiaries KPI from accepted returns: MoJ counts unique people, not contacts), outcomes (KPI figures
  meeting their targets), and spend; then spend against each ring-fence (the victims fund's sub-funds);
- the Home Office grant claim: for each fund the grant pays into, the year's allocation, spend in the claim
  period and to date, and the amount claimed.

The period a return covers runs from the start of the financial year to the end of the last whole quarter before
it is due (a return due on 31 October covers April to September), and never past the year's end. Figures go to
the funder under the grant's terms, so they are exact (not suppressed). A fixed number of queries.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from commissioning.agreements.models import Service
from commissioning.core.money import ZERO
from commissioning.funds import selectors as fund_selectors
from commissioning.funds.models import Commitment, FundingStream, StreamReturnDate
from commissioning.monitoring.models import Direction, ReturnStatus, ReturnValue
from commissioning.reporting.models import FunderReturn, ReturnLayout
from commissioning.reporting.selectors.panel import BENEFICIARIES

LAYOUT_OF_SOURCE = {
    FundingStream.Source.MOJ_VICTIMS: ReturnLayout.MOJ_VICTIMS,
    FundingStream.Source.HOME_OFFICE: ReturnLayout.HOME_OFFICE_CLAIM,
}

MOJ_HEADINGS = [
    "Service reference",
    "Service name",
    "Provider",
    "Ring-fence",
    "Victims supported",
    "Outcome measures with a target",
    "Outcome measures meeting their target",
    "Spend in period (GBP)",
]
MOJ_RING_FENCE_HEADINGS = ["Ring-fence", "Budget (GBP)", "Committed (GBP)", "Spend in period (GBP)", "Unspent (GBP)"]
HOME_OFFICE_HEADINGS = [
    "Fund",
    "Grant allocation for the year (GBP)",
    "Spend in claim period (GBP)",
    "Spend to date this year (GBP)",
    "Amount claimed (GBP)",
]


def return_dates():
    """The reporting dates of the MoJ victims and Home Office streams, the earliest due first."""
    return (
        StreamReturnDate.objects.filter(stream__source__in=list(LAYOUT_OF_SOURCE))
        .select_related("stream", "stream__fund", "stream__funder", "year")
        .order_by("due_on", "pk")
    )


def return_date_get(pk: int) -> StreamReturnDate:
    return return_dates().get(pk=pk)


def submissions_by_date(dates) -> dict:
    """{return date id: FunderReturn} for those already submitted. One query."""
    rows = FunderReturn.objects.filter(return_date__in=[d.pk for d in dates]).select_related("submitted_by")
    return {row.return_date_id: row for row in rows}


def period_of(return_date: StreamReturnDate) -> tuple[dt.date, dt.date]:
    fy = return_date.year.fy
    ends_on = fy.ends_on
    due = return_date.due_on
    if due <= fy.ends_on:
        # the last whole quarter ending before the due date
        quarter_ends = [dt.date(fy.start_year, 6, 30), dt.date(fy.start_year, 9, 30), dt.date(fy.start_year, 12, 31)]
        ended = [day for day in quarter_ends if day < due]
        ends_on = ended[-1] if ended else dt.date(fy.start_year, 6, 30)
    return fy.starts_on, ends_on


@dataclass
class FunderReturnData:
    return_date: StreamReturnDate
    layout: str
    starts_on: dt.date
    ends_on: dt.date
    headings: list[str]
    rows: list[list]
    second_headings: list[str] = field(default_factory=list)
    second_rows: list[list] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{ReturnLayout(self.layout).label}, {self.return_date.stream.name}"

    @property
    def period_label(self) -> str:
        return f"{self.starts_on.day} {self.starts_on:%B %Y} to {self.ends_on.day} {self.ends_on:%B %Y}"

    def as_json(self) -> dict:
        def plain(value):
            return str(value) if isinstance(value, Decimal) else value

        return {
            "headings": self.headings,
            "rows": [[plain(v) for v in row] for row in self.rows],
            "second_headings": self.second_headings,
            "second_rows": [[plain(v) for v in row] for row in self.second_rows],
        }


def _accepted(starts_on, ends_on):
    return ReturnValue.objects.filter(
        version__kpi_return__status=ReturnStatus.ACCEPTED,
        version__decisions__outcome="accepted",
        version__kpi_return__starts_on__gte=starts_on,
        version__kpi_return__ends_on__lte=ends_on,
        category="",
    ).order_by()


def funder_return(return_date: StreamReturnDate) -> FunderReturnData:
    layout = LAYOUT_OF_SOURCE[return_date.stream.source]
    starts_on, ends_on = period_of(return_date)
    if layout == ReturnLayout.MOJ_VICTIMS:
        return _moj(return_date, starts_on, ends_on)
    return _home_office(return_date, starts_on, ends_on)


def _moj(return_date, starts_on, ends_on) -> FunderReturnData:
    funds = fund_selectors.fund_descendant_ids(fund=return_date.stream.fund)
    year = return_date.year
    service_key = "agreement__service_id"
    commitments = (
        Commitment.objects.filter(year=year, fund_id__in=funds)
        .order_by()
        .values_list(service_key, "fund__name", "fund__is_ring_fenced")
        .distinct()
    )
    ring_fence_of: dict[int, set] = {}
    for service_id, fund_name, ring_fenced in commitments:
        ring_fence_of.setdefault(service_id, set())
        if ring_fenced:
            ring_fence_of[service_id].add(fund_name)
    service_ids = list(ring_fence_of)
    spend = fund_selectors.paid_totals_by(starts_on=starts_on, ends_on=ends_on, key=service_key, fund_ids=funds)
    values = _accepted(starts_on, ends_on).filter(version__kpi_return__service_id__in=service_ids)
    people = {
        row["version__kpi_return__service_id"]: row["n"]
        for row in values.filter(kpi__definition__code=BENEFICIARIES)
        .values("version__kpi_return__service_id")
        .annotate(n=Sum("value"))
    }
    met = Q(kpi__direction=Direction.HIGHER, value__gte=F("kpi__target")) | Q(
        kpi__direction=Direction.LOWER, value__lte=F("kpi__target")
    )
    outcomes = {
        row["version__kpi_return__service_id"]: (row["n"], row["met"])
        for row in values.filter(kpi__target__isnull=False)
        .values("version__kpi_return__service_id")
        .annotate(n=Count("pk"), met=Count("pk", filter=met))
    }
    rows = []
    for service in Service.objects.filter(pk__in=service_ids).select_related("provider").order_by("reference"):
        n, met_count = outcomes.get(service.pk, (0, 0))
        rows.append(
            [
                service.reference,
                service.name,
                service.provider.name,
                ", ".join(sorted(ring_fence_of.get(service.pk, ()))) or "Core",
                people.get(service.pk, 0),
                n,
                met_count,
                spend.get(service.pk, ZERO),
            ]
        )
    paid_by_fund = fund_selectors.paid_totals_by(starts_on=starts_on, ends_on=ends_on, key="fund_id")
    second = []
    for position in fund_selectors.fund_positions(year=year):
        if position.fund.pk in funds:
            paid = paid_by_fund.get(position.fund.pk, ZERO)
            second.append(
                [position.fund.name, position.own_budget, position.own_committed, paid, position.own_budget - paid]
            )
    return FunderReturnData(
        return_date, ReturnLayout.MOJ_VICTIMS, starts_on, ends_on, MOJ_HEADINGS, rows, MOJ_RING_FENCE_HEADINGS, second
    )


def _home_office(return_date, starts_on, ends_on) -> FunderReturnData:
    stream = return_date.stream
    funds = fund_selectors.fund_descendant_ids(fund=stream.fund)
    fy = return_date.year.fy
    allocation = next(
        (a.amount for a in fund_selectors.stream_allocations_for(year=return_date.year) if a.stream_id == stream.pk),
        ZERO,
    )
    in_period = fund_selectors.paid_totals_by(starts_on=starts_on, ends_on=ends_on, key="fund_id")
    to_date = fund_selectors.paid_totals_by(starts_on=fy.starts_on, ends_on=ends_on, key="fund_id")
    rows = []
    for position in fund_selectors.fund_positions(year=return_date.year):
        if position.fund.pk not in funds:
            continue
        rows.append(
            [
                position.fund.name,
                allocation if position.fund.pk == stream.fund_id else ZERO,
                in_period.get(position.fund.pk, ZERO),
                to_date.get(position.fund.pk, ZERO),
                min(in_period.get(position.fund.pk, ZERO), allocation) if allocation else ZERO,
            ]
        )
    return FunderReturnData(return_date, ReturnLayout.HOME_OFFICE_CLAIM, starts_on, ends_on, HOME_OFFICE_HEADINGS, rows)
