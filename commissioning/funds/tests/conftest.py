"""A small world for funds tests: 2026/27, the Victims Fund split 93%/7% into Core and a ring-fenced Child
Sexual Abuse part, a Safer Dorset-style fund, and agreements for an ordinary and a CSA service."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from commissioning.agreements.models import Agreement
from commissioning.funds import services
from commissioning.funds.models import FinancialYear, Fund
from commissioning.funds.tests.factories import (
    AgreementFactory,
    FinancialYearFactory,
    FundFactory,
    RingFencedFundFactory,
    ServiceFactory,
)


@dataclass
class World:
    users: dict
    year: FinancialYear
    victims: Fund
    core: Fund
    csa: Fund
    safety: Fund
    agreement: Agreement  # an ordinary service's agreement
    csa_agreement: Agreement  # a service marked as serving the CSA ring-fence

    @property
    def finance(self):
        return self.users["finance_officer"]

    @property
    def cfo(self):
        return self.users["cfo"]

    def budget(self, fund: Fund, amount, year: FinancialYear | None = None):
        return services.budget_set_total(
            actor=self.finance, fund=fund, year=year or self.year, amount=amount, reason="Opening budget"
        )

    def approved(self, fund: Fund, amount, agreement: Agreement | None = None):
        commitment = services.commitment_plan(
            actor=self.finance, fund=fund, year=self.year, agreement=agreement or self.agreement, amount=amount
        )
        return services.commitment_approve(actor=self.cfo, commitment=commitment)


@pytest.fixture
def world(users):
    year = FinancialYearFactory(start_year=2026)
    victims = FundFactory(code="victims-fund", name="Victims Fund", allows_carry_forward=False)
    core = FundFactory(code="core-victims", name="Core Victims Fund", parent=victims, allows_carry_forward=False)
    csa = RingFencedFundFactory(code="victims-csa", name="Child Sexual Abuse fund", parent=victims)
    services.fund_split_set(
        parent=victims, effective_from=dt.date(2017, 4, 1), shares={core: Decimal("93"), csa: Decimal("7")}
    )
    safety = FundFactory(code="safety", name="Commissioner's Safety Fund")
    return World(
        users=users,
        year=year,
        victims=victims,
        core=core,
        csa=csa,
        safety=safety,
        agreement=AgreementFactory(service=ServiceFactory(name="Restorative justice")),
        csa_agreement=AgreementFactory(service=ServiceFactory(name="CSA counselling", ring_fences=[csa])),
    )
