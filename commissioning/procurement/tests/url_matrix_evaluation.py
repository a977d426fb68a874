"""Tender evaluation and award URLs for the role x URL matrix. The world holds a tender taken through evaluation
(the evaluator role's user among its two evaluators), the award decision, the letters and the signed contract, so
every page has its record; the supplier role's organisation is one of the bidders."""

import datetime as dt

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.procurement.models import AwardLetter, BidAssignment, BidResult
from commissioning.procurement.services import award as award_services
from commissioning.procurement.services import evaluation as services
from commissioning.procurement.tests.evaluation_world import opened_tender
from commissioning.testing.matrix import UrlCase, expect, roles

OFFICERS = roles("commissioning_manager", "policy_officer", status=200)
VIEWERS = roles(
    "commissioning_manager",
    "policy_officer",
    "chief_executive",
    "cfo",
    "director_operations",
    "auditor",
    status=200,
)
POSSIBLE_EVALUATORS = (
    "admin",
    "pcc",
    "chief_executive",
    "cfo",
    "director_operations",
    "commissioning_manager",
    "policy_officer",
    "finance_officer",
    "evaluator",
)


def setup(world):
    users = world.users
    manager, officer, pcc = users["commissioning_manager"], users["policy_officer"], users["pcc"]
    tender, bids = opened_tender(manager=manager, officer=officer, suppliers={0: users["supplier"].organisation})
    second = UserFactory(role=Role.EVALUATOR)
    c = tender.criteria_by_kind
    for assignment in services.evaluators_assign(actor=manager, tender=tender, evaluators=[users["evaluator"], second]):
        services.evaluator_declare(actor=assignment.assessor, assignment=assignment, has_conflict=False)
        services.bid_scores_save(
            actor=assignment.assessor,
            assignment=assignment,
            scores={c["quality"].pk: (4, "Clear plan"), c["social_value"].pk: (3, "Local volunteers")},
            submit=True,
        )
    for bid in bids:
        services.bid_moderate(
            actor=manager, bid=bid, scores={c["quality"].pk: 4, c["social_value"].pk: 3}, rationale="Agreed"
        )
    results = services.bids_rank(actor=manager, tender=tender)
    top = results[0]
    services.abnormally_low_scrutiny_record(actor=manager, result=top, note="The bidder explained its volunteers")
    services.award_recommend(actor=manager, tender=tender, bid=top.bid, recommendation="Highest total score")
    award = award_services.award_decide(
        actor=pcc,
        tender=tender,
        decided_by=pcc,
        decided_on=dt.date(2026, 11, 18),
        reasons="The most advantageous tender",
        starts_on=dt.date(2027, 4, 1),
        ends_on=dt.date(2029, 3, 31),
    )
    award_services.award_letters_send(actor=manager, award=award, notice_on=dt.date(2026, 11, 20))
    world.eval_tender = tender
    world.eval_bid = bids[0]
    world.eval_result = BidResult.objects.get(bid=top.bid)
    world.eval_assignment = BidAssignment.objects.get(bid=bids[0], assessor=users["evaluator"])
    world.eval_letter = AwardLetter.objects.get(bid=bids[0])  # the supplier role's own letter


CASES = [
    UrlCase("procurement_evaluation:tender_list", expect(403, **VIEWERS)),
    UrlCase(
        "procurement_evaluation:evaluation_detail",
        expect(403, **VIEWERS),
        kwargs=lambda w: {"pk": w.eval_tender.pk},
    ),
    UrlCase(
        "procurement_evaluation:evaluation_report",
        expect(403, **VIEWERS),
        kwargs=lambda w: {"pk": w.eval_tender.pk},
    ),
    UrlCase("procurement_evaluation:recommend", expect(403, **OFFICERS), kwargs=lambda w: {"pk": w.eval_tender.pk}),
    UrlCase("procurement_evaluation:scrutiny", expect(403, **OFFICERS), kwargs=lambda w: {"pk": w.eval_result.pk}),
    UrlCase("procurement_evaluation:moderate", expect(403, **OFFICERS), kwargs=lambda w: {"pk": w.eval_bid.pk}),
    UrlCase("procurement_evaluation:my_evaluations", expect(403, **roles(*POSSIBLE_EVALUATORS, status=200))),
    UrlCase(
        "procurement_evaluation:declare",
        expect(403, **{**roles(*POSSIBLE_EVALUATORS, status=404), "evaluator": 200}),
        kwargs=lambda w: {"pk": w.eval_assignment.pk},
    ),
    UrlCase(
        "procurement_evaluation:score",
        expect(403, **{**roles(*POSSIBLE_EVALUATORS, status=404), "evaluator": 200}),
        kwargs=lambda w: {"pk": w.eval_assignment.pk},
    ),
    UrlCase(
        "procurement_evaluation:award_decide",
        expect(403, pcc=200, commissioning_manager=200),
        kwargs=lambda w: {"pk": w.eval_tender.pk},
    ),
    UrlCase(
        "procurement_evaluation:award_detail",
        expect(403, **VIEWERS),
        kwargs=lambda w: {"pk": w.eval_tender.pk},
    ),
    UrlCase(
        "procurement_evaluation:award_letter",
        expect(404, **VIEWERS, supplier=200),
        kwargs=lambda w: {"pk": w.eval_letter.pk},
    ),
]
