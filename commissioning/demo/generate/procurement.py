"""Commissioning cases for each generated year (issue 10) and, for those that went to market, the procurement
itself, so the OCDS export has planning, tender, award and contract releases.

Each past year of a county-sized share has up to two cases let by open tender, one bought on written quotes (or, one
year in three, closed without a contract); the current year has cases still being planned and one tender open for
bids. The regime each names follows the date its procurement began (its tender notice or first invitation to quote)
and the profile's configured start dates, never a constant.

A tendered case is the procurement of one of the share's generated contracts in the register (a priority service's
contract, or an inherited service's re-let one), chosen in plan_tenders before the agreements are written, so
the award links to that agreement rather than inventing a second one: the winning bid is the provider's, its price
is the agreement's value, and the PCC's award decision is the agreement's decision. The dates run as a real cycle
runs: tender published, bids submitted before the deadline, opened after it by two officers, two evaluators
declaring and scoring each bid, moderation, ranking, recommendation, the PCC's decision, the contract award notice
and letters to every bidder, the standstill (procurement.standstill), the contract signed after it, and the
contract details notice. The winner scores at least as well as every other bidder on each criterion and asks the
lowest price, so it ranks first. The open tender's bids are submitted and stay sealed (ADR 0014): no opening.

Written in bulk with their history rows, as the rest of generate_data is.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from commissioning.accounts.roles import Role
from commissioning.agreements.models import Agreement
from commissioning.core.models import ProcurementRegimeStart
from commissioning.core.services import attribute_all, bulk_insert, insert_history
from commissioning.demo.generate.common import CAL, GEN, LONDON, POUND, A, fy_label, fy_of, money
from commissioning.demo.generate.plans import AgreementPlan, DecisionPlan, ServicePlan
from commissioning.evaluation.services import weighted_score
from commissioning.procurement.models import (
    AwardCriterion,
    AwardLetter,
    Bid,
    BidAnswer,
    BidAssignment,
    BidEnvelope,
    BidModeratedScore,
    BidModeration,
    BidOpening,
    BidResult,
    BidScore,
    CaseStage,
    ClarificationQuestion,
    CommissioningCase,
    ContractAward,
    ExpressionOfInterest,
    Notice,
    NoticeKind,
    ProcurementRoute,
    Quote,
    Tender,
    TenderEvaluation,
)
from commissioning.procurement.models.tenders import DEFAULT_DESCRIPTORS
from commissioning.procurement.services.award import NOTICE_NUMBERS, letter_body
from commissioning.procurement.services.evaluation import abnormally_low_percent, is_abnormally_low, price_score
from commissioning.procurement.standstill import standstill_ends
from commissioning.strategy.models import LegalBasis

if TYPE_CHECKING:
    from commissioning.demo.generate.builder import Builder

NEEDS = (
    ("Domestic abuse outreach", True),
    ("Restorative justice service", False),
    ("Youth diversion programme", False),
    ("Victims' counselling", True),
    ("Offender mentoring", False),
)
LATE_STAGES = (CaseStage.NEEDS, CaseStage.MARKET, CaseStage.SPECIFICATION, CaseStage.ROUTE)
# Award criteria: (price weight, the two quality sub-criteria's weights, social value weight); each adds up to 100.
WEIGHTS = ((30, (35, 25), 10), (40, (30, 20), 10), (20, (40, 30), 10), (30, (30, 30), 10))
QUALITY = (
    ("Reaching the people who need the service", "How you will reach people across the county, urban and rural"),
    ("Safeguarding and standards", "Your safeguarding arrangements, standards and staff training"),
)
SOCIAL_VALUE = ("Social value", "What your organisation will add for the county's communities")
COMMENTS = (
    "Clear delivery plan with named leads",
    "Some gaps in the evidence of outcomes",
    "Strong local partnerships described",
    "Commits to local volunteering and apprenticeships",
)
TENDER_NOTICE = {Agreement.Regime.PA_2023: "UK4", Agreement.Regime.PCR_2015: "Contract notice"}
TENDERED_A_YEAR = 2
TENDERED_SLOTS = (1, 2)  # case and tender numbers of a year's tendered cases; 3 is its quotes (or closed) case


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), LONDON)


def _regime_on(starts: list[tuple[dt.date, str]], day: dt.date) -> str:
    regime = ""
    for applies_from, code in starts:
        if applies_from <= day:
            regime = code
    return regime


def _days(b: "Builder", low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=b.rng.randint(low, high))


@dataclass
class TenderPlan:
    """One tendered contract of a past year: the agreement it led to and the dates of its cycle."""

    year: int
    slot: int
    service: ServicePlan
    agreement: AgreementPlan
    regime: str
    published: dt.date
    deadline: dt.date
    dates: dict = field(default_factory=dict)

    @property
    def noun(self) -> str:
        return self.service.name.removesuffix(GEN).split(" – ")[0]


# --- Planning: before the agreements and decisions are written ---------------------------------------------------


def plan_tenders(b: "Builder", plans: list[ServicePlan]) -> None:
    """Choose up to two of the share's contracts a past year to have been let by open tender, and give each the
    dates of its cycle, its signing date and the PCC's award decision (b.tendered)."""
    b.regime_starts = sorted(ProcurementRegimeStart.objects.values_list("applies_from", "regime"))
    by_year = defaultdict(list)
    for plan in plans:
        if plan.approach not in (A.PRIORITY, A.INHERITED):
            continue
        for index, agreement in enumerate(plan.agreements):
            if agreement.kind != Agreement.Kind.CONTRACT or agreement.starts_on > CAL.as_of:
                continue  # only signed contracts; an inherited service's first contract predates the decade
            if plan.approach == A.INHERITED and index == 0:
                continue
            deadline = agreement.starts_on - _days(b, 100, 140)
            published = deadline - _days(b, 30, 45)
            year = fy_of(published)
            # The contract names the law its procurement began under (the decade's contracts follow the Act's date).
            if CAL.first_year <= year < CAL.last_year and _regime_on(b.regime_starts, published) == agreement.regime:
                by_year[year].append((plan, agreement, published, deadline))
    b.tendered = {}
    for year in sorted(by_year):
        rows = by_year[year]
        for slot, (plan, agreement, published, deadline) in zip(
            TENDERED_SLOTS, b.rng.sample(rows, min(TENDERED_A_YEAR, len(rows))), strict=False
        ):
            b.tendered[(year, slot)] = _timeline(
                b, TenderPlan(year, slot, plan, agreement, agreement.regime, published, deadline)
            )


