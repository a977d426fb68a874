"""Tender evaluation and award in the demo (issue 10, points 7 and 8), through the procurement services.

The tenders whose bids have been opened (by the tender part of the demo) are evaluated by two evaluators: the
demo Evaluator and the demo Policy and Commissioning Officer each declare no conflict and score every bid on their
own, and the Commissioning Manager moderates each bid and ranks them. The oldest opened tender is then taken on to a
contract: the award recommended, the PCC's decision, the letters and the contract award notice (with the
standstill worked out), the contract signed after the standstill with its KPIs and a commitment for each financial
year it runs, and the contract details notice. Any other opened tender is left at evaluation, ranked.

Dates: the decision, notice and signing are given as dates in the recent past (the services refuse future dates),
so the standstill has ended by today. Running it again changes nothing: an evaluated tender is left as it is.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from commissioning.accounts.roles import Role
from commissioning.core.dates import add_months
from commissioning.funds import selectors as fund_selectors
from commissioning.funds import services as fund_services
from commissioning.procurement.models import Tender, TenderEvaluation
from commissioning.procurement.selectors import evaluation as evaluation_selectors
from commissioning.procurement.services import award as award_services
from commissioning.procurement.services import evaluation as evaluation_services
from commissioning.procurement.standstill import contract_may_be_signed_from

DEMO_REASON = "Demo data (setup_demo)"
# Each evaluator's view of each bid, by the bid's place in the order received: (quality, social value) out of 5.
MARKS = {0: ((4, 3), (4, 4)), 1: ((3, 4), (3, 3)), 2: ((5, 2), (4, 2))}
COMMENTS = ("Clear delivery plan with named safeguarding leads", "Commits to local volunteering and apprenticeships")


def demo_procurement_award(*, users, summary) -> None:
    """Evaluate every opened tender with two evaluators; take the oldest on to a signed contract."""
    opened = list(Tender.objects.filter(status=Tender.Status.OPENED).select_related("case").order_by("deadline", "pk"))
    if not opened:
        return
    for index, tender in enumerate(opened):
        if TenderEvaluation.objects.filter(tender=tender).exists():
            summary.counts["unchanged"] += 1
            continue
        if not _evaluate(tender, users=users):
            continue
        summary.counts["created"] += 1
        if index == 0:
            _award_and_contract(tender, users=users, summary=summary)


def _evaluate(tender: Tender, *, users) -> bool:
    manager = users[Role.COMMISSIONING_MANAGER]
    evaluators = [users[Role.EVALUATOR], users[Role.POLICY_OFFICER]]
    bids = list(evaluation_services.evaluated_bids(tender))
    criteria = list(evaluation_services.scored_criteria(tender).values())
    if not bids or not criteria:
        return False
    assignments = evaluation_services.evaluators_assign(actor=manager, tender=tender, evaluators=evaluators)
    order = {bid.pk: n for n, bid in enumerate(bids)}
    for assignment in assignments:
        evaluator_index = evaluators.index(assignment.assessor)
        marks = MARKS[order[assignment.bid_id] % 3][evaluator_index]
        evaluation_services.evaluator_declare(actor=assignment.assessor, assignment=assignment, has_conflict=False)
        scores = {
            criterion.pk: (marks[0] if criterion.kind == "quality" else marks[1], COMMENTS[n % 2])
            for n, criterion in enumerate(criteria)
        }
        evaluation_services.bid_scores_save(
            actor=assignment.assessor, assignment=assignment, scores=scores, submit=True
        )
    for bid in bids:
        first, second = MARKS[order[bid.pk] % 3]
        agreed = {
            criterion.pk: max(first[0], second[0]) if criterion.kind == "quality" else min(first[1], second[1])
            for criterion in criteria
        }
        evaluation_services.bid_moderate(
            actor=manager,
            bid=bid,
            scores=agreed,
            rationale="The panel discussed the evidence in each answer and agreed these scores (demo)",
        )
    results = evaluation_services.bids_rank(actor=manager, tender=tender)
    for result in results:
        if result.abnormally_low:
            evaluation_services.abnormally_low_scrutiny_record(
                actor=manager,
                result=result,
                note="The bidder explained its price: volunteers deliver part of the service (demo)",
            )
    return True


def _award_and_contract(tender: Tender, *, users, summary) -> None:
    manager, pcc, finance = users[Role.COMMISSIONING_MANAGER], users[Role.PCC], users[Role.FINANCE_OFFICER]
    today = timezone.localdate()
    results = list(evaluation_selectors.results(tender=tender))
    if not results:
        return
    evaluation_services.award_recommend(
        actor=manager,
        tender=tender,
        bid=results[0].bid,
        recommendation="The highest total score: the strongest delivery plan at a competitive price (demo)",
    )
    notice_on = today - dt.timedelta(days=16)
    case = tender.case
    starts_on = max(case.contract_starts_on or today, today)
    ends_on = add_months(starts_on, case.contract_months or 24) - dt.timedelta(days=1)
    award = award_services.award_decide(
        actor=pcc,
        tender=tender,
        decided_by=pcc,
        decided_on=notice_on - dt.timedelta(days=2),
        reasons="The most advantageous tender on the published criteria (demo)",
        starts_on=starts_on,
        ends_on=ends_on,
    )
    award = award_services.award_letters_send(actor=manager, award=award, notice_on=notice_on)
    fund = case.fund or fund_selectors.fund_with_role("safety_fund")
    if fund is None:
        return
    # Budgets for the years the contract runs, as the finance officer sets them before each year: enough for
    # this contract's share on top of what is already committed.
    for fy, share in award_services.money_by_year(value=award.value, starts_on=starts_on, ends_on=ends_on):
        year = fund_services.financial_year_get_or_create(start_year=fy.start_year)
        position = fund_selectors.fund_position(fund=fund, year=year)
        short = position.committed + position.planned + share - position.budget
        if short > 0:
            fund_services.budget_set_total(
                actor=finance,
                fund=fund,
                year=year,
                amount=position.own_budget + short + Decimal("10000.00"),
                reason=DEMO_REASON,
            )
    try:
        award = award_services.contract_sign(
            actor=manager,
            award=award,
            signed_on=max(
                contract_may_be_signed_from(regime=award.regime, notice_on=notice_on), today - dt.timedelta(2)
            ),
            fund=fund,
        )
    except ValidationError:
        summary.counts["unchanged"] += 1  # the fund cannot take it (e.g. a ring-fence): left in standstill
        return
    award_services.contract_details_publish(actor=manager, award=award, published_on=today - dt.timedelta(days=1))
