"""Money for one county-sized share: the budgets each fund has in each year and the commitments that fit them,
and the Community Grant Scheme's yearly decisions."""

import datetime as dt
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from commissioning.agreements.models import Agreement
from commissioning.core.money import allocate
from commissioning.demo.generate import innovation
from commissioning.demo.generate.common import (
    CAL,
    CORE,
    CSA,
    GEN,
    INNOVATION,
    LEAF_FUNDS,
    OTHER,
    PA,
    PCR,
    POUND,
    PROPERTY,
    SAFETY,
    VICTIMS,
    GenerateError,
    fy_label,
    fy_of,
    money,
    split_pence,
)
from commissioning.demo.generate.plans import CommitmentPlan, DecisionPlan, ServicePlan
from commissioning.funds.models import BudgetLine
from commissioning.funds.selectors import fund_split_on
from commissioning.strategy.models import LegalBasis

if TYPE_CHECKING:
    from commissioning.demo.generate.builder import Builder


def plan_commitments(b: "Builder", plans: list[ServicePlan]) -> list[CommitmentPlan]:
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
            for year in range(max(CAL.first_year, fy_of(agreement.starts_on)), CAL.last_year + 1):
                pounds = agreement.annual * agreement.months_in(year) // 12 // POUND
                if not pounds:
                    continue
                parts = split_pence(pounds, [share for _, share in agreement.funds])
                for (code, _), part in zip(agreement.funds, parts, strict=True):
                    if part:
                        wanted[(code, year)].append((agreement, part * POUND))
    b.lines = []  # (fund code, year, kind, pence, stream key, description)
    b.stream_amounts = defaultdict(dict)  # stream key -> {year: pence}
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

    for year in range(CAL.first_year, CAL.last_year + 1):
        moj = (120_000_000 + (year - CAL.first_year) * 4_400_000 + b.rng.randrange(-1_500_000, 1_500_000)) // POUND
        moj *= POUND  # £1.2m in 2016/17 growing to about £1.6m, in whole pounds
        b.stream_amounts["moj"][year] = moj
        # Before the first split was configured (2017), the first one is used.
        shares = fund_split_on(parent=b.funds[VICTIMS], on_date=max(dt.date(year, 4, 1), b.first_split))
        shares = sorted(shares.items(), key=lambda item: (-item[1], item[0].code))
        if not shares:
            raise GenerateError(f"the Victims Fund has no split (e.g. 93%/7%) in force on 1 April {year}")
        parts = allocate(money(moj), [percentage for _, percentage in shares])
        for (fund, percentage), part in zip(shares, parts, strict=True):
            pence = int(part * 100)
            room[(fund.code, year)] = budget_of[(fund.code, year)] = pence + b.room(fund.code, year)
            victims = b.funds[VICTIMS].name
            description = f"{percentage.normalize():f}% of {victims} from {b.stream_label('moj')}"
            b.lines.append((fund.code, year, BudgetLine.Kind.SPLIT, pence, "moj", description))
        home_office = 0
        for key, _, years, (low, high) in CAL.home_office_grants:
            if year in years:
                pence = b.rng.randrange(low, high, 1_000) * POUND
                b.stream_amounts[key][year] = pence
                b.lines.append((OTHER, year, BudgetLine.Kind.STREAM, pence, key, b.stream_label(key)))
                home_office += pence
        room[(OTHER, year)] = home_office + b.room(OTHER, year)
    for year in range(CAL.first_year, CAL.last_year + 1):
        fill(CSA, year, spill_to=CORE)
    for year in range(CAL.first_year, CAL.last_year + 1):
        fill(CORE, year, spill_to=SAFETY)
        fill(OTHER, year, spill_to=SAFETY)
        # The MoJ grant is annual and does not carry forward: what is left of it pays victims' services
        # that would otherwise fall to the Commissioner's Safety Fund, leaving a small underspend.
        keep = budget_of[(CORE, year)] * b.rng.randint(1, 4) // 100
        remaining = []
        for agreement, pence in wanted.pop((SAFETY, year), []):
            give = min(pence, max(room[(CORE, year)] - keep, 0) // POUND * POUND) if agreement.victims else 0
            if give:
                taken[(id(agreement), year, CORE)] += give
                room[(CORE, year)] -= give
            if pence > give:
                remaining.append((agreement, pence - give))
        wanted[(SAFETY, year)] = remaining
    for year in range(CAL.first_year, CAL.last_year + 1):
        # Police Property Act proceeds (about £12,000), topped up by the PCC from the Local Innovation Fund.
        proceeds = b.rng.randrange(9_500, 14_500, 50) * POUND
        grants = sum(pence for _, pence in wanted.get((PROPERTY, year), []))
        needed = grants - proceeds - b.room(PROPERTY, year)
        top_up = (needed // (1_000 * POUND) + 1 + b.rng.randint(0, 3)) * 1_000 * POUND if needed > 0 else 0
        b.stream_amounts["ppa"][year] = proceeds
        b.lines.append((PROPERTY, year, BudgetLine.Kind.STREAM, proceeds, "ppa", b.stream_label("ppa")))
        room[(PROPERTY, year)] = proceeds + top_up + b.room(PROPERTY, year)
        if top_up:
            b.virements.append((year, INNOVATION, PROPERTY, top_up, "PCC top-up of the Community Grant Scheme"))
        fill(PROPERTY, year)
        # Demand-led budgets, set before the year from the expected spend (the pre-year review).
        for code, key in ((INNOVATION, "reserves"), (SAFETY, "internal")):
            demand = sum(pence for _, pence in wanted.get((code, year), []))
            if code == INNOVATION:  # room for the allowances of the year's prioritised projects (innovation.py)
                demand += innovation.wanted(b, year)
            # At least the demand (to the £1,000 above), so every year of an agreement running on it is committed.
            budget = (demand * b.rng.randint(100, 106) // 100 // (1_000 * POUND) + 1) * 1_000 * POUND
            moved_out = top_up if code == INNOVATION else 0
            stream = max(budget - b.room(code, year) + moved_out, 0)
            b.stream_amounts[key][year] = stream
            if stream:
                b.lines.append((code, year, BudgetLine.Kind.STREAM, stream, key, b.stream_label(key)))
            room[(code, year)] = stream + b.room(code, year) - moved_out
        fill(INNOVATION, year)
        if year in b.innovation:  # what the prioritisation finds available: the budget less the commitments
            b.innovation[year].available = room[(INNOVATION, year)]
        fill(SAFETY, year)
    over = {key: left for key, left in room.items() if left < 0}
    if over:  # cannot happen: every fill keeps within the room it is given
        raise GenerateError(f"internal error: budgets over-committed {over}")
    result = []
    for plan in plans:
        for agreement in plan.agreements:
            for year in range(CAL.first_year, CAL.last_year + 1):
                for code in LEAF_FUNDS:
                    pence = taken.get((id(agreement), year, code))
                    if pence:
                        result.append(CommitmentPlan(agreement, year, code, pence))
    return result


def decide_community_grants(b: "Builder", plans, commitments):
    """One PCC decision a year for the Community Grant Scheme's awards, linked from each award."""
    by_year = defaultdict(list)
    for commitment in commitments:
        if commitment.agreement.terms == "advance":
            by_year[commitment.year].append(commitment)
    for year, rows in by_year.items():
        decision = DecisionPlan(
            subject=f"Community Grant Scheme awards {fy_label(year)}{b.tag}{GEN}",
            legal_basis=LegalBasis.PRSRA_2011_S9,
            decision=f"To make {len(rows)} community grants of £100 to £3,000 in {fy_label(year)}.",
            reasons="Each meets at least one Police and Crime Plan priority (invented reasons).",
            decided_on=min(dt.date(year, 5, 1) + dt.timedelta(days=b.rng.randint(0, 20)), CAL.as_of),
            pence=sum(row.pence for row in rows),
        )
        for row in rows:
            row.agreement.decision = decision


def decision_for(b: "Builder", plan, theme, one_off: bool = False) -> DecisionPlan:
    """The PCC's decision for an agreement, some weeks before it starts (never after the day generated as of)."""
    basis = {PCR: LegalBasis.PCR_2015, PA: LegalBasis.PA_2023}.get(plan.regime, theme.legal_basis)
    what = "contract" if plan.kind == Agreement.Kind.CONTRACT else Agreement.Kind(plan.kind).label.lower()
    decided_on = min(plan.starts_on - dt.timedelta(days=b.rng.randint(20, 75)), CAL.as_of)
    return DecisionPlan(
        subject=f"{'One-off grant' if one_off else 'Award of ' + what}: {b.pick(theme.nouns)}{GEN}",
        legal_basis=basis,
        decision=(f"To award a {what} of £{money(plan.value):,} from {plan.starts_on:%B %Y} to {plan.ends_on:%B %Y}."),
        reasons="Meets an assessed need in the Police and Crime Plan and offers best value (invented reasons).",
        decided_on=decided_on,
        pence=plan.value,
        publishable=not theme.ring_fenced or b.rng.random() < 0.5,
    )