def _timeline(b: "Builder", t: TenderPlan) -> TenderPlan:
    """The cycle's dates, forwards from the deadline; the contract is signed after the standstill and before it
    starts (at least 100 days after the deadline, the chain takes at most 67)."""
    d = t.dates
    d["opened_case"] = t.published - _days(b, 60, 150)
    d["recommended_on"] = t.published - _days(b, 30, 50)
    d["approved_on"] = d["recommended_on"] + _days(b, 3, 10)
    d["drafted"] = t.published - _days(b, 3, 10)
    d["declared"] = t.deadline + _days(b, 1, 3)
    d["scored"] = d["declared"] + _days(b, 5, 12)
    d["moderated"] = d["scored"] + _days(b, 1, 4)
    d["ranked"] = d["moderated"] + _days(b, 0, 2)
    d["recommended"] = d["ranked"] + _days(b, 1, 3)
    d["decided"] = d["recommended"] + _days(b, 3, 10)
    d["notice"] = d["decided"] + _days(b, 2, 7)
    d["standstill_ends"] = standstill_ends(regime=t.regime, notice_on=d["notice"])
    d["signed"] = d["standstill_ends"] + _days(b, 1, 10)
    d["details"] = min(d["signed"] + _days(b, 1, 10), CAL.as_of)
    agreement = t.agreement
    if not d["signed"] < agreement.starts_on <= CAL.as_of:
        raise AssertionError(f"generated tender timeline out of order: {d} for {agreement.starts_on}")
    agreement.signed_on = d["signed"]
    decision = agreement.decision or DecisionPlan(
        subject="", legal_basis="", decision="", reasons="", decided_on=d["decided"], pence=agreement.value
    )
    reference = tender_reference(b, t.year, t.slot)
    decision.subject = f"Contract award: {t.noun}{b.tag} ({reference}){GEN}"
    decision.legal_basis = LegalBasis.PA_2023 if t.regime == Agreement.Regime.PA_2023 else LegalBasis.PCR_2015
    decision.decision = (
        f"To award the contract for {t.noun.lower()} ({reference}) to the most advantageous tender, for "
        f"£{money(agreement.value):,}, from {agreement.starts_on:%B %Y} to {agreement.ends_on:%B %Y}."
    )
    decision.reasons = "The highest total score on the published criteria, at the lowest price (invented reasons)."
    decision.decided_on, decision.pence = d["decided"], agreement.value
    agreement.decision = decision
    return t


