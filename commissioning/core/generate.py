"""Large invented data for benchmarks: python manage.py generate_data --scale county --seed 1.

County scale is a decade (financial years 2016/17 to 2025/26) of one county OPCC's commissioning, built on the
loaded profile's funds, partners, plan priorities and Panel areas: organisations, services and their agreements,
co-funders, decision records, funding streams with their yearly allocations, budgets and budget lines,
virements, commitments, payment schedules, payments and repayments. National scale is the same shape forty
times over in the same funds (43 forces' worth of services and money in one database), with twenty times the
organisations.

Everything is invented and says so: names end in "(generated)", people are named by role only ("Generated
Finance Officer 3") and e-mail addresses use the reserved .invalid domain. The same seed gives the same data:
one random.Random(seed) drives every choice and nothing reads the clock (the data is "as of" AS_OF, late in
2025/26, the current year of the decade). Money is held as whole pence (int) while building and written as
Decimal with two places; never float.

Rows are written with bulk_create in batches, which skips django-simple-history: generated benchmark data has
no history, on purpose (a history of invented edits would only slow the run). Who did what is still recorded in
the rows themselves (created_by, recorded_by, requested_by, approved_by, decided_by).

What holds, as in data made through the services (checked by core/tests/test_generate_data.py):
- each budget's amount is the sum of its lines; the Victims Fund's money is split by its configured shares
  (93%/7%) to the penny with money.allocate;
- for every fund and year, live commitments (amount - released_amount, planned ones included) never exceed the
  budget: a running total is kept per fund and year, and a commitment that does not fit is shrunk or skipped
  (ring-fenced and grant-funded overflow moves to the next fund that may pay it);
- payments under a commitment never exceed its live amount, and payment references are unique;
- community grants are £100 to £3,000; grants are under the grant regime; contracts starting on or after
  24 February 2025 are under the Procurement Act 2023, earlier ones under the PCR 2015.

Generated rows are recognised (for --replace) by: organisation codes starting "gen-", service references
"GEN-SVC-", agreement references "GEN-AGR-", funding stream codes "gen-", decision subjects, virement reasons and
budget line descriptions ending "(generated)", budgets whose notes are GENERATED_BUDGET_NOTE, and users whose
e-mail ends "@generated.opcc.invalid" (users are kept and reused, not deleted).
"""

import datetime as dt
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Q, Sum

from commissioning.accounts.models import User
from commissioning.accounts.roles import OPCC_STAFF, Role
from commissioning.agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementVariation,
    CoFunder,
    SafetyFundReviewLine,
    Service,
)
from commissioning.core.models import opcc_settings
from commissioning.core.money import allocate
from commissioning.core.profiles.loader import profile_load
from commissioning.funds.models import (
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
    StreamReturnDate,
    Virement,
)
from commissioning.funds.selectors import fund_split_on
from commissioning.organisations.models import AreaOfInterest, Organisation
from commissioning.strategy.models import DecisionRecord, LegalBasis, PanelArea, Priority

GEN = " (generated)"
ORG_PREFIX = "gen-"
STREAM_PREFIX = "gen-"
SERVICE_PREFIX = "GEN-SVC-"
AGREEMENT_PREFIX = "GEN-AGR-"
USER_DOMAIN = "generated.opcc.invalid"
GENERATED_BUDGET_NOTE = "Generated benchmark data (generate_data)"
FIRST_YEAR, LAST_YEAR = 2016, 2025  # 2016/17 to 2025/26
AS_OF = dt.date(2026, 1, 31)  # the generated data's "today": late in 2025/26
PA_2023_FROM = dt.date(2025, 2, 24)  # procurements from this date fall under the Procurement Act 2023
LONDON = ZoneInfo("Europe/London")
BATCH = 1000
PENNY = Decimal("0.01")
POUND = 100  # pence

SAFETY, INNOVATION, PROPERTY = "commissioners-safety-fund", "local-innovation-fund", "police-property-act-fund"
VICTIMS, CORE, CSA, OTHER = "victims-fund", "core-victims-fund", "victims-csa", "other-grant-funding"
FUND_CODES = (SAFETY, INNOVATION, PROPERTY, VICTIMS, CORE, CSA, OTHER)
LEAF_FUNDS = (CORE, CSA, SAFETY, INNOVATION, PROPERTY, OTHER)
# Home Office grants won by bid, by the years they paid (Other Grant Funding has money only then).
HOME_OFFICE_GRANTS = (
    ("ptf", "Home Office Police Transformation Fund", (2017, 2018, 2019), (180_000, 320_000)),
    ("safer-streets", "Home Office Safer Streets Fund", (2020, 2021, 2022, 2023), (250_000, 450_000)),
)

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


@dataclass(frozen=True)
class Theme:
    key: str
    nouns: tuple
    panel_areas: tuple  # Panel area codes, the first the main one
    priorities: tuple  # plan priority codes
    fund: str  # the leaf fund that usually pays
    weight: int
    areas: tuple  # areas of interest of organisations working in it
    ring_fenced: bool = False
    legal_basis: str = LegalBasis.PRSRA_2011_S9


