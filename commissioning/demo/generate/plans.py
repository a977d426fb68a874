"""Plans: plain objects for what one county-sized share will hold, turned into rows by writing.py."""

import datetime as dt
from dataclasses import dataclass, field

from commissioning.accounts.models import User
from commissioning.agreements.models import Agreement, Service
from commissioning.demo.generate.common import CAL, POUND, A, month_index
from commissioning.demo.generate.words import Theme
from commissioning.organisations.models import Organisation
from commissioning.strategy.models import DecisionRecord


@dataclass
class DecisionPlan:
    subject: str
    legal_basis: str
    decision: str
    reasons: str
    decided_on: dt.date
    pence: int | None
    publishable: bool = True
    row: DecisionRecord | None = None


@dataclass
class AgreementPlan:
    kind: str
    regime: str
    starts_on: dt.date
    ends_on: dt.date
    annual: int  # pence a year (a community grant: its whole amount)
    funds: list  # [(fund code, percent)]
    terms: str  # quarterly, monthly or advance
    victims: bool = False  # a victims' service, which the Victims Fund may pay
    terminated: bool = False
    decision: DecisionPlan | None = None
    signed_on: dt.date | None = None  # set when a generated tender led to it (procurement.py); else drawn
    row: Agreement | None = None

    @property
    def status(self) -> str:
        if self.starts_on > CAL.as_of:
            return Agreement.Status.DRAFT
        if self.ends_on < CAL.as_of:
            return Agreement.Status.TERMINATED if self.terminated else Agreement.Status.ENDED
        return Agreement.Status.ACTIVE

    def months_in(self, year: int) -> int:
        first, last = month_index(dt.date(year, 4, 1)), month_index(dt.date(year, 4, 1)) + 11
        return max(0, min(month_index(self.ends_on), last) - max(month_index(self.starts_on), first) + 1)

    @property
    def value(self) -> int:
        if self.terms == "advance":
            return self.annual
        months = month_index(self.ends_on) - month_index(self.starts_on) + 1
        return self.annual * months // 12 // POUND * POUND


@dataclass
class ServicePlan:
    approach: str
    theme: Theme
    name: str
    provider: Organisation
    priorities: list
    panel_areas: list
    agreements: list
    delivery_area: str
    lead: User
    co_funders: list = field(default_factory=list)  # [(Organisation, pence)]
    row: Service | None = None

    @property
    def starts_on(self):
        return min(a.starts_on for a in self.agreements)

    @property
    def ends_on(self):
        return max(a.ends_on for a in self.agreements)

    @property
    def status(self) -> str:
        if self.starts_on > CAL.as_of:
            return Service.Status.PLANNED
        if self.ends_on < CAL.as_of:
            return Service.Status.ENDED
        long_running = self.approach in (A.PRIORITY, A.INHERITED, A.CO_COMMISSIONED)
        if long_running and (self.ends_on - CAL.as_of).days <= 540:  # strategic review in the final 12-18 months
            return Service.Status.IN_REVIEW
        return Service.Status.ACTIVE


@dataclass
class CommitmentPlan:
    agreement: AgreementPlan
    year: int
    fund: str
    pence: int