def case_reference(b: "Builder", year: int, slot: int) -> str:
    # "G" keeps generated numbers apart from those the planning service gives (PC-<year>-0001...).
    return f"PC-{year}-G{b.copy:02d}{slot:02d}"


def tender_reference(b: "Builder", year: int, slot: int) -> str:
    return f"TND-{year}-G{b.copy:02d}{slot:02d}"


# --- Writing: after the agreements and decisions --------------------------------------------------------------


@dataclass
class Rows:
    """Every row of the share's procurements, by model, written model by model once their parents have keys."""

    cases: list = field(default_factory=list)
    case_priorities: list = field(default_factory=list)  # (case, [priority])
    tenders: list = field(default_factory=list)  # (tender, TenderPlan or None, case)
    quotes: list = field(default_factory=list)  # (quote, case)


def write_cases(b: "Builder") -> None:
    """The share's cases, tenders, bids, evaluations, awards and quotes."""
    people = b.people
    officer = (people[Role.POLICY_OFFICER] or [None])[0]
    manager = people[Role.COMMISSIONING_MANAGER][0]
    rows = Rows()
    for year in range(CAL.first_year, CAL.last_year + 1):
        if year == CAL.last_year:
            for number in range(3):
                rows.cases.append(_planning_case(b, year, number, officer))
            _open_tender(b, rows, year, manager)
            continue
        for slot in TENDERED_SLOTS:
            t = b.tendered.get((year, slot))
            if t is not None:
                _tendered_case(b, rows, t, manager)
        _quotes_case(b, rows, year, manager)
    existing = set(
        CommissioningCase.objects.filter(reference__in=[c.reference for c in rows.cases]).values_list(
            "reference", flat=True
        )
    )
    if existing:  # made before (e.g. by hand with the same reference): leave those, and what hangs from them
        rows.cases = [c for c in rows.cases if c.reference not in existing]
        rows.tenders = [r for r in rows.tenders if r[2].reference not in existing]
        rows.quotes = [r for r in rows.quotes if r[1].reference not in existing]
        rows.case_priorities = [r for r in rows.case_priorities if r[0].reference not in existing]
    _save(rows.cases, reason="Generated case")
    through = CommissioningCase.priorities.through
    through.objects.bulk_create(
        [
            through(commissioningcase_id=case.pk, priority_id=p.pk)
            for case, chosen in rows.case_priorities
            for p in chosen
        ]
    )
    b.counts["commissioning cases"] += len(rows.cases)
    write_quotes(b, rows.quotes)
    write_tenders(b, rows.tenders, manager)


def _save(instances: list, *links: str, reason: str, actor=None) -> None:
    """Point each instance's foreign keys named in `links` at their parents (saved since the instance was made),
    insert the rows and write their history."""
    if not instances:
        return
    for instance in instances:
        for name in links:
            setattr(instance, name, getattr(instance, name))
    bulk_insert(instances)
    if hasattr(type(instances[0]), "history"):
        attribute_all(instances, actor=actor, reasons=[reason] * len(instances))
        insert_history(instances)