VICTIM_BASIS = LegalBasis.ASBCPA_2014_S143
THEMES = (
    Theme(
        "domestic-abuse",
        (
            "Domestic Abuse Outreach",
            "Independent Domestic Violence Advisers",
            "Refuge Support Service",
            "Domestic Abuse Perpetrator Programme",
            "Stalking Advocacy Service",
            "Young People's Domestic Abuse Service",
        ),
        ("domestic-violence", "prevention-activities"),
        ("3.1", "1.1", "1.3"),
        CORE,
        22,
        ("Domestic Abuse", "Safeguarding", "Support Victims of Crime"),
        legal_basis=VICTIM_BASIS,
    ),
    Theme(
        "sexual-violence",
        (
            "Independent Sexual Violence Advisers",
            "Sexual Assault Referral Centre Aftercare",
            "Sexual Violence Counselling",
            "Sexual Violence Helpline",
        ),
        ("sexual-violence", "mental-health"),
        ("3.1", "1.1"),
        CORE,
        12,
        ("Sexual Assault", "Sexual Violence", "Support Victims of Crime"),
        legal_basis=VICTIM_BASIS,
    ),
    Theme(
        "child-sexual-abuse",
        (
            "Children's Independent Sexual Violence Advisers",
            "Therapeutic Support for Survivors of Child Sexual Abuse",
            "Child Sexual Abuse Recovery Service",
        ),
        ("sexual-violence", "mental-health"),
        ("3.1", "1.1"),
        CSA,
        6,
        ("Sexual Abuse", "Safeguarding", "Looked After Children"),
        ring_fenced=True,
        legal_basis=VICTIM_BASIS,
    ),
    Theme(
        "victims",
        ("Victim Care Service", "Hate Crime Advocacy", "Fraud Victim Support", "Witness Support Service"),
        ("prevention-activities", "domestic-violence"),
        ("3.1", "2.1"),
        CORE,
        12,
        ("Support Victims of Crime", "Criminal Justice"),
        legal_basis=VICTIM_BASIS,
    ),
    Theme(
        "restorative-justice",
        ("Restorative Justice Service", "Community Mediation", "Victim and Offender Conferencing"),
        ("restorative-justice", "offender-management"),
        ("3.3", "2.3"),
        SAFETY,
        8,
        ("Restorative Justice", "Reduce Reoffending"),
    ),
    Theme(
        "prevention",
        (
            "Youth Diversion Project",
            "Knife Crime Prevention Programme",
            "Schools Safety Education",
            "Night-time Economy Safety Scheme",
            "Rural Crime Prevention",
            "Cyber Crime Awareness",
            "Road Safety Education",
        ),
        ("prevention-activities",),
        ("1.1", "2.1", "2.2", "2.3"),
        SAFETY,
        14,
        ("Crime and Disorder", "Education", "Youth Offending"),
    ),
    Theme(
        "offender",
        (
            "Integrated Offender Management Mentoring",
            "Women's Diversion Service",
            "Out of Court Disposal Interventions",
            "Prison Leaver Housing Support",
        ),
        ("offender-management", "drugs-and-alcohol"),
        ("3.2", "1.1"),
        SAFETY,
        10,
        ("Offender Management", "Reduce Reoffending", "Homelessness"),
    ),
    Theme(
        "drugs-alcohol",
        ("Arrest Referral Service", "Alcohol Diversion Scheme", "Drug Recovery Mentoring"),
        ("drugs-and-alcohol", "offender-management"),
        ("1.2", "3.2"),
        SAFETY,
        8,
        ("Drug and Alcohol Services",),
    ),
    Theme(
        "mental-health",
        ("Street Triage Support", "Mental Health Liaison and Diversion", "Crisis Café", "Wellbeing Support"),
        ("mental-health", "prevention-activities"),
        ("1.2", "1.1"),
        SAFETY,
        8,
        ("Mental Health", "Healthcare"),
    ),
)
THEME = {theme.key: theme for theme in THEMES}
COMMUNITY_PROJECTS = (
    "Summer Youth Activities",
    "Neighbourhood Watch Equipment",
    "Community Speed Watch",
    "Boxing Club Diversion Sessions",
    "Scam Awareness for Older People",
    "Bike Marking Days",
    "Women's Safety Walks",
    "Youth Football Evenings",
    "Rural Watch Radios",
    "Hate Crime Awareness Workshops",
    "Online Safety Workshops",
    "Healthy Relationships Drama Project",
    "Allotment Project for Prison Leavers",
    "Knife Crime Awareness Assemblies",
    "Young Carers' Safety Days",
    "Village Hall Security Lighting",
    "Peer Mentoring Training",
    "Community Clean-up and Graffiti Removal",
)
# Word lists for invented organisation names: [qualifier] place + suffix + " (generated)".
PLACES = (
    "Harbour", "Wessex", "Chalk Downs", "Stour Valley", "Heathland", "Kingfisher", "Lighthouse", "Oak Tree",
    "Compass", "Anchor", "Meadowbank", "Riverside", "Haven", "Beacon", "Cliff Top", "Greensand", "Saltmarsh",
    "Three Rivers", "Hillfort", "Ridgeway", "Willow", "Heron", "Open Door", "New Leaf", "Fresh Start",
    "Stepping Stones", "Brighter Days", "Safe Harbour", "Coastline", "Moorland", "Seaview", "Bluebell",
    "Whitecliff", "Sandbank", "Northgate", "Elmwood", "Foxglove", "Millstream", "Tidewater", "Downland",
)  # fmt: skip
QUALIFIERS = ("", "North", "South", "East", "West", "Central", "Coastal", "Rural", "Town", "Valley")
VCSE_SUFFIXES = (
    ("Women's Aid", "domestic-abuse"),
    ("Domestic Abuse Service", "domestic-abuse"),
    ("Family Safety Project", "domestic-abuse"),
    ("Refuge Trust", "domestic-abuse"),
    ("Sexual Violence Support Centre", "sexual-violence"),
    ("Survivors' Network", "sexual-violence"),
    ("Children's Trust", "child-sexual-abuse"),
    ("Young Survivors Project", "child-sexual-abuse"),
    ("Victims' Help Network", "victims"),
    ("Advice Centre", "victims"),
    ("Witness Care Trust", "victims"),
    ("Mediation Service", "restorative-justice"),
    ("Restorative Practice Network", "restorative-justice"),
    ("Youth Trust", "prevention"),
    ("Youth Club", "prevention"),
    ("Sports Foundation", "prevention"),
    ("Community Trust", "prevention"),
    ("Neighbourhood Association", "prevention"),
    ("Arts Collective", "prevention"),
    ("Mentoring Project", "offender"),
    ("Rehabilitation Trust", "offender"),
    ("Housing Project", "offender"),
    ("Recovery Service", "drugs-alcohol"),
    ("Recovery Community", "drugs-alcohol"),
    ("Wellbeing Hub", "mental-health"),
    ("Counselling Service", "mental-health"),
    ("Befriending Scheme", "mental-health"),
    ("Men's Project", "domestic-abuse"),
    ("Community Interest Company", None),
    ("Community Association", None),
)
PROVIDER_SUFFIXES = (
    ("Support Services Ltd", None),
    ("Consulting Ltd", None),
    ("Social Enterprise CIC", None),
    ("Health Partnership LLP", "mental-health"),
    ("Recovery Partnership CIC", "drugs-alcohol"),
    ("Training and Mentoring Ltd", "offender"),
    ("Restorative Practice CIC", "restorative-justice"),
    ("Advocacy Services Ltd", "victims"),
    ("Care Group Ltd", "domestic-abuse"),
    ("Safety Education Ltd", "prevention"),
)
HOME_OFFICE_KEYS = frozenset(key for key, *_ in HOME_OFFICE_GRANTS)
STREAM_TERMS = {
    "moj": (
        "Services for victims of crime only; the Child Sexual Abuse part is ring-fenced.",
        "Bi-annual monitoring returns counting unique victims supported; annual accounts.",
    ),
    **{key: ("Only for the project in the successful bid.", "Grant claims twice a year.") for key in HOME_OFFICE_KEYS},
}
# Returns and claims a funder asks for each year: (kind, (month, day), years after the year's start).
RETURN_DATES = {
    "moj": (
        (StreamReturnDate.Kind.MONITORING, (10, 31), 0),
        (StreamReturnDate.Kind.MONITORING, (4, 30), 1),
        (StreamReturnDate.Kind.ACCOUNTS, (6, 30), 1),
    ),
    "home_office": ((StreamReturnDate.Kind.CLAIM, (9, 30), 0), (StreamReturnDate.Kind.CLAIM, (3, 31), 1)),
}
PAYMENT_TERMS = {"quarterly": "Quarterly in arrears", "monthly": "Monthly in arrears", "advance": "In full on signing"}
GRANT_CONDITIONS = (
    "Spend only on the purpose in the award letter; quarterly KPI returns with the minimum dataset; "
    "an end-of-grant report within two months of the end."
)
REPAYMENT_CONDITIONS = (
    "Money not spent, or spent other than on the agreed purpose, is repaid to the OPCC "
    "(Police Reform and Social Responsibility Act 2011, s9(3))."
)
REPAYMENT_REASONS = (
    "Unspent grant at the end of the project, returned under the repayment condition",
    "End-of-grant report not provided, so condition 4 was not met",
    "Part of the project did not go ahead; money for that part returned",
)


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
        "scheduled payments", "payments", "repayments",
    )  # fmt: skip

    def __str__(self):
        parts = ", ".join(f"{self.counts[name]} {name}" for name in self.ORDER)
        removed = f" (replaced {sum(self.removed.values())} generated rows)" if self.removed else ""
        return f"generate_data {self.scale} seed {self.seed}: {parts} in {self.seconds:.1f} s{removed}."


# --- Recognising and removing generated data -----------------------------------------------------------------


def generated_data_present() -> bool:
    return (
        Organisation.objects.filter(code__startswith=ORG_PREFIX).exists()
        or Service.objects.filter(reference__startswith=SERVICE_PREFIX).exists()
        or Agreement.objects.filter(reference__startswith=AGREEMENT_PREFIX).exists()
        or FundingStream.objects.filter(code__startswith=STREAM_PREFIX).exists()
    )


def _raw_delete(queryset) -> int:
    # QuerySet.delete() would load every row and write a django-simple-history record for each; generated rows
    # have no history (they were bulk-created), so they go the same way, in one DELETE per table.
    return queryset._raw_delete(queryset.db)


