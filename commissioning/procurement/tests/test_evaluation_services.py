"""Tender evaluation through the shared mechanics, price scoring, abnormally low bids, ranking, the award decision,
letters and standstill, and the contract with its KPIs and a commitment for every year (issue 10, points 7-8)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.evaluation import selectors as evaluation_selectors
from commissioning.funds.models import Commitment
from commissioning.procurement.models import (
    AbnormallyLowRule,
    AwardLetter,
    BidResult,
    ContractAward,
    Notice,
    TenderEvaluation,
)
from commissioning.procurement.services import award as award_services
from commissioning.procurement.services import evaluation as services
from commissioning.procurement.tests.evaluation_world import opened_tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "manager": UserFactory(role=Role.COMMISSIONING_MANAGER),
        "officer": UserFactory(role=Role.POLICY_OFFICER),
        "first": UserFactory(role=Role.EVALUATOR),
        "second": UserFactory(role=Role.EVALUATOR),
        "pcc": UserFactory(role=Role.PCC),
    }


@pytest.fixture
def tender(people):
    tender, bids = opened_tender(manager=people["manager"], officer=people["officer"])
    tender.bids_list = bids
    return tender


def _assign(people, tender):
    return services.evaluators_assign(
        actor=people["manager"], tender=tender, evaluators=[people["first"], people["second"]]
    )


def _scores(tender, quality, social):
    c = tender.criteria_by_kind
    return {c["quality"].pk: (quality, "Well evidenced"), c["social_value"].pk: (social, "Local jobs")}


def _evaluate_all(people, tender, marks=((4, 3), (3, 2), (2, 1))):
    assignments = _assign(people, tender)
    for assignment in assignments:
        services.evaluator_declare(actor=assignment.assessor, assignment=assignment, has_conflict=False)
        q, s = marks[tender.bids_list.index(assignment.bid)]
        services.bid_scores_save(
            actor=assignment.assessor, assignment=assignment, scores=_scores(tender, q, s), submit=True
        )
    c = tender.criteria_by_kind
    for bid, (q, s) in zip(tender.bids_list, marks, strict=True):
        services.bid_moderate(
            actor=people["manager"],
            bid=bid,
            scores={c["quality"].pk: q, c["social_value"].pk: s},
            rationale="Agreed after discussion",
        )
    return assignments


def test_evaluators_are_assigned_to_every_bid_once(people, tender):
    assert len(_assign(people, tender)) == 6
    assert _assign(people, tender) == []  # again: nothing new


def test_evaluator_without_a_declaration_sees_and_scores_nothing(people, tender):
    assignment = _assign(people, tender)[0]
    evaluator = people["first"]
    assert not evaluator.has_perm("procurement.evaluate_bid", assignment)
    with pytest.raises(PermissionDenied):
        services.bid_scores_save(actor=evaluator, assignment=assignment, scores=_scores(tender, 3, 3))


def test_a_conflicted_evaluator_never_scores(people, tender):
    assignment = _assign(people, tender)[0]
    services.evaluator_declare(actor=people["first"], assignment=assignment, has_conflict=True, details="My sister")
    assignment.refresh_from_db()
    assert not people["first"].has_perm("procurement.evaluate_bid", assignment)
    with pytest.raises(ValidationError, match="already declared"):
        services.evaluator_declare(actor=people["first"], assignment=assignment, has_conflict=False)


def test_scores_are_hidden_from_other_evaluators_before_moderation(people, tender):
    assignments = _assign(people, tender)
    bid = tender.bids_list[0]
    mine = next(a for a in assignments if a.bid == bid and a.assessor == people["first"])
    services.evaluator_declare(actor=people["first"], assignment=mine, has_conflict=False)
    services.bid_scores_save(actor=people["first"], assignment=mine, scores=_scores(tender, 4, 3), submit=True)
    other = people["second"]
    seen = evaluation_selectors.scores_visible(
        kind=services.KIND, user=other, subject=bid, may_moderate=other.has_perm("procurement.moderate_bid", bid)
    )
    assert list(seen) == []
    manager = people["manager"]
    seen = evaluation_selectors.scores_visible(
        kind=services.KIND, user=manager, subject=bid, may_moderate=manager.has_perm("procurement.moderate_bid", bid)
    )
    assert {s.score for s in seen} == {4, 3}


def test_moderation_needs_two_evaluations_and_weights_without_price(people, tender):
    c = tender.criteria_by_kind
    with pytest.raises(ValidationError, match="at least 2 submitted"):
        services.bid_moderate(
            actor=people["manager"],
            bid=tender.bids_list[0],
            scores={c["quality"].pk: 4, c["social_value"].pk: 3},
            rationale="x",
        )


def test_price_score_formula():
    assert services.price_score(lowest=Decimal("150000"), price=Decimal("240000"), weight=Decimal("40")) == Decimal(
        "25.00"
    )
    assert services.price_score(lowest=Decimal("100"), price=Decimal("300"), weight=Decimal("40")) == Decimal("13.33")


def test_abnormally_low_rule():
    others = [Decimal("300000"), Decimal("240000")]  # mean 270,000; 70% is 189,000
    assert services.is_abnormally_low(price=Decimal("188999.99"), others=others, percent=Decimal("70"))
    assert not services.is_abnormally_low(price=Decimal("189000"), others=others, percent=Decimal("70"))
    assert not services.is_abnormally_low(price=Decimal("1"), others=[], percent=Decimal("70"))


def test_rank_scores_price_flags_low_bids_and_orders_by_total(people, tender):
    _evaluate_all(people, tender)
    results = services.bids_rank(actor=people["manager"], tender=tender)
    by_bid = {r.bid_id: r for r in results}
    first, second, third = (by_bid[b.pk] for b in tender.bids_list)
    # Quality out of 60: 4/5×50 + 3/5×10 = 46; 3/5×50 + 2/5×10 = 34; 2/5×50 + 1/5×10 = 22.
    assert (first.quality_score, second.quality_score, third.quality_score) == (
        Decimal("46.00"),
        Decimal("34.00"),
        Decimal("22.00"),
    )
    # Price out of 40: 150,000 ÷ price × 40.
    assert (first.price_score, second.price_score, third.price_score) == (
        Decimal("20.00"),
        Decimal("25.00"),
        Decimal("40.00"),
    )
    # Totals 66, 59 and 62.
    assert [r.bid_id for r in results] == [tender.bids_list[0].pk, tender.bids_list[2].pk, tender.bids_list[1].pk]
    assert [r.rank for r in results] == [1, 2, 3]
    assert third.abnormally_low and not first.abnormally_low and not second.abnormally_low
    assert TenderEvaluation.objects.get(tender=tender).abnormally_low_percent == Decimal("70")


def test_the_profile_rule_sets_the_abnormally_low_percentage(people, tender):
    AbnormallyLowRule.objects.create(percent_of_mean=Decimal("50"), effective_from=dt.date(2025, 4, 1))
    _evaluate_all(people, tender)
    results = services.bids_rank(actor=people["manager"], tender=tender)
    assert not any(r.abnormally_low for r in results)  # 150,000 is not below 50% of 270,000


def test_ranking_needs_every_bid_moderated(people, tender):
    with pytest.raises(ValidationError, match="Moderate every bid"):
        services.bids_rank(actor=people["manager"], tender=tender)


def test_an_abnormally_low_bid_is_recommended_only_after_scrutiny(people, tender):
    _evaluate_all(people, tender, marks=((2, 1), (3, 2), (5, 5)))
    results = services.bids_rank(actor=people["manager"], tender=tender)
    top = results[0]
    assert top.bid == tender.bids_list[2] and top.abnormally_low
    with pytest.raises(ValidationError, match="abnormally low"):
        services.award_recommend(actor=people["manager"], tender=tender, bid=top.bid, recommendation="Best")
    services.abnormally_low_scrutiny_record(actor=people["manager"], result=top, note="Volunteers explained")
    evaluation = services.award_recommend(actor=people["manager"], tender=tender, bid=top.bid, recommendation="Best")
    assert evaluation.status == TenderEvaluation.Status.RECOMMENDED


def _through_to_award(people, tender):
    _evaluate_all(people, tender)
    results = services.bids_rank(actor=people["manager"], tender=tender)
    services.award_recommend(
        actor=people["manager"], tender=tender, bid=results[0].bid, recommendation="Highest total score"
    )
    return award_services.award_decide(
        actor=people["pcc"],
        tender=tender,
        decided_by=people["pcc"],
        decided_on=dt.date(2026, 11, 18),
        reasons="The strongest service delivery at an affordable price",
        starts_on=dt.date(2027, 4, 1),
        ends_on=dt.date(2029, 3, 31),
    )


def test_decision_letters_standstill_and_contract(people, tender, settings):
    award = _through_to_award(people, tender)
    assert award.decision.decided_by == people["pcc"]
    assert award.value == Decimal("300000.00")
    # Contract award notice on Friday 20 November 2026: Fri 20 (1), 23-27 (6), Mon 30 (7), Tue 1 December (8).
    award = award_services.award_letters_send(actor=people["manager"], award=award, notice_on=dt.date(2026, 11, 20))
    assert award.standstill_ends_on == dt.date(2026, 12, 1)
    assert Notice.objects.get(case=tender.case, kind="contract_award").published_on == dt.date(2026, 11, 20)
    letters = {letter.bid_id: letter for letter in AwardLetter.objects.filter(award=award)}
    assert len(letters) == 3
    loser = letters[tender.bids_list[2].pk]
    assert not loser.successful
    assert "Total: 62.00 out of 100" in loser.body  # their own: 22 + 40
    assert "Total: 66.00 out of 100" in loser.body  # the winner's: 46 + 20
    assert "The strongest service delivery" in loser.body
    assert "1 December 2026" in loser.body
    with pytest.raises(ValidationError, match="standstill period ends on 1 December 2026"):
        award_services.contract_sign(actor=people["manager"], award=award, signed_on=dt.date(2026, 12, 1))
    award = award_services.contract_sign(actor=people["manager"], award=award, signed_on=dt.date(2026, 12, 2))
    agreement = award.agreement
    assert agreement.status == "active" and agreement.kind == "contract" and agreement.value == Decimal("300000.00")
    commitments = Commitment.objects.filter(agreement=agreement).order_by("year__start_year")
    # 1 April 2027 to 31 March 2029: 366 days (2028 is a leap year) and 365 of 731; the last year takes the rest.
    assert [(c.year.start_year, c.amount, c.status) for c in commitments] == [
        (2027, Decimal("150205.20"), "committed"),
        (2028, Decimal("149794.80"), "committed"),
    ]
    award = award_services.contract_details_publish(
        actor=people["manager"], award=award, published_on=dt.date(2026, 12, 3)
    )
    assert award.status == ContractAward.Status.CONTRACTED
    assert Notice.objects.get(case=tender.case, kind="contract_details").reference


def test_money_is_spread_over_the_years_to_the_penny():
    shares = award_services.money_by_year(
        value=Decimal("100000.00"), starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2028, 9, 30)
    )
    assert [fy.label for fy, _ in shares] == ["2026/27", "2027/28", "2028/29"]
    assert sum(amount for _, amount in shares) == Decimal("100000.00")
    # 182 days of 731, 366 of 731 (2028 is a leap year), the rest.
    assert shares[0][1] == Decimal("24897.40")
    assert shares[1][1] == Decimal("50068.40")


def test_evaluators_may_not_be_assigned_before_the_opening(people):
    tender, _ = opened_tender(manager=people["manager"], officer=people["officer"])
    tender.opening.delete()
    tender.refresh_from_db()
    with pytest.raises(ValidationError, match="has not been opened"):
        services.evaluators_assign(actor=people["manager"], tender=tender, evaluators=[people["first"]])


def test_results_are_not_visible_to_bidders(people, tender):
    supplier = UserFactory(role=Role.SUPPLIER, organisation=tender.bids_list[0].organisation)
    assert not supplier.has_perm("procurement.view_evaluation")
    assert not supplier.has_perm("procurement.view_my_evaluations")
    assert BidResult.objects.count() == 0
    assert mail.outbox == []
