"""Constants, the scale, the summary and the small pence and month helpers every part of generate_data uses."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from commissioning.agreements.models import Agreement, Service

GEN = " (generated)"
ORG_PREFIX = "gen-"
STREAM_PREFIX = "gen-"
SERVICE_PREFIX = "GEN-SVC-"
AGREEMENT_PREFIX = "GEN-AGR-"
USER_DOMAIN = "generated.opcc.invalid"
GENERATED_BUDGET_NOTE = "Generated benchmark data (generate_data)"
PA_2023_FROM = dt.date(2025, 2, 24)  # procurements from this date fall under the Procurement Act 2023
LONDON = ZoneInfo("Europe/London")
BATCH = 1000
PENNY = Decimal("0.01")
POUND = 100  # pence

SAFETY, INNOVATION, PROPERTY = "commissioners-safety-fund", "local-innovation-fund", "police-property-act-fund"
VICTIMS, CORE, CSA, OTHER = "victims-fund", "core-victims-fund", "victims-csa", "other-grant-funding"
FUND_CODES = (SAFETY, INNOVATION, PROPERTY, VICTIMS, CORE, CSA, OTHER)
LEAF_FUNDS = (CORE, CSA, SAFETY, INNOVATION, PROPERTY, OTHER)
# Home Office grants won by bid, by the years of the decade they paid (Other Grant Funding has money only then).
HOME_OFFICE_GRANTS = (
    ("ptf", "Home Office Police Transformation Fund", (1, 2, 3), (180_000, 320_000)),
    ("safer-streets", "Home Office Safer Streets Fund", (4, 5, 6, 7), (250_000, 450_000)),
)


@dataclass
class Calendar:
    """The decade generated: its first and last financial years (start years) and its "today", set by generate()
    from the day it runs, so the last year generated is always the current one."""

    first_year: int = 2016
    last_year: int = 2025
    as_of: dt.date = dt.date(2026, 1, 31)

    def set(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self.last_year = as_of.year if as_of.month >= 4 else as_of.year - 1
        self.first_year = self.last_year - 9

    @property
    def home_office_grants(self):
        """HOME_OFFICE_GRANTS with the years they paid as start years."""
        return tuple(
            (key, name, tuple(self.first_year + offset for offset in years), band)
            for key, name, years, band in HOME_OFFICE_GRANTS
        )

    @property
    def home_office_keys(self):
        return frozenset(key for key, *_ in HOME_OFFICE_GRANTS)


CAL = Calendar()

PCR, PA, GRANT, NONE = (
    Agreement.Regime.PCR_2015,
    Agreement.Regime.PA_2023,
    Agreement.Regime.GRANT,
    Agreement.Regime.NONE,
)
A = Service.Approach


@dataclass(frozen=True)
class Scale:
    copies: int  # county-sized shares of services, agreements and money in the one database
    vcse: int  # generated voluntary and community organisations
    providers: int  # generated businesses and social enterprises


SCALES = {
    "county": Scale(copies=1, vcse=330, providers=60),
    "national": Scale(copies=40, vcse=330 * 20, providers=60 * 20),
}
# Services per county-sized share, by the approach they came from.
SERVICES_PER_COPY = {A.COMMUNITY_GRANT: 95, A.ONE_OFF: 25, A.PRIORITY: 85, A.INHERITED: 45, A.CO_COMMISSIONED: 50}


class GenerateError(Exception):
    """generate_data was refused; nothing was changed."""


@dataclass
class GenerateSummary:
    scale: str
    seed: int
    counts: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    ORDER = (
        "organisations", "users", "services", "co-funders", "agreements", "decision records", "funding streams",
        "stream allocations", "return dates", "budgets", "budget lines", "virements", "commitments",
        "scheduled payments", "payments", "repayments", "grant rounds", "applications", "awards",
        "service KPIs", "KPI returns", "return versions", "KPI values", "case studies", "feedback records",
        "commissioning cases", "quotes", "tenders", "bids", "contract awards", "LIF allowances",
    )  # fmt: skip

    def __str__(self):
        parts = ", ".join(f"{self.counts[name]} {name}" for name in self.ORDER)
        removed = f" (replaced {sum(self.removed.values())} generated rows)" if self.removed else ""
        return f"generate_data {self.scale} seed {self.seed}: {parts} in {self.seconds:.1f} s{removed}."


# --- Small helpers -------------------------------------------------------------------------------------------


def money(pence: int) -> Decimal:
    """Whole pence to pounds and pence (Decimal, two places)."""
    return (Decimal(pence) / 100).quantize(PENNY)


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def month_start(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(index: int) -> dt.date:
    return month_start(index + 1) - dt.timedelta(days=1)


def fy_of(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def fy_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def split_pence(total: int, weights: list[int]) -> list[int]:
    """Share whole pence in proportion to integer weights; the parts add up to the total exactly."""
    whole = sum(weights)
    parts = [total * weight // whole for weight in weights]
    for index in range(total - sum(parts)):
        parts[index % len(parts)] += 1
    return parts


def at_ten(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), LONDON)