def generated_data_delete() -> Counter:
    """Delete generated rows (and anything recorded against them, such as payments on generated agreements).

    Users and financial years are kept. Budgets that held generated lines are recomputed from what is left,
    and deleted if they were made by the generator and are now empty. Raises GenerateError if another record
    still refers to a generated one.
    """
    removed = Counter()
    agreements = Agreement.objects.filter(reference__startswith=AGREEMENT_PREFIX)
    services = Service.objects.filter(reference__startswith=SERVICE_PREFIX)
    commitments = Commitment.objects.filter(agreement__in=agreements.values("pk"))
    streams = FundingStream.objects.filter(code__startswith=STREAM_PREFIX)
    organisations = Organisation.objects.filter(code__startswith=ORG_PREFIX)
    lines = BudgetLine.objects.filter(Q(stream__code__startswith=STREAM_PREFIX) | Q(description__endswith=GEN))
    touched = set(lines.values_list("budget_id", flat=True))
    touched |= set(Budget.objects.filter(notes=GENERATED_BUDGET_NOTE).values_list("pk", flat=True))
    steps = (
        ("repayments", Repayment.objects.filter(commitment__in=commitments.values("pk"))),
        ("payments", Payment.objects.filter(commitment__in=commitments.values("pk"))),
        ("scheduled payments", ScheduledPayment.objects.filter(commitment__in=commitments.values("pk"))),
        ("commitments", commitments),
        ("virements", Virement.objects.filter(reason__endswith=GEN)),
        ("budget lines", lines),
        ("stream allocations", StreamAllocation.objects.filter(stream__in=streams.values("pk"))),
        ("return dates", StreamReturnDate.objects.filter(stream__in=streams.values("pk"))),
        ("funding streams", streams),
        ("review lines", SafetyFundReviewLine.objects.filter(agreement__in=agreements.values("pk"))),
        ("variations", AgreementVariation.objects.filter(agreement__in=agreements.values("pk"))),
        ("documents", AgreementDocument.objects.filter(agreement__in=agreements.values("pk"))),
        ("agreements", agreements),
        ("decision records", DecisionRecord.objects.filter(subject__endswith=GEN)),
        ("co-funders", CoFunder.objects.filter(service__in=services.values("pk"))),
        ("service priorities", Service.priorities.through.objects.filter(service__in=services.values("pk"))),
        ("service Panel areas", Service.panel_areas.through.objects.filter(service__in=services.values("pk"))),
        ("service ring-fences", Service.ring_fences.through.objects.filter(service__in=services.values("pk"))),
        ("services", services),
    )
    for name, queryset in steps:
        removed[name] = _raw_delete(queryset)
    # Generated users who act for a generated organisation wait at the OPCC until the new ones exist.
    opcc = Organisation.objects.filter(kind=Organisation.Kind.OPCC).first()
    if opcc is not None:
        User.objects.filter(email__endswith=f"@{USER_DOMAIN}", organisation__in=organisations.values("pk")).update(
            organisation=opcc
        )
    removed["organisation areas"] = _raw_delete(
        Organisation.areas_of_interest.through.objects.filter(organisation__in=organisations.values("pk"))
    )
    removed["organisations"] = _raw_delete(organisations)
    for budget in Budget.objects.filter(pk__in=touched):
        total = budget.lines.aggregate(total=Sum("amount"))["total"]
        in_use = Commitment.objects.filter(fund_id=budget.fund_id, year_id=budget.year_id).exists()
        if total is None and budget.notes == GENERATED_BUDGET_NOTE and not in_use:
            _raw_delete(Budget.objects.filter(pk=budget.pk))
            removed["budgets"] += 1
        else:
            Budget.objects.filter(pk=budget.pk).update(amount=(total or Decimal("0")).quantize(PENNY))
    try:
        connection.check_constraints()
    except IntegrityError as exc:
        raise GenerateError(
            f"generated data cannot be replaced: other records refer to it ({exc}). Remove those records first."
        ) from exc
    return Counter({name: count for name, count in removed.items() if count})


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


# --- Plans (plain objects, turned into rows per county-sized share) ------------------------------------------


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
    row: Agreement | None = None

    @property
    def status(self) -> str:
        if self.starts_on > AS_OF:
            return Agreement.Status.DRAFT
        if self.ends_on < AS_OF:
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
        if self.starts_on > AS_OF:
            return Service.Status.PLANNED
        if self.ends_on < AS_OF:
            return Service.Status.ENDED
        long_running = self.approach in (A.PRIORITY, A.INHERITED, A.CO_COMMISSIONED)
        if long_running and (self.ends_on - AS_OF).days <= 540:  # strategic review in the final 12-18 months
            return Service.Status.IN_REVIEW
        return Service.Status.ACTIVE


@dataclass
class CommitmentPlan:
    agreement: AgreementPlan
    year: int
    fund: str
    pence: int


# --- The builder ---------------------------------------------------------------------------------------------


