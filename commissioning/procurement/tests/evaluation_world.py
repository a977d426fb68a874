"""An opened tender with three submitted bids, ready to evaluate, for the evaluation and award tests, the url
matrix and the OCDS export tests. Built directly (test support may build any app's models)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.funds.tests.factories import BudgetFactory, FinancialYearFactory, FundFactory
from commissioning.organisations.models import Organisation
from commissioning.organisations.tests.factories import OrganisationFactory
from commissioning.procurement.models import (
    AwardCriterion,
    Bid,
    BidAnswer,
    BidEnvelope,
    BidOpening,
    CommissioningCase,
    Regime,
    Tender,
)
from commissioning.strategy.tests.factories import PriorityFactory

PRICES = (Decimal("300000.00"), Decimal("240000.00"), Decimal("150000.00"))
_count = [0]


def opened_tender(*, prices=PRICES, regime=Regime.PA_2023, manager=None, officer=None, suppliers=None):
    """A commissioning case on the open route with its tender opened by two officers: criteria quality 50%,
    social value 10% and price 40%; one submitted bid per price, from its own supplier organisation."""
    _count[0] += 1
    n = _count[0]
    manager = manager or UserFactory(role=Role.COMMISSIONING_MANAGER)
    officer = officer or UserFactory(role=Role.POLICY_OFFICER)
    fund = FundFactory()
    for start_year in (2026, 2027, 2028, 2029):
        BudgetFactory(fund=fund, year=FinancialYearFactory(start_year=start_year), amount=Decimal("500000.00"))
    case = CommissioningCase.objects.create(
        reference=f"PC-T{n:03d}",
        title="Independent domestic violence advisers",
        need_summary="Advocacy for victims at high risk",
        estimated_value=Decimal("300000.00"),
        contract_starts_on=dt.date(2027, 4, 1),
        contract_months=24,
        light_touch=True,
        regime=regime,
        route="open",
        fund=fund,
    )
    case.priorities.add(PriorityFactory())
    now = timezone.now()
    tender = Tender.objects.create(
        case=case,
        reference=f"T-{n:04d}",
        title="Independent domestic violence advisers",
        description="An IDVA service across the county for two years",
        status=Tender.Status.OPENED,
        deadline=now - dt.timedelta(days=3),
        published_at=now - dt.timedelta(days=40),
        published_by=manager,
        created_by=manager,
    )
    quality = AwardCriterion.objects.create(
        tender=tender, kind="quality", title="Service delivery", weight=Decimal("50"), order=1
    )
    social = AwardCriterion.objects.create(
        tender=tender, kind="social_value", title="Social value", weight=Decimal("10"), order=2
    )
    price = AwardCriterion.objects.create(tender=tender, kind="price", title="Price", weight=Decimal("40"), order=3)
    bids = []
    for index, amount in enumerate(prices):
        organisation = (suppliers or {}).get(index) or OrganisationFactory(
            name=f"Supplier {n}-{index + 1}", kind=Organisation.Kind.PROVIDER
        )
        bid = Bid.objects.create(
            tender=tender,
            organisation=organisation,
            status=Bid.Status.SUBMITTED,
            created_by=manager,
            submitted_by=manager,
            submitted_at=now - dt.timedelta(days=4, hours=index),
        )
        BidEnvelope.objects.create(bid=bid, price=amount)
        for criterion in (quality, social):
            BidAnswer.objects.create(bid=bid, criterion=criterion, text=f"Answer of bid {index + 1} to {criterion}")
        bids.append(bid)
    BidOpening.objects.create(
        tender=tender,
        started_by=manager,
        started_at=now - dt.timedelta(days=2),
        confirmed_by=officer,
        confirmed_at=now - dt.timedelta(days=2),
        bids_received=len(bids),
    )
    tender.criteria_by_kind = {"quality": quality, "social_value": social, "price": price}
    return tender, bids