def _planning_case(b: "Builder", year: int, number: int, officer) -> CommissioningCase:
    title, light_touch = NEEDS[(year + number + b.copy) % len(NEEDS)]
    begins = dt.date(year, 6 + 2 * number, 1)
    if begins > CAL.as_of:
        begins = CAL.as_of - dt.timedelta(days=30 * (number + 1))
    stage = LATE_STAGES[(number + b.copy) % len(LATE_STAGES)]
    return CommissioningCase(
        reference=case_reference(b, year, number + 1),
        title=f"{title}{b.tag} ({fy_label(year)}){GEN}",
        need_summary=f"A need identified in {year}: {title.lower()} across {b.area}.",
        stage=stage,
        estimated_value=Decimal(b.rng.randrange(20, 700) * 1000),
        procurement_starts_on=begins,
        contract_starts_on=dt.date(year + 1, 4, 1),
        contract_months=36,
        light_touch=light_touch,
        lead_officer=officer,
        problem=f"Too few services for {title.lower()}." if stage != CaseStage.NEEDS else "",
        created_at=at(begins - dt.timedelta(days=120)),
    )


def _approved(b: "Builder", case: CommissioningCase, recommended_on: dt.date, approved_on: dt.date) -> None:
    case.evidence = "Referral figures and what providers and service users told the OPCC (invented)."
    case.groups_affected = f"Victims and people at risk across {b.area}."
    case.priority_fit = "Serves the Police and Crime Plan's priorities."
    case.responsibility = "opcc"
    case.recommendation = "Buy the service through the route the standing orders require."
    case.recommended_by, case.recommended_on = b.people[Role.COMMISSIONING_MANAGER][0], recommended_on
    case.approved_by, case.approved_on, case.approved_as = b.pcc, approved_on, Role.PCC.value
    case.approval_note = "A clear, evidenced need."


def _tendered_case(b: "Builder", rows: Rows, t: TenderPlan, manager) -> None:
    agreement, d = t.agreement, t.dates
    months = (agreement.ends_on.year - agreement.starts_on.year) * 12 + agreement.ends_on.month
    months -= agreement.starts_on.month - 1
    estimate = agreement.value * b.rng.randint(90, 115) // 100 // (1000 * POUND) * 1000 * POUND
    case = CommissioningCase(
        reference=case_reference(b, t.year, t.slot),
        title=f"{t.noun}{b.tag} ({fy_label(t.year)}){GEN}",
        need_summary=f"A need identified in {t.year}: {t.noun.lower()} in {t.service.delivery_area}.",
        stage=CaseStage.CONTRACTED,
        estimated_value=money(max(estimate, 1000 * POUND)),
        procurement_starts_on=t.published,
        contract_starts_on=agreement.starts_on,
        contract_months=months,
        light_touch=agreement.victims,
        regime=t.regime,
        route=ProcurementRoute.OPEN,
        fund=b.funds[agreement.funds[0][0]],
        lead_officer=t.service.lead,
        problem=f"Too few services for {t.noun.lower()}.",
        created_at=at(d["opened_case"]),
    )
    _approved(b, case, d["recommended_on"], d["approved_on"])
    rows.cases.append(case)
    rows.case_priorities.append((case, t.service.priorities))
    tender = Tender(
        case=case,
        reference=tender_reference(b, t.year, t.slot),
        title=case.title,
        description=f"{t.noun} in {t.service.delivery_area}, from {agreement.starts_on:%B %Y} to "
        f"{agreement.ends_on:%B %Y} (generated benchmark data).",
        status=Tender.Status.OPENED,
        deadline=at(t.deadline, 12),
        questions_close_at=at(t.deadline - dt.timedelta(days=7), 12),
        published_at=at(t.published),
        published_by=manager,
        created_by=manager,
        created_at=at(d["drafted"]),
    )
    rows.tenders.append((tender, t, case))