class Builder:
    def __init__(self, *, scale: Scale, seed: int, summary: GenerateSummary):
        self.scale, self.rng, self.summary = scale, random.Random(seed), summary
        self.counts = summary.counts

    # Context from the profile ------------------------------------------------------------------------------

    def load_context(self):
        funds = {fund.code: fund for fund in Fund.objects.filter(code__in=FUND_CODES)}
        missing = [code for code in FUND_CODES if code not in funds]
        if missing:
            raise GenerateError(
                "generate_data builds on the Dorset fund structure; the loaded profile has no fund with code "
                + ", ".join(missing)
            )
        self.funds = funds
        self.opcc = Organisation.objects.filter(kind=Organisation.Kind.OPCC).first()
        current = opcc_settings()
        self.area = current.area_name if current else "the county"
        self.partners = list(
            Organisation.objects.filter(kind=Organisation.Kind.STATUTORY, is_active=True)
            .exclude(code__startswith=ORG_PREFIX)
            .order_by("name", "pk")
        )
        if not self.partners or self.opcc is None:
            raise GenerateError("generate_data needs the OPCC and its statutory partners from the profile")
        self.priorities = {
            p.code: p for p in Priority.objects.filter(pillar__plan__is_current=True).order_by("pillar__number", "code")
        }
        if not self.priorities:
            self.priorities = {p.code: p for p in Priority.objects.order_by("pk")}
        self.panel_areas = {a.code: a for a in PanelArea.objects.order_by("order", "code")}
        self.areas = {a.name.casefold(): a for a in AreaOfInterest.objects.order_by("name")}
        first_split = FundSplit.objects.filter(parent=funds[VICTIMS]).order_by("effective_from").first()
        if first_split is None:
            raise GenerateError("generate_data needs the Victims Fund's split (e.g. 93%/7%) from the profile")
        self.first_split = first_split.effective_from
        self.decision_sequence = {
            row["year"]: row["last"] for row in DecisionRecord.objects.values("year").annotate(last=Max("sequence"))
        }
        self.payment_numbers: dict[str, int] = defaultdict(int)
        self.taken_references = set(
            Payment.objects.filter(reference__regex=r"^(PAY|REP)-[0-9]{4}-[0-9]+$").values_list("reference", flat=True)
        )
        self.service_number = 0
        self.agreement_numbers: dict[int, int] = defaultdict(int)
        self.areas_text = [
            f"Pan-{self.area}",
            f"North {self.area}",
            f"South {self.area}",
            f"East {self.area}",
            f"West {self.area}",
            f"{self.area} coast",
            f"Rural {self.area}",
        ]

    def years(self):
        existing = {y.start_year: y for y in FinancialYear.objects.filter(start_year__range=(FIRST_YEAR, LAST_YEAR))}
        new = [FinancialYear(start_year=y) for y in range(FIRST_YEAR, LAST_YEAR + 1) if y not in existing]
        FinancialYear.objects.bulk_create(new)
        self.year_rows = {
            y.start_year: y for y in FinancialYear.objects.filter(start_year__range=(FIRST_YEAR, LAST_YEAR))
        }

    # Organisations and users -------------------------------------------------------------------------------

    def organisation_names(self, count: int, suffixes) -> list[tuple[str, str | None]]:
        names = []
        for qualifier in QUALIFIERS:
            block = [
                (" ".join(filter(None, (qualifier, place, suffix))), theme)
                for place in PLACES
                for suffix, theme in suffixes
            ]
            self.rng.shuffle(block)
            names += block
            if len(names) >= count:
                return names[:count]
        raise GenerateError(f"not enough invented names for {count} organisations")

    def organisations(self):
        prefix = (opcc_settings().grants_prefix if opcc_settings() else "360G-opcc") + "-ORG-"
        rows, self.by_theme, self.base_names = [], defaultdict(list), {}
        self.vcse, self.businesses = [], []
        plan = [(Organisation.Kind.VCSE, name) for name in self.organisation_names(self.scale.vcse, VCSE_SUFFIXES)]
        plan += [
            (Organisation.Kind.PROVIDER, name)
            for name in self.organisation_names(self.scale.providers, PROVIDER_SUFFIXES)
        ]
        themes = []
        for number, (kind, (name, theme)) in enumerate(plan, start=1):
            code = f"{ORG_PREFIX}org-{number:05d}"
            description = (
                "An invented voluntary or community organisation (generated benchmark data)."
                if kind == Organisation.Kind.VCSE
                else "An invented business or social enterprise (generated benchmark data)."
            )
            rows.append(
                Organisation(
                    code=code,
                    name=name + GEN,
                    kind=kind,
                    description=description,
                    org_id=prefix + code,  # Organisation.save derives this; bulk_create does not call save
                    email=f"enquiries@{code}.{USER_DOMAIN}",
                )
            )
            themes.append(theme)
        Organisation.objects.bulk_create(rows, batch_size=BATCH)
        through = Organisation.areas_of_interest.through
        links = []
        for organisation, theme in zip(rows, themes, strict=True):
            self.base_names[organisation.pk] = organisation.name.removesuffix(GEN)
            (self.vcse if organisation.kind == Organisation.Kind.VCSE else self.businesses).append(organisation)
            if theme:
                self.by_theme[(theme, organisation.kind)].append(organisation)
            names = THEME[theme].areas if theme else ("Various subject areas",)
            for name in names[: self.rng.randint(1, len(names))]:
                if name.casefold() in self.areas:
                    links.append(
                        through(organisation_id=organisation.pk, areaofinterest_id=self.areas[name.casefold()].pk)
                    )
        through.objects.bulk_create(links, batch_size=BATCH)
        self.counts["organisations"] += len(rows)

    def users(self):
        specs = [(role, 0) for role in Role]
        specs += [(Role.FINANCE_OFFICER, n) for n in (2, 3, 4)]
        specs += [(Role.POLICY_OFFICER, n) for n in (2, 3)] + [(Role.COMMISSIONING_MANAGER, 2)]
        organisation_for = {
            Role.PARTNER: self.partners[0],
            Role.PROVIDER: self.businesses[0],
            Role.APPLICANT: self.vcse[0],
        }
        existing = {u.email: u for u in User.objects.filter(email__endswith=f"@{USER_DOMAIN}")}
        self.people = defaultdict(list)
        for role, number in specs:
            email = f"{role.value}{f'-{number}' if number else ''}@{USER_DOMAIN}"
            organisation = self.opcc if role in OPCC_STAFF else organisation_for.get(role)
            user = existing.get(email)
            if user is None:
                user = User.objects.create_user(
                    email=email,
                    display_name=f"Generated {role.label}{f' {number}' if number else ''}",
                    job_title=role.label,
                    role=role.value,
                    organisation=organisation,
                )
                self.counts["users"] += 1
            elif user.organisation_id != (organisation.pk if organisation else None):
                User.objects.filter(pk=user.pk).update(organisation=organisation)
            self.people[role].append(user)
        self.pcc, self.cfo = self.people[Role.PCC][0], self.people[Role.CFO][0]
        self.finance = self.people[Role.FINANCE_OFFICER]
        self.officers = self.people[Role.COMMISSIONING_MANAGER] + self.people[Role.POLICY_OFFICER]

    # Budgets shared by every county-sized share ----------------------------------------------------------

    def budgets(self):
        """Budgets already there for the decade's leaf funds, and the room they leave (the first share's).

        Anything made in the app counts: its lines add money, its live commitments (planned ones too) use it up.
        """
        self.budget_rows = {
            (b.fund.code, b.year.start_year): b
            for b in Budget.objects.filter(
                fund__code__in=LEAF_FUNDS, year__start_year__range=(FIRST_YEAR, LAST_YEAR)
            ).select_related("fund", "year")
        }
        self.existing_room = Counter()
        for row in (
            BudgetLine.objects.filter(budget__in=[b.pk for b in self.budget_rows.values()])
            .values("budget__fund__code", "budget__year__start_year")
            .annotate(total=Sum("amount"))
        ):
            self.existing_room[(row["budget__fund__code"], row["budget__year__start_year"])] += int(row["total"] * 100)
        for row in (
            Commitment.objects.filter(fund__code__in=LEAF_FUNDS, year__start_year__range=(FIRST_YEAR, LAST_YEAR))
            .values("fund__code", "year__start_year")
            .annotate(total=Sum(F("amount") - F("released_amount")))
        ):
            self.existing_room[(row["fund__code"], row["year__start_year"])] -= int(row["total"] * 100)

    def budget(self, code: str, year: int) -> Budget:
        """The fund's budget for the year, made (and saved with write_new_budgets) if there is none."""
        budget = self.budget_rows.get((code, year))
        if budget is None:
            budget = Budget(fund=self.funds[code], year=self.year_rows[year], notes=GENERATED_BUDGET_NOTE)
            self.budget_rows[(code, year)] = budget
        return budget

    def finish_budgets(self):
        """Each budget's amount is the sum of its lines (those already there and the generated ones)."""
        existing = Counter()
        for row in (
            BudgetLine.objects.filter(budget__in=[b.pk for b in self.budget_rows.values()])
            .values("budget_id")
            .annotate(total=Sum("amount"))
        ):
            existing[row["budget_id"]] = row["total"]
        changed = []
        for budget in self.budget_rows.values():
            total = Decimal(existing[budget.pk]).quantize(PENNY)
            if budget.amount != total:
                budget.amount = total
                changed.append(budget)
        Budget.objects.bulk_update(changed, ["amount"], batch_size=BATCH)

    # One county-sized share -------------------------------------------------------------------------------

    def share(self, number: int):
        self.copy, self.virements = number, []
        self.tag = "" if self.scale.copies == 1 else f", share {number + 1:02d}"
        plans = self.plan_services()
        commitments = self.allocate(plans)
        self.decide_community_grants(plans, commitments)
        self.write_services(plans)
        self.write_money(commitments)

    def pick(self, options, weights=None):
        return self.rng.choices(options, weights=weights)[0] if weights else self.rng.choice(options)

    def provider_for(self, theme: Theme, kind: str) -> Organisation:
        if kind == Organisation.Kind.STATUTORY:
            return self.pick(self.partners)
        themed = self.by_theme.get((theme.key, kind), [])
        if themed and self.rng.random() < 0.75:
            return self.pick(themed)
        return self.pick(self.vcse if kind == Organisation.Kind.VCSE else self.businesses)

    def choose_priorities(self, theme: Theme) -> list:
        codes = [c for c in theme.priorities if c in self.priorities]
        pool = [self.priorities[c] for c in codes] or list(self.priorities.values())
        return self.rng.sample(pool, self.rng.randint(1, min(3, len(pool))))

    def choose_panel_areas(self, theme: Theme) -> list:
        areas = [self.panel_areas[c] for c in theme.panel_areas if c in self.panel_areas]
        if not areas:
            areas = [self.pick(list(self.panel_areas.values()))] if self.panel_areas else []
        return areas[:1] if len(areas) < 2 or self.rng.random() < 0.65 else areas[:2]

    def plan_services(self) -> list[ServicePlan]:
        plans = []
        for approach, count in SERVICES_PER_COPY.items():
            for _ in range(count):
                if approach == A.COMMUNITY_GRANT:
                    plans.append(self.plan_community_grant())
                elif approach == A.ONE_OFF:
                    plans.append(self.plan_one_off())
                else:
                    plans.append(self.plan_long_running(approach))
        return plans

    def service(self, approach, theme, noun, provider, agreements, **extra) -> ServicePlan:
        provider_name = self.base_names.get(provider.pk, provider.name)
        return ServicePlan(
            approach=approach,
            theme=theme,
            name=f"{noun} – {provider_name}{GEN}",
            provider=provider,
            priorities=self.choose_priorities(theme),
            panel_areas=self.choose_panel_areas(theme),
            agreements=agreements,
            delivery_area=self.pick(self.areas_text),
            lead=self.pick(self.officers),
            **extra,
        )

    def plan_community_grant(self) -> ServicePlan:
        year = self.rng.randint(FIRST_YEAR, LAST_YEAR)
        starts_on = month_start(month_index(dt.date(year, 4, 1)) + self.rng.randint(2, 11))
        band = self.pick(((100, 500, 50), (500, 1500, 50), (1500, 3001, 100)), weights=(2, 5, 3))
        pounds = self.rng.randrange(*band)
        agreement = AgreementPlan(
            kind=Agreement.Kind.GRANT,
            regime=GRANT,
            starts_on=starts_on,
            ends_on=month_end(month_index(starts_on) + 11),
            annual=pounds * POUND,
            funds=[(PROPERTY, 100)],
            terms="advance",
        )
        theme = THEME["prevention"] if self.rng.random() < 0.7 else self.pick(THEMES)
        noun = self.pick(COMMUNITY_PROJECTS)
        return self.service(A.COMMUNITY_GRANT, theme, noun, self.provider_for(theme, "vcse"), [agreement])

    def plan_one_off(self) -> ServicePlan:
        theme = self.pick(THEMES, weights=[t.weight for t in THEMES])
        year = self.rng.randint(FIRST_YEAR, LAST_YEAR)
        starts_on = month_start(month_index(dt.date(year, 4, 1)) + self.rng.randint(0, 9))
        months = self.pick((6, 12, 12, 18, 24))
        total = self.rng.randrange(3_000, 60_001, 250)
        fund = CSA if theme.ring_fenced else (OTHER if self.rng.random() < 0.25 else INNOVATION)
        agreement = AgreementPlan(
            kind=Agreement.Kind.GRANT,
            regime=GRANT,
            starts_on=starts_on,
            ends_on=month_end(month_index(starts_on) + months - 1),
            annual=total * 12 // months * POUND,
            funds=[(fund, 100)],
            terms="quarterly",
            victims=theme.fund in (CORE, CSA),
        )
        kind = Organisation.Kind.VCSE if self.rng.random() < 0.85 else Organisation.Kind.PROVIDER
        if self.rng.random() < 0.5:
            agreement.decision = self.decision_for(agreement, theme, one_off=True)
        return self.service(A.ONE_OFF, theme, self.pick(theme.nouns), self.provider_for(theme, kind), [agreement])

    def annual_amount(self) -> int:
        """Pence a year for a priority, inherited or co-commissioned service: £20k to £600k, mostly small."""
        band = self.pick(
            ((20_000, 45_000, 500), (45_000, 100_000, 1_000), (100_000, 250_000, 5_000), (250_000, 600_001, 10_000)),
            weights=(78, 17, 4, 1),
        )
        return self.rng.randrange(*band) * POUND

    def plan_long_running(self, approach: str) -> ServicePlan:
        theme = self.pick(THEMES, weights=[t.weight for t in THEMES])
        if approach == A.INHERITED:
            starts_on = dt.date(self.pick((2013, 2014, 2015, 2016)), self.pick((4, 4, 4, 10)), 1)
            first_end = dt.date(self.rng.randint(2018, 2021), 3, 31)
            months = month_index(first_end) - month_index(starts_on) + 1
        else:  # half commissioned in the strategy's first years, the rest through the decade
            last = LAST_YEAR if approach == A.PRIORITY else LAST_YEAR - 1
            early = self.rng.random() < 0.5
            year = self.rng.randint(FIRST_YEAR, FIRST_YEAR + 2) if early else self.rng.randint(FIRST_YEAR + 3, last)
            starts_on = month_start(month_index(dt.date(year, 4, 1)) + self.pick((0, 0, 0, 3, 6, 9)))
            months = self.pick((36, 48, 60, 60))
        annual = self.annual_amount() if not theme.ring_fenced else self.rng.randrange(20_000, 45_001, 500) * POUND
        if approach == A.INHERITED:
            kind = self.pick((Agreement.Kind.CONTRACT, Agreement.Kind.GRANT, Agreement.Kind.SLA), weights=(4, 4, 2))
        elif approach == A.PRIORITY:
            kind = self.pick((Agreement.Kind.CONTRACT, Agreement.Kind.GRANT), weights=(3, 1))
        else:
            kind = self.pick(
                (Agreement.Kind.PARTNERSHIP, Agreement.Kind.CONTRACT, Agreement.Kind.GRANT), weights=(2, 1, 1)
            )
        if kind == Agreement.Kind.SLA:
            provider = self.provider_for(theme, Organisation.Kind.STATUTORY)
        elif kind == Agreement.Kind.CONTRACT and self.rng.random() < 0.5:
            provider = self.provider_for(theme, Organisation.Kind.PROVIDER)
        else:
            provider = self.provider_for(theme, Organisation.Kind.VCSE)
        funds = self.funding_mix(theme)
        agreements = [self.agreement(kind, starts_on, months, annual, funds, approach, theme)]
        renew = {A.INHERITED: 0.95, A.PRIORITY: 0.8, A.CO_COMMISSIONED: 0.75}[approach]
        next_start = agreements[0].ends_on + dt.timedelta(days=1)
        if self.rng.random() < renew and next_start <= dt.date(LAST_YEAR + 1, 3, 1):
            if approach == A.INHERITED and kind == Agreement.Kind.SLA:
                kind = Agreement.Kind.PARTNERSHIP  # re-let as a partnership with the statutory provider
            elif approach == A.INHERITED and self.rng.random() < 0.5:
                kind = Agreement.Kind.CONTRACT  # retendered under the Priority Commissioning Scheme
            annual = annual * self.rng.randint(90, 125) // 100 // POUND * POUND
            months = self.pick((36, 48, 60, 72))
            agreements.append(self.agreement(kind, next_start, months, annual, funds, approach, theme))
        last = agreements[-1]
        if last.ends_on < AS_OF and self.rng.random() < 0.08:
            last.terminated = True
        plan = self.service(approach, theme, self.pick(theme.nouns), provider, agreements)
        if approach == A.CO_COMMISSIONED:
            partners = self.rng.sample(self.partners, self.rng.randint(1, min(3, len(self.partners))))
            total = sum(a.value for a in agreements)
            for partner in partners:  # each partner's share over the life, 20% to 120% of the OPCC's, to £100
                pounds = total * self.rng.randrange(20, 121, 5) // 100 // POUND
                plan.co_funders.append((partner, max(100, pounds // 100 * 100) * POUND))
        return plan

    def funding_mix(self, theme: Theme) -> list:
        """Which leaf funds pay an agreement, in percent: the theme's fund, often with one or two others."""
        primary = theme.fund if theme.ring_fenced or self.rng.random() < 0.75 else SAFETY
        funds = self.pick((1, 2, 3), weights=(25, 50, 25))
        if funds == 1:
            return [(primary, 100)]
        if primary in (CORE, CSA):
            others = [SAFETY if primary == CORE or self.rng.random() < 0.5 else CORE, self.pick((INNOVATION, OTHER))]
        else:
            others = self.rng.sample((INNOVATION, OTHER, CORE) if theme.fund == CORE else (INNOVATION, OTHER), 2)
        share = self.rng.randrange(50, 85, 5)
        if funds == 2:
            return [(primary, share), (others[0], 100 - share)]
        second = self.rng.randrange(5, 100 - share, 5)
        return [(primary, share), (others[0], second), (others[1], 100 - share - second)]

    def agreement(self, kind, starts_on, months, annual, funds, approach, theme) -> AgreementPlan:
        if kind == Agreement.Kind.GRANT:
            regime = GRANT
        elif kind == Agreement.Kind.CONTRACT:
            regime = PA if starts_on >= PA_2023_FROM else PCR
        else:
            regime = NONE
        # Larger contracts and service level agreements are invoiced monthly; grants are paid quarterly.
        invoiced = kind in (Agreement.Kind.CONTRACT, Agreement.Kind.SLA) and annual >= 40_000 * POUND
        plan = AgreementPlan(
            kind=kind,
            regime=regime,
            starts_on=starts_on,
            ends_on=month_end(month_index(starts_on) + months - 1),
            annual=annual,
            funds=funds,
            terms="monthly" if invoiced else "quarterly",
            victims=theme.fund in (CORE, CSA),
        )
        if plan.value >= 100_000 * POUND and self.rng.random() < 0.6:
            plan.decision = self.decision_for(plan, theme)
        return plan

    def decision_for(self, plan: AgreementPlan, theme: Theme, one_off: bool = False) -> DecisionPlan:
        basis = {PCR: LegalBasis.PCR_2015, PA: LegalBasis.PA_2023}.get(plan.regime, theme.legal_basis)
        what = "contract" if plan.kind == Agreement.Kind.CONTRACT else Agreement.Kind(plan.kind).label.lower()
        decided_on = plan.starts_on - dt.timedelta(days=self.rng.randint(20, 75))
        return DecisionPlan(
            subject=f"{'One-off grant' if one_off else 'Award of ' + what}: {self.pick(theme.nouns)}{GEN}",
            legal_basis=basis,
            decision=(
                f"To award a {what} of £{money(plan.value):,} from {plan.starts_on:%B %Y} to {plan.ends_on:%B %Y}."
            ),
            reasons="Meets an assessed need in the Police and Crime Plan and offers best value (invented reasons).",
            decided_on=decided_on,
            pence=plan.value,
            publishable=not theme.ring_fenced or self.rng.random() < 0.5,
        )

    # Money: streams, budgets and commitments that fit them -------------------------------------------------

    def allocate(self, plans: list[ServicePlan]) -> list[CommitmentPlan]:
        """Turn each agreement-year's wanted money into commitments that fit each fund's budget that year.

        Funds with a fixed budget (the MoJ grant's two parts, Home Office grants) are filled first, oldest
        agreements first; what does not fit moves on (Child Sexual Abuse fund -> Core Victims Fund ->
        Commissioner's Safety Fund). The other funds' budgets are then set from what is wanted, as the
        pre-year review does, with a little headroom or a little short (then the latest agreements are cut).
        """
        wanted = defaultdict(list)  # (fund, year) -> [(agreement, pence)]
        for plan in plans:
            for agreement in plan.agreements:
                if agreement.terms == "advance":
                    wanted[(PROPERTY, fy_of(agreement.starts_on))].append((agreement, agreement.annual))
                    continue
                for year in range(max(FIRST_YEAR, fy_of(agreement.starts_on)), LAST_YEAR + 1):
                    pounds = agreement.annual * agreement.months_in(year) // 12 // POUND
                    if not pounds:
                        continue
                    parts = split_pence(pounds, [share for _, share in agreement.funds])
                    for (code, _), part in zip(agreement.funds, parts, strict=True):
                        if part:
                            wanted[(code, year)].append((agreement, part * POUND))
        self.lines = []  # (fund code, year, kind, pence, stream key, description)
        self.stream_amounts = defaultdict(dict)  # stream key -> {year: pence}
        taken = Counter()  # (agreement id, year, fund) -> pence
        room, budget_of = {}, {}  # (fund, year) -> pence still available, pence in the budget

        def fill(code, year, spill_to=None):
            left = room[(code, year)]
            for agreement, pence in sorted(wanted.pop((code, year), []), key=lambda item: item[0].starts_on):
                if pence <= left:
                    give = pence
                elif left >= max(100 * POUND, pence // 4):  # shrink to what is left, in whole pounds
                    give = left // POUND * POUND
                else:  # skip
                    give = 0
                if give:
                    taken[(id(agreement), year, code)] += give
                    left -= give
                if spill_to and pence > give:
                    wanted[(spill_to, year)].append((agreement, pence - give))
            room[(code, year)] = left

        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            moj = (120_000_000 + (year - FIRST_YEAR) * 4_400_000 + self.rng.randrange(-1_500_000, 1_500_000)) // POUND
            moj *= POUND  # £1.2m in 2016/17 growing to about £1.6m, in whole pounds
            self.stream_amounts["moj"][year] = moj
            # Before the first split was configured (2017), the first one is used.
            shares = fund_split_on(parent=self.funds[VICTIMS], on_date=max(dt.date(year, 4, 1), self.first_split))
            shares = sorted(shares.items(), key=lambda item: (-item[1], item[0].code))
            if not shares:
                raise GenerateError(f"the Victims Fund has no split (e.g. 93%/7%) in force on 1 April {year}")
            parts = allocate(money(moj), [percentage for _, percentage in shares])
            for (fund, percentage), part in zip(shares, parts, strict=True):
                pence = int(part * 100)
                room[(fund.code, year)] = budget_of[(fund.code, year)] = pence + self.room(fund.code, year)
                victims = self.funds[VICTIMS].name
                description = f"{percentage.normalize():f}% of {victims} from {self.stream_label('moj')}"
                self.lines.append((fund.code, year, BudgetLine.Kind.SPLIT, pence, "moj", description))
            home_office = 0
            for key, _, years, (low, high) in HOME_OFFICE_GRANTS:
                if year in years:
                    pence = self.rng.randrange(low, high, 1_000) * POUND
                    self.stream_amounts[key][year] = pence
                    self.lines.append((OTHER, year, BudgetLine.Kind.STREAM, pence, key, self.stream_label(key)))
                    home_office += pence
            room[(OTHER, year)] = home_office + self.room(OTHER, year)
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            fill(CSA, year, spill_to=CORE)
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            fill(CORE, year, spill_to=SAFETY)
            fill(OTHER, year, spill_to=SAFETY)
            # The MoJ grant is annual and does not carry forward: what is left of it pays victims' services
            # that would otherwise fall to the Commissioner's Safety Fund, leaving a small underspend.
            keep = budget_of[(CORE, year)] * self.rng.randint(1, 4) // 100
            remaining = []
            for agreement, pence in wanted.pop((SAFETY, year), []):
                give = min(pence, max(room[(CORE, year)] - keep, 0) // POUND * POUND) if agreement.victims else 0
                if give:
                    taken[(id(agreement), year, CORE)] += give
                    room[(CORE, year)] -= give
                if pence > give:
                    remaining.append((agreement, pence - give))
            wanted[(SAFETY, year)] = remaining
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            # Police Property Act proceeds (about £12,000), topped up by the PCC from the Local Innovation Fund.
            proceeds = self.rng.randrange(9_500, 14_500, 50) * POUND
            grants = sum(pence for _, pence in wanted.get((PROPERTY, year), []))
            needed = grants - proceeds - self.room(PROPERTY, year)
            top_up = (needed // (1_000 * POUND) + 1 + self.rng.randint(0, 3)) * 1_000 * POUND if needed > 0 else 0
            self.stream_amounts["ppa"][year] = proceeds
            self.lines.append((PROPERTY, year, BudgetLine.Kind.STREAM, proceeds, "ppa", self.stream_label("ppa")))
            room[(PROPERTY, year)] = proceeds + top_up + self.room(PROPERTY, year)
            if top_up:
                self.virements.append((year, INNOVATION, PROPERTY, top_up, "PCC top-up of the Community Grant Scheme"))
            fill(PROPERTY, year)
            # Demand-led budgets, set before the year from the expected spend (the pre-year review).
            for code, key in ((INNOVATION, "reserves"), (SAFETY, "internal")):
                demand = sum(pence for _, pence in wanted.get((code, year), []))
                budget = demand * self.rng.randint(96, 106) // 100 // (1_000 * POUND) * 1_000 * POUND
                moved_out = top_up if code == INNOVATION else 0
                stream = max(budget - self.room(code, year) + moved_out, 0)
                self.stream_amounts[key][year] = stream
                if stream:
                    self.lines.append((code, year, BudgetLine.Kind.STREAM, stream, key, self.stream_label(key)))
                room[(code, year)] = stream + self.room(code, year) - moved_out
            fill(INNOVATION, year)
            fill(SAFETY, year)
        over = {key: left for key, left in room.items() if left < 0}
        if over:  # cannot happen: every fill keeps within the room it is given
            raise GenerateError(f"internal error: budgets over-committed {over}")
        result = []
        for plan in plans:
            for agreement in plan.agreements:
                for year in range(FIRST_YEAR, LAST_YEAR + 1):
                    for code in LEAF_FUNDS:
                        pence = taken.get((id(agreement), year, code))
                        if pence:
                            result.append(CommitmentPlan(agreement, year, code, pence))
        return result

    def room(self, code: str, year: int) -> int:
        """Money already in a budget (lines less live commitments) before generating; the first share's."""
        return self.existing_room[(code, year)] if self.copy == 0 else 0

    def stream_label(self, key: str) -> str:
        names = {
            "moj": "Ministry of Justice victims grant",
            "internal": "Internal budget allocation",
            "reserves": "PCC reserves",
            "ppa": "Police Property Act proceeds",
        }
        names.update({k: name for k, name, _, _ in HOME_OFFICE_GRANTS})
        return f"{names[key]}{self.tag}"

    def decide_community_grants(self, plans, commitments):
        """One PCC decision a year for the Community Grant Scheme's awards, linked from each award."""
        by_year = defaultdict(list)
        for commitment in commitments:
            if commitment.agreement.terms == "advance":
                by_year[commitment.year].append(commitment)
        for year, rows in by_year.items():
            decision = DecisionPlan(
                subject=f"Community Grant Scheme awards {fy_label(year)}{self.tag}{GEN}",
                legal_basis=LegalBasis.PRSRA_2011_S9,
                decision=f"To make {len(rows)} community grants of £100 to £3,000 in {fy_label(year)}.",
                reasons="Each meets at least one Police and Crime Plan priority (invented reasons).",
                decided_on=dt.date(year, 5, 1) + dt.timedelta(days=self.rng.randint(0, 20)),
                pence=sum(row.pence for row in rows),
            )
            for row in rows:
                row.agreement.decision = decision

    # Writing rows ------------------------------------------------------------------------------------------

    def write_services(self, plans: list[ServicePlan]):
        decisions = {id(a.decision): a.decision for plan in plans for a in plan.agreements if a.decision}
        decisions = sorted(decisions.values(), key=lambda d: d.decided_on)  # numbered in date order
        rows = []
        for decision in decisions:
            sequence = self.decision_sequence.get(decision.decided_on.year, 0) + 1
            self.decision_sequence[decision.decided_on.year] = sequence
            decision.row = DecisionRecord(
                number=f"{decision.decided_on.year}/{sequence:03d}",
                year=decision.decided_on.year,
                sequence=sequence,
                subject=decision.subject[:250],
                legal_basis=decision.legal_basis,
                decision=decision.decision,
                reasons=decision.reasons,
                amount=money(decision.pence) if decision.pence is not None else None,
                decided_by=self.pcc,
                decided_on=decision.decided_on,
                publishable=decision.publishable,
                not_publishable_reason="" if decision.publishable else "Could identify victims of a small service",
                recorded_by=self.pick(self.officers),
            )
            rows.append(decision.row)
        DecisionRecord.objects.bulk_create(rows, batch_size=BATCH)
        self.counts["decision records"] += len(rows)

        services = []
        for plan in plans:
            self.service_number += 1
            plan.row = Service(
                reference=f"{SERVICE_PREFIX}{self.service_number:05d}",
                name=plan.name[:200],
                purpose=f"{plan.theme.nouns[0]} in {plan.delivery_area} (invented service, generated benchmark data).",
                provider=plan.provider,
                approach=plan.approach,
                delivery_area=plan.delivery_area,
                starts_on=plan.starts_on,
                ends_on=plan.ends_on,
                status=plan.status,
                lead_officer=plan.lead,
            )
            services.append(plan.row)
        Service.objects.bulk_create(services, batch_size=BATCH)
        self.counts["services"] += len(services)
        links = {"priorities": [], "panel_areas": [], "ring_fences": []}
        co_funders, agreements = [], []
        for plan in plans:
            sid = plan.row.pk
            links["priorities"] += [
                Service.priorities.through(service_id=sid, priority_id=p.pk) for p in plan.priorities
            ]
            links["panel_areas"] += [
                Service.panel_areas.through(service_id=sid, panelarea_id=a.pk) for a in plan.panel_areas
            ]
            if plan.theme.ring_fenced:
                links["ring_fences"].append(Service.ring_fences.through(service_id=sid, fund_id=self.funds[CSA].pk))
            co_funders += [
                CoFunder(service=plan.row, organisation=partner, amount=money(pence), notes="Share over the life")
                for partner, pence in plan.co_funders
            ]
            for agreement in plan.agreements:
                number = self.agreement_numbers[agreement.starts_on.year] = (
                    self.agreement_numbers[agreement.starts_on.year] + 1
                )
                status = agreement.status
                grant_like = agreement.kind == Agreement.Kind.GRANT
                agreement.row = Agreement(
                    service=plan.row,
                    reference=f"{AGREEMENT_PREFIX}{agreement.starts_on.year}-{number:05d}",
                    kind=agreement.kind,
                    regime=agreement.regime,
                    value=money(agreement.value),
                    starts_on=agreement.starts_on,
                    ends_on=agreement.ends_on,
                    conditions=GRANT_CONDITIONS if grant_like else "Service specification and KPIs as tendered.",
                    repayment_conditions=REPAYMENT_CONDITIONS if grant_like else "",
                    payment_terms=PAYMENT_TERMS[agreement.terms],
                    status=status,
                    signed_on=None
                    if status == Agreement.Status.DRAFT
                    else agreement.starts_on - dt.timedelta(days=self.rng.randint(3, 30)),
                    decision=agreement.decision.row if agreement.decision else None,
                )
                agreements.append(agreement.row)
        for name, rows in links.items():
            getattr(Service, name).through.objects.bulk_create(rows, batch_size=BATCH)
        CoFunder.objects.bulk_create(co_funders, batch_size=BATCH)
        Agreement.objects.bulk_create(agreements, batch_size=BATCH)
        self.counts["co-funders"] += len(co_funders)
        self.counts["agreements"] += len(agreements)

    def reference(self, prefix: str, day: dt.date) -> str:
        key = f"{prefix}-{day.year}"
        while True:
            self.payment_numbers[key] += 1
            reference = f"{key}-{self.payment_numbers[key]:06d}"
            if reference not in self.taken_references:
                return reference

    def periods(self, agreement: AgreementPlan, year: int) -> list[tuple[dt.date, int]]:
        """(due date, weight in months) for a commitment's payments: in arrears, or in advance for a grant."""
        if agreement.terms == "advance":
            return [(agreement.starts_on, 1)]
        first = month_index(dt.date(year, 4, 1))
        low, high = max(first, month_index(agreement.starts_on)), min(first + 11, month_index(agreement.ends_on))
        if agreement.terms == "monthly":
            return [(month_end(index), 1) for index in range(low, high + 1)]
        periods = []
        for quarter in range(4):
            start, end = max(low, first + 3 * quarter), min(high, first + 3 * quarter + 2)
            if start <= end:
                periods.append((month_end(end), end - start + 1))
        return periods

    def write_money(self, commitments: list[CommitmentPlan]):
        self.write_streams()
        rng = self.rng
        rows, schedules = [], []  # schedules: per commitment [(due_on, pence, paid_on or None, cancelled)]
        for plan in commitments:
            agreement, year = plan.agreement, plan.year
            periods = self.periods(agreement, year)
            amount, released, status = plan.pence, 0, Commitment.Status.COMMITTED
            current = year == LAST_YEAR
            stop_after = None
            if current and (agreement.starts_on > AS_OF or agreement.status == Agreement.Status.DRAFT):
                status = Commitment.Status.PLANNED if rng.random() < 0.6 else Commitment.Status.APPROVED
            elif current and (agreement.starts_on > AS_OF - dt.timedelta(days=60) or rng.random() < 0.1):
                status = Commitment.Status.APPROVED
            elif not current and agreement.terminated and year == fy_of(agreement.ends_on) and len(periods) > 1:
                stop_after = rng.randint(1, len(periods) - 1)
                status = Commitment.Status.RELEASED
            elif not current and rng.random() < 0.08:
                released = amount * rng.randint(2, 15) // 100 // POUND * POUND
            live = amount - released
            parts = split_pence(live, [weight for _, weight in periods])
            schedule = []
            for index, ((due_on, _), pence) in enumerate(zip(periods, parts, strict=True)):
                if pence <= 0:
                    continue
                paid_on = due_on + dt.timedelta(days=rng.randint(2, 21))
                if stop_after is not None and index >= stop_after:
                    schedule.append((due_on, pence, None, True))
                elif status != Commitment.Status.PLANNED and (not current or paid_on <= AS_OF):
                    schedule.append((due_on, pence, paid_on, False))
                else:
                    schedule.append((due_on, pence, None, False))
            if stop_after is not None:
                released = live - sum(p for _, p, paid, _ in schedule if paid)
            approved_on = min(agreement.starts_on, dt.date(year, 4, 1)) - dt.timedelta(days=rng.randint(5, 40))
            rows.append(
                Commitment(
                    fund=self.funds[plan.fund],
                    year=self.year_rows[year],
                    agreement=agreement.row,
                    amount=money(amount),
                    released_amount=money(released),
                    status=status,
                    approved_by=None if status == Commitment.Status.PLANNED else self.cfo,
                    approved_at=None if status == Commitment.Status.PLANNED else at_ten(approved_on),
                    created_by=rng.choice(self.finance),
                )
            )
            schedules.append(schedule)
        Commitment.objects.bulk_create(rows, batch_size=BATCH)
        self.counts["commitments"] += len(rows)

        scheduled, paid = [], []
        for commitment, schedule in zip(rows, schedules, strict=True):
            for due_on, pence, paid_on, cancelled in schedule:
                status = (
                    ScheduledPayment.Status.CANCELLED
                    if cancelled
                    else ScheduledPayment.Status.PAID
                    if paid_on
                    else ScheduledPayment.Status.DUE
                )
                row = ScheduledPayment(commitment=commitment, due_on=due_on, amount=money(pence), status=status)
                scheduled.append(row)
                if paid_on:
                    paid.append((row, paid_on))
        ScheduledPayment.objects.bulk_create(scheduled, batch_size=BATCH)
        payments = [
            Payment(
                commitment=row.commitment,
                scheduled=row,
                paid_on=paid_on,
                amount=row.amount,
                reference=self.reference("PAY", paid_on),
                recorded_by=rng.choice(self.finance),
            )
            for row, paid_on in paid
        ]
        Payment.objects.bulk_create(payments, batch_size=BATCH)
        self.counts["scheduled payments"] += len(scheduled)
        self.counts["payments"] += len(payments)
        self.write_repayments(rows, payments)

    def write_repayments(self, commitments: list[Commitment], payments: list[Payment]):
        """A few grants asked to repay part of what they were paid: most received, some waived or awaited."""
        paid_by, last_paid = defaultdict(int), {}
        for payment in payments:
            paid_by[payment.commitment_id] += int(payment.amount * 100)
            last_paid[payment.commitment_id] = payment.paid_on  # in date order within a commitment
        candidates = [
            c
            for c in commitments
            if c.status == Commitment.Status.COMMITTED
            and c.agreement.kind == Agreement.Kind.GRANT
            and c.year.start_year < LAST_YEAR
            and paid_by[c.pk] >= 500 * POUND
        ]
        chosen = self.rng.sample(candidates, min(len(candidates), max(4, len(candidates) // 80)))
        repayments, money_back, changed = [], [], []
        for commitment in chosen:
            pence = paid_by[commitment.pk] * self.rng.randint(10, 60) // 100 // POUND * POUND
            requested_on = min(last_paid[commitment.pk] + dt.timedelta(days=self.rng.randint(30, 120)), AS_OF)
            status = self.pick(
                (Repayment.Status.RECEIVED, Repayment.Status.REQUESTED, Repayment.Status.WAIVED), weights=(6, 2, 2)
            )
            repayment = Repayment(
                commitment=commitment,
                amount=money(pence),
                reason=self.pick(REPAYMENT_REASONS) + GEN,
                status=status,
                requested_by=self.pick(self.finance),
                requested_on=requested_on,
            )
            if status == Repayment.Status.RECEIVED:
                received_on = min(requested_on + dt.timedelta(days=self.rng.randint(14, 60)), AS_OF)
                repayment.payment = Payment(
                    commitment=commitment,
                    paid_on=received_on,
                    amount=-money(pence),
                    reference=self.reference("REP", received_on),
                    recorded_by=self.pick(self.finance),
                )
                money_back.append(repayment.payment)
                commitment.released_amount += money(pence)  # the money goes back to the fund
                changed.append(commitment)
            repayments.append(repayment)
        Payment.objects.bulk_create(money_back, batch_size=BATCH)
        Repayment.objects.bulk_create(repayments, batch_size=BATCH)
        Commitment.objects.bulk_update(changed, ["released_amount"], batch_size=BATCH)
        self.counts["payments"] += len(money_back)
        self.counts["repayments"] += len(repayments)

    def write_streams(self):
        """The share's funding streams, their allocations and return dates, budget lines and virements."""
        specs = [
            ("moj", FundingStream.Source.MOJ_VICTIMS, VICTIMS),
            ("internal", FundingStream.Source.INTERNAL, SAFETY),
            ("reserves", FundingStream.Source.RESERVES, INNOVATION),
            ("ppa", FundingStream.Source.POLICE_PROPERTY_ACT, PROPERTY),
        ] + [(key, FundingStream.Source.HOME_OFFICE, OTHER) for key, *_ in HOME_OFFICE_GRANTS]
        suffix = "" if self.scale.copies == 1 else f"-{self.copy + 1:02d}"
        streams = {
            key: FundingStream(
                code=f"{STREAM_PREFIX}{key}{suffix}",
                name=self.stream_label(key) + GEN,
                source=source,
                fund=self.funds[fund],
                grant_terms=STREAM_TERMS.get(key, ("", ""))[0],
                reporting_requirements=STREAM_TERMS.get(key, ("", ""))[1],
                is_active=LAST_YEAR in self.stream_amounts[key],
            )
            for key, source, fund in specs
        }
        FundingStream.objects.bulk_create(streams.values())
        allocations, returns = [], []
        for key, by_year in self.stream_amounts.items():
            for year, pence in by_year.items():
                row = StreamAllocation(stream=streams[key], year=self.year_rows[year], amount=money(pence))
                row.confirmed, row.notes = True, "Generated benchmark data"
                allocations.append(row)
                dues = RETURN_DATES.get("home_office" if key in HOME_OFFICE_KEYS else key, ())
                for kind, month_day, offset in dues:
                    due_on = dt.date(year + offset, *month_day)
                    submitted = due_on - dt.timedelta(days=self.rng.randint(0, 10)) if due_on <= AS_OF else None
                    returns.append(
                        StreamReturnDate(
                            stream=streams[key],
                            year=self.year_rows[year],
                            kind=kind,
                            due_on=due_on,
                            description=StreamReturnDate.Kind(kind).label,
                            submitted_on=submitted,
                        )
                    )
        StreamAllocation.objects.bulk_create(allocations, batch_size=BATCH)
        StreamReturnDate.objects.bulk_create(returns, batch_size=BATCH)
        lines = [
            (code, year, kind, pence, streams[key], f"{description}, {fy_label(year)}{GEN}")
            for code, year, kind, pence, key, description in self.lines
        ]
        virements = []
        for year, source, target, pence, reason in self.virements:
            reason = f"{reason} {fy_label(year)}{self.tag}{GEN}"
            source_name, target_name = self.funds[source].name, self.funds[target].name
            lines.append((source, year, BudgetLine.Kind.VIREMENT, -pence, None, f"To {target_name}: {reason}"))
            lines.append((target, year, BudgetLine.Kind.VIREMENT, pence, None, f"From {source_name}: {reason}"))
            virements.append(
                Virement(
                    year=self.year_rows[year],
                    from_fund=self.funds[source],
                    to_fund=self.funds[target],
                    amount=money(pence),
                    reason=reason,
                    status=Virement.Status.APPROVED,
                    requested_by=self.finance[0],
                    decided_by=self.cfo,
                    decided_at=at_ten(dt.date(year, 4, 20)),
                    decision_note="Approved",
                )
            )
        # Two that moved no money: one turned down in a past year, one still waiting in the current year.
        for year, status in ((self.rng.randint(FIRST_YEAR, LAST_YEAR - 1), Virement.Status.REJECTED),
                             (LAST_YEAR, Virement.Status.REQUESTED)):  # fmt: skip
            rejected = status == Virement.Status.REJECTED
            virements.append(
                Virement(
                    year=self.year_rows[year],
                    from_fund=self.funds[SAFETY],
                    to_fund=self.funds[INNOVATION],
                    amount=money(self.rng.randrange(5_000, 40_000, 500) * POUND),
                    reason=f"Move expected underspend to new projects {fy_label(year)}{self.tag}{GEN}",
                    status=status,
                    requested_by=self.pick(self.finance),
                    decided_by=self.cfo if rejected else None,
                    decided_at=at_ten(dt.date(year, 10, 1)) if rejected else None,
                    decision_note="Commitments are expected to rise in the second half of the year" if rejected else "",
                )
            )
        new_budgets = [self.budget(code, year) for code, year, *_ in lines]
        new_budgets = list({id(b): b for b in new_budgets if b.pk is None}.values())
        Budget.objects.bulk_create(new_budgets, batch_size=BATCH)
        rows = [
            BudgetLine(
                budget=self.budget(code, year),
                kind=kind,
                amount=money(pence),
                stream=stream,
                description=description[:300],
                created_by=self.pick(self.finance),
            )
            for code, year, kind, pence, stream, description in lines
        ]
        BudgetLine.objects.bulk_create(rows, batch_size=BATCH)
        Virement.objects.bulk_create(virements, batch_size=BATCH)
        self.counts["funding streams"] += len(streams)
        self.counts["stream allocations"] += len(allocations)
        self.counts["return dates"] += len(returns)
        self.counts["budgets"] += len(new_budgets)
        self.counts["budget lines"] += len(rows)
        self.counts["virements"] += len(virements)


# --- Entry point ---------------------------------------------------------------------------------------------


def generate(*, scale: str = "county", seed: int = 1, replace: bool = False) -> GenerateSummary:
    """Generate `scale` data with `seed` in one transaction. Refused (GenerateError) if generated data is
    already present, unless `replace`, which deletes it first. Loads the profile first if no fund exists."""
    if scale not in SCALES:
        raise GenerateError(f"unknown scale {scale!r}; choose {' or '.join(SCALES)}")
    started = time.perf_counter()
    summary = GenerateSummary(scale=scale, seed=seed)
    with transaction.atomic():
        if not Fund.objects.exists():
            profile_load(path_or_name=settings.OPCC_PROFILE)
        if generated_data_present():
            if not replace:
                raise GenerateError("generated data already present; use --replace to delete it and generate again")
            summary.removed = generated_data_delete()
        builder = Builder(scale=SCALES[scale], seed=seed, summary=summary)
        builder.load_context()
        builder.years()
        builder.organisations()
        builder.users()
        builder.budgets()
        for number in range(SCALES[scale].copies):
            builder.share(number)
        builder.finish_budgets()
    summary.seconds = time.perf_counter() - started
    return summary
