"""Commissioning cases for each generated year (issue 10): a few cases a year in a county-sized share, most carried
to a contract, one closed without one, and in the current year some still at planning stages. The regime each
names follows the date its procurement began and the profile's configured start dates (never a constant). Written
in bulk with their history rows, as the rest of generate_data is."""

import datetime as dt
from decimal import Decimal

from commissioning.accounts.roles import Role
from commissioning.core.models import ProcurementRegimeStart
from commissioning.core.services import attribute_all, bulk_insert, insert_history
from commissioning.demo.generate.common import CAL
from commissioning.procurement.models import CaseStage, CommissioningCase, ProcurementRoute

NEEDS = (
    ("Domestic abuse outreach", True),
    ("Restorative justice service", False),
    ("Youth diversion programme", False),
    ("Victims' counselling", True),
    ("Offender mentoring", False),
)
LATE_STAGES = (CaseStage.NEEDS, CaseStage.MARKET, CaseStage.SPECIFICATION, CaseStage.ROUTE)


def _regime_on(starts: list[tuple[dt.date, str]], day: dt.date) -> str:
    regime = ""
    for applies_from, code in starts:
        if applies_from <= day:
            regime = code
    return regime


def write_cases(b) -> None:
    """Three cases a year in each share; the current year's are still being planned."""
    starts = sorted(ProcurementRegimeStart.objects.values_list("applies_from", "regime"))
    officers = b.people[Role.POLICY_OFFICER]
    officer = officers[0] if officers else None
    cases = []
    for year in range(CAL.first_year, CAL.last_year + 1):
        current = year == CAL.last_year
        for number in range(3):
            title, light_touch = NEEDS[(year + number + b.copy) % len(NEEDS)]
            begins = dt.date(year, 6 + 2 * number, 1)
            if begins > CAL.as_of:
                begins = CAL.as_of - dt.timedelta(days=30 * (number + 1))
            value = Decimal(b.rng.randrange(20, 700) * 1000)
            if current:
                stage = LATE_STAGES[(number + b.copy) % len(LATE_STAGES)]
            else:
                stage = CaseStage.CLOSED if number == 2 and year % 3 == 0 else CaseStage.CONTRACTED
            route = ""
            if stage == CaseStage.CONTRACTED:
                route = ProcurementRoute.OPEN if value >= 50000 else ProcurementRoute.QUOTES
            cases.append(
                CommissioningCase(
                    reference=f"PC-{year}-{b.copy:02d}{number + 1:02d}",
                    title=f"{title}{b.tag} ({year}/{(year + 1) % 100:02d})",
                    need_summary=f"A need identified in {year}: {title.lower()} across {b.area}.",
                    stage=stage,
                    estimated_value=value,
                    procurement_starts_on=begins,
                    contract_starts_on=dt.date(year + 1, 4, 1),
                    contract_months=36,
                    light_touch=light_touch,
                    regime=_regime_on(starts, begins) if route else "",
                    route=route,
                    lead_officer=officer,
                    problem=f"Too few services for {title.lower()}." if stage != CaseStage.NEEDS else "",
                )
            )
    existing = set(
        CommissioningCase.objects.filter(reference__in=[c.reference for c in cases]).values_list("reference", flat=True)
    )
    cases = [c for c in cases if c.reference not in existing]
    bulk_insert(cases)
    attribute_all(cases, actor=None, reasons=["Generated case"] * len(cases))
    insert_history(cases)
    b.counts["commissioning cases"] += len(cases)