def _open_tender(b: "Builder", rows: Rows, year: int, manager) -> None:
    """The current year's tender, open for bids: published, some bids submitted and sealed."""
    title, light_touch = NEEDS[(year + 3 + b.copy) % len(NEEDS)]
    published = CAL.as_of - _days(b, 10, 25)
    deadline = CAL.as_of + _days(b, 10, 30)
    regime = _regime_on(b.regime_starts, published)
    case = CommissioningCase(
        reference=case_reference(b, year, 4),
        title=f"{title}{b.tag}, tendered ({fy_label(year)}){GEN}",
        need_summary=f"A need identified in {year}: {title.lower()} across {b.area}.",
        stage=CaseStage.TENDER,
        estimated_value=Decimal(b.rng.randrange(80, 600) * 1000),
        procurement_starts_on=published,
        contract_starts_on=dt.date(year + 1, 4, 1),
        contract_months=36,
        light_touch=light_touch,
        regime=regime,
        route=ProcurementRoute.OPEN if regime else "",
        lead_officer=manager,
        problem=f"Too few services for {title.lower()}.",
        created_at=at(published - _days(b, 60, 120)),
    )
    _approved(b, case, published - _days(b, 40, 50), published - _days(b, 20, 30))
    rows.cases.append(case)
    rows.case_priorities.append((case, list(b.priorities.values())[:1]))
    if not regime:
        return
    tender = Tender(
        case=case,
        reference=tender_reference(b, year, 4),
        title=case.title,
        description=f"{title} across {b.area} for three years from 1 April {year + 1} (generated benchmark data).",
        status=Tender.Status.PUBLISHED,
        deadline=at(deadline, 12),
        questions_close_at=at(deadline - dt.timedelta(days=7), 12),
        published_at=at(published),
        published_by=manager,
        created_by=manager,
        created_at=at(published - _days(b, 3, 10)),
    )
    rows.tenders.append((tender, None, case))


def _quotes_case(b: "Builder", rows: Rows, year: int, manager) -> None:
    """The year's purchase on written quotes (three asked, the lowest chosen); one year in three, a case closed
    without a contract instead."""
    title, light_touch = NEEDS[(year + 2 + b.copy) % len(NEEDS)]
    closed = year % 3 == 0
    begins = dt.date(year, 10, 1) + _days(b, 0, 60)
    value = b.rng.randrange(5, 50) * 1000
    regime = "" if closed else _regime_on(b.regime_starts, begins)
    case = CommissioningCase(
        reference=case_reference(b, year, 3),
        title=f"{title}{b.tag}, small purchase ({fy_label(year)}){GEN}",
        need_summary=f"A need identified in {year}: {title.lower()} across {b.area}.",
        stage=CaseStage.CLOSED if closed else CaseStage.CONTRACTED,
        estimated_value=Decimal(value),
        procurement_starts_on=begins,
        contract_starts_on=dt.date(year + 1, 1, 1),
        contract_months=12,
        light_touch=light_touch,
        regime=regime,
        route=ProcurementRoute.QUOTES if regime else "",
        lead_officer=manager,
        problem=f"Too few services for {title.lower()}.",
        created_at=at(begins - _days(b, 30, 90)),
    )
    rows.cases.append(case)
    if not regime:
        return
    received = begins + _days(b, 7, 14)
    chosen_on = received + _days(b, 2, 7)
    suppliers = b.rng.sample(b.businesses + b.vcse, 3)
    amounts = [value * b.rng.randint(85, 115) // 100 for _ in suppliers]
    lowest = min(range(3), key=lambda i: (amounts[i], i))
    for index, organisation in enumerate(suppliers):
        chosen = index == lowest
        quote = Quote(
            case=case,
            supplier_name=organisation.name,
            organisation=organisation,
            contact_email=organisation.email,
            invited_on=begins,
            received_on=received,
            amount=Decimal(amounts[index]),
            chosen=chosen,
            chosen_reason="The lowest price of three; it covers everything asked." if chosen else "",
            chosen_by=manager if chosen else None,
            chosen_at=at(chosen_on) if chosen else None,
            created_at=at(begins),
        )
        rows.quotes.append((quote, case))


def write_quotes(b: "Builder", quotes: list) -> None:
    rows = [quote for quote, _ in quotes]
    _save(rows, "case", reason="Generated quote")
    b.counts["quotes"] += len(rows)


# --- Tenders and what follows them -----------------------------------------------------------------------------


def _criteria(b: "Builder", tender: Tender) -> tuple[list, list]:
    """(top-level criteria, sub-criteria) of a tender: quality in two parts, price and social value."""
    price, (first, second), social = b.pick(WEIGHTS)
    descriptors = list(DEFAULT_DESCRIPTORS)

    def criterion(kind, title, guidance, weight, order, parent=None):
        return AwardCriterion(
            tender=tender,
            parent=parent,
            kind=kind,
            title=title,
            guidance=guidance,
            weight=Decimal(weight),
            order=order,
            descriptors=descriptors,
        )

    quality = criterion("quality", "Quality of the service", "How you will deliver the service", first + second, 1)
    subs = [
        criterion("quality", QUALITY[0][0], QUALITY[0][1], first, 2, quality),
        criterion("quality", QUALITY[1][0], QUALITY[1][1], second, 3, quality),
    ]
    top = [quality, criterion("price", "Price", "", price, 4), criterion("social_value", *SOCIAL_VALUE, social, 5)]
    return top, subs


def write_tenders(b: "Builder", tenders: list, manager) -> None:
    if not tenders:
        return
    supplier_user = b.people[Role.SUPPLIER][0]
    finance = b.finance[0]
    evaluators = [b.people[Role.EVALUATOR][0], b.people[Role.POLICY_OFFICER][0]]
    percent = abnormally_low_percent(CAL.as_of)
    tender_rows = [tender for tender, _, _ in tenders]
    _save(tender_rows, "case", reason="Generated tender", actor=manager)
    b.counts["tenders"] += len(tender_rows)

    top, subs, scored = [], [], {}  # scored: tender -> [criteria evaluators score]
    for tender in tender_rows:
        tender_top, tender_subs = _criteria(b, tender)
        top += tender_top
        subs += tender_subs
        scored[tender.reference] = tender_subs + [c for c in tender_top if c.kind == "social_value"]
    _save(top, reason="Criterion added", actor=manager)
    _save(subs, "parent", reason="Criterion added", actor=manager)

    bids, envelopes, answers, interests, questions = [], [], [], [], []
    openings, evaluations, results_for = [], [], []
    pool = b.businesses + b.vcse
    for tender, t, _case in tenders:
        winner = t.service.provider if t else None
        others = [o for o in b.rng.sample(pool, 5) if o.pk != getattr(winner, "pk", None)]
        count = b.pick((2, 3, 3, 4)) if t else b.rng.randint(1, 3)
        bidders = ([winner] if winner else []) + others[: count - (1 if winner else 0)]
        published = timezone_date(tender.published_at)
        deadline_on = timezone_date(tender.deadline)
        last_day = deadline_on - dt.timedelta(days=1) if t else CAL.as_of - dt.timedelta(days=1)
        value = t.agreement.value if t else int(tender.case.estimated_value) * POUND
        tender_bids = []
        for index, organisation in enumerate(bidders):
            submitted = published + dt.timedelta(days=b.rng.randint(1, max(1, (last_day - published).days)))
            submitted = min(submitted, last_day)
            bid = Bid(
                tender=tender,
                organisation=organisation,
                status=Bid.Status.SUBMITTED,
                created_by=supplier_user,
                created_at=at(max(published, submitted - dt.timedelta(days=3)), 9),
                submitted_by=supplier_user,
                submitted_at=at(submitted, b.rng.randint(9, 16), b.rng.randint(0, 59)),
            )
            # The winner asks the agreement's value; every other bidder more.
            pence = value if index == 0 and t else value * b.rng.randint(101, 130) // 100 // POUND * POUND
            tender_bids.append((bid, pence))
            bids.append(bid)
            envelopes.append(BidEnvelope(bid=bid, price=money(pence)))
            for criterion in scored[tender.reference]:
                answers.append(
                    BidAnswer(
                        bid=bid,
                        criterion=criterion,
                        text=f"{organisation.name} on {criterion.title.lower()}: our approach is set out in full "
                        "(generated benchmark data).",
                    )
                )
            interests.append(
                ExpressionOfInterest(
                    tender=tender, organisation=organisation, registered_by=supplier_user, created_at=bid.created_at
                )
            )
        if len(others) > len(bidders):  # someone interested who did not bid
            interests.append(
                ExpressionOfInterest(
                    tender=tender,
                    organisation=others[-1],
                    registered_by=supplier_user,
                    created_at=at(published + dt.timedelta(days=2)),
                )
            )
        asked = published + dt.timedelta(days=3)
        questions.append(
            ClarificationQuestion(
                tender=tender,
                organisation=bidders[-1],
                asked_by=supplier_user,
                question="Will staff transfer under TUPE from the current provider?",
                asked_at=at(asked, 11),
                answer="The current provider has shared anonymised staffing information, in the documents.",
                answered_by=manager,
                answered_at=at(asked + dt.timedelta(days=2), 15),
            )
        )
        if t is None:
            continue  # open for bids: sealed, no opening
        openings.append(
            BidOpening(
                tender=tender,
                started_by=manager,
                started_at=at(deadline_on, 14),
                confirmed_by=finance,
                confirmed_at=at(deadline_on, 14, 10),
                bids_received=len(tender_bids),
                notes="Opened after the deadline by two officers (generated benchmark data).",
            )
        )
        evaluation = TenderEvaluation(
            tender=tender,
            status=TenderEvaluation.Status.DECIDED,
            abnormally_low_percent=percent,
            ranked_at=at(t.dates["ranked"], 16),
            recommendation="The highest total score: the strongest delivery plan at the lowest price (generated).",
            recommended_by=manager,
            recommended_at=at(t.dates["recommended"], 11),
            decision=t.agreement.decision.row,
            created_at=at(t.dates["declared"] - dt.timedelta(days=1), 9),
        )
        evaluations.append(evaluation)
        results_for.append((tender, t, evaluation, tender_bids))

    _save(bids, "tender", reason="Bid submitted")
    for row in envelopes + answers:
        row.bid = row.bid
    bulk_insert(envelopes)
    bulk_insert(answers)
    _save(interests, "tender", reason="Interest registered")
    _save(questions, "tender", reason="Answered to every supplier", actor=manager)
    _save(openings, "tender", reason="Bid opening confirmed", actor=finance)
    b.counts["bids"] += len(bids)
    write_evaluations(b, results_for, evaluators, manager, scored)


def timezone_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()


def write_evaluations(b: "Builder", results_for: list, evaluators: list, manager, scored: dict) -> None:
    """Assignments, scores and moderation for every bid of the opened tenders; their ranking, the award, the
    letters and the notices."""
    assignments, scores, moderations, moderated, results, awards, letters, notices = [], [], [], [], [], [], [], []
    for tender, t, evaluation, tender_bids in results_for:
        d = t.dates
        criteria = scored[tender.reference]
        price_weight = Decimal(100) - sum((c.weight for c in criteria), Decimal(0))
        lowest = min(pence for _, pence in tender_bids)
        winning = {c.pk: b.rng.randint(3, 5) for c in criteria}
        rows = []
        for index, (bid, pence) in enumerate(tender_bids):
            # The winner (the first) scores at least as well as any other bidder on every criterion.
            agreed = winning if index == 0 else {pk: b.rng.randint(max(0, s - 2), s) for pk, s in winning.items()}
            for evaluator in evaluators:
                assignment = BidAssignment(
                    bid=bid,
                    assessor=evaluator,
                    assigned_by=manager,
                    declaration=BidAssignment.Declaration.NONE,
                    declared_at=at(d["declared"], 10),
                    submitted_at=at(d["scored"], 16),
                )
                assignments.append(assignment)
                for n, criterion in enumerate(criteria):
                    own = min(5, max(0, agreed[criterion.pk] + b.pick((-1, 0, 0, 1))))
                    scores.append(
                        BidScore(
                            assignment=assignment,
                            criterion=criterion,
                            score=own,
                            comment=COMMENTS[(n + index) % len(COMMENTS)],
                        )
                    )
            quality = weighted_score(criteria=criteria, scores=agreed)
            moderation = BidModeration(
                bid=bid,
                rationale="The panel discussed the evidence in each answer and agreed these scores (generated).",
                weighted_score=quality,
                moderated_by=manager,
                moderated_at=at(d["moderated"], 15),
            )
            moderations.append(moderation)
            moderated += [BidModeratedScore(moderation=moderation, criterion=c, score=agreed[c.pk]) for c in criteria]
            points = price_score(lowest=money(lowest), price=money(pence), weight=price_weight)
            others = [money(p) for o, p in tender_bids if o is not bid]
            rows.append(
                (
                    bid,
                    pence,
                    quality,
                    points,
                    is_abnormally_low(price=money(pence), others=others, percent=evaluation.abnormally_low_percent),
                    index,
                )
            )
        rows.sort(key=lambda r: (-(r[2] + r[3]), r[1], r[5]))
        ranked = []
        for rank, (bid, pence, quality, points, low, _index) in enumerate(rows, start=1):
            result = BidResult(
                evaluation=evaluation,
                bid=bid,
                price=money(pence),
                price_score=points,
                quality_score=quality,
                total_score=quality + points,
                rank=rank,
                abnormally_low=low,
                abnormally_low_note="The bidder explained its price (generated)." if low else "",
            )
            ranked.append(result)
        results += ranked
        winner = ranked[0]
        agreement = t.agreement.row
        evaluation.recommended_bid = winner.bid
        award = ContractAward(
            tender=tender,
            bid=winner.bid,
            decision=t.agreement.decision.row,
            regime=t.regime,
            status=ContractAward.Status.CONTRACTED,
            value=winner.price,
            reasons=t.agreement.decision.reasons,
            starts_on=agreement.starts_on,
            ends_on=agreement.ends_on,
            award_notice_published_on=d["notice"],
            standstill_ends_on=d["standstill_ends"],
            agreement=agreement,
            contract_signed_on=d["signed"],
            details_notice_published_on=d["details"],
            created_by=manager,
            created_at=at(d["decided"], 12),
        )
        awards.append(award)
        for result in ranked:
            letters.append(
                AwardLetter(
                    award=award,
                    bid=result.bid,
                    successful=result is winner,
                    body=letter_body(award=award, result=result, winner=winner),
                    sent_at=at(d["notice"], 12),
                )
            )
        for kind, published in (
            (NoticeKind.TENDER, t.published),
            (NoticeKind.CONTRACT_AWARD, d["notice"]),
            (NoticeKind.CONTRACT_DETAILS, d["details"]),
        ):
            number = NOTICE_NUMBERS.get((t.regime, kind)) or TENDER_NOTICE[t.regime]
            notices.append(
                Notice(
                    case=tender.case,
                    kind=kind,
                    published_on=published,
                    reference=f"{number} {tender.case.reference}",
                    recorded_by=manager,
                )
            )
    evaluations = [evaluation for _, _, evaluation, _ in results_for]
    _save(evaluations, "recommended_bid", reason="Award decided", actor=manager)
    _save(assignments, "bid", reason="Assigned to evaluate", actor=manager)
    _save(scores, "assignment", "criterion", reason="Scores submitted")
    _save(moderations, "bid", reason="Moderated", actor=manager)
    _save(moderated, "moderation", "criterion", reason="Moderated", actor=manager)
    _save(results, "evaluation", "bid", reason="Ranked", actor=manager)
    _save(awards, "tender", "bid", reason="Contract signed", actor=manager)
    _save(letters, "award", "bid", reason="Award letter sent", actor=manager)
    _save(notices, "case", reason="Notice published", actor=manager)
    b.counts["contract awards"] += len(awards)
