"""Reads for tender evaluation and award, each scoped to what the person may see.

Scores are read only through the shared `evaluation.selectors.scores_visible` (ADR 0015): an evaluator sees their
own, a moderator the submitted scores of the evaluators without a conflict. A bid's sealed answers are read here
only for the evaluator's own assignment after they declared no conflict, and only once the tender is opened.
"""

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from commissioning.accounts.roles import OPCC_STAFF, Role
from commissioning.evaluation import selectors as evaluation
from commissioning.funds.models import Fund
from commissioning.procurement.models import (
    AwardLetter,
    Bid,
    BidAnswer,
    BidAssignment,
    BidResult,
    ContractAward,
    Tender,
    TenderEvaluation,
)
from commissioning.procurement.services.evaluation import KIND, min_evaluators, price_weight, scored_criteria


def tenders_for_evaluation():
    """Opened tenders, newest first, with their bid counts."""
    return (
        Tender.objects.filter(status=Tender.Status.OPENED)
        .select_related("case", "evaluation")
        .annotate(bid_count=Count("bids", filter=Q(bids__status=Bid.Status.SUBMITTED)))
        .order_by("-deadline", "pk")
    )


def tender_get(*, pk) -> Tender:
    return get_object_or_404(Tender.objects.select_related("case", "opening"), pk=pk, status=Tender.Status.OPENED)


def evaluation_for(tender: Tender) -> TenderEvaluation | None:
    return TenderEvaluation.objects.filter(tender=tender).select_related("recommended_bid__organisation").first()


def progress(*, tender: Tender):
    """Submitted bids with their evaluators, declarations and whether each has submitted: never the scores."""
    assignments = BidAssignment.objects.select_related("assessor").order_by("assessor__display_name", "pk")
    return (
        Bid.objects.filter(tender=tender, status=Bid.Status.SUBMITTED)
        .select_related("organisation", "moderation")
        .prefetch_related(Prefetch("assignments", queryset=assignments))
        .order_by("submitted_at", "pk")
    )


def results(*, tender: Tender):
    return BidResult.objects.filter(evaluation__tender=tender).select_related("bid__organisation").order_by("rank")


def evaluator_choices(*, actor):
    return (
        get_user_model()
        .objects.filter(is_active=True, role__in=[Role.EVALUATOR.value, *sorted(r.value for r in OPCC_STAFF)])
        .exclude(pk=actor.pk)
        .order_by("display_name", "email")
    )


def my_assignments(*, user):
    return (
        BidAssignment.objects.filter(assessor=user)
        .select_related("bid__tender", "bid__organisation")
        .order_by("submitted_at", "bid__tender__reference", "pk")
    )


def my_assignment(*, user, pk) -> BidAssignment:
    """One of the evaluator's own assignments; anyone else's is "not found"."""
    return get_object_or_404(
        BidAssignment.objects.select_related("bid__tender", "bid__organisation"), pk=pk, assessor=user
    )


def bid_answers_for_evaluator(*, assignment: BidAssignment) -> list[BidAnswer]:
    """The bid's sealed answers, for its evaluator once they declared no conflict and the bids are opened."""
    bid = assignment.bid
    if not assignment.may_open or bid.tender.status != Tender.Status.OPENED:
        return []
    return list(BidAnswer.objects.filter(bid=bid).select_related("criterion").order_by("criterion__order"))


def criteria(*, tender: Tender) -> list:
    return list(scored_criteria(tender).values())


def own_scores(*, assignment: BidAssignment) -> dict:
    return evaluation.own_scores(kind=KIND, assignment=assignment)


def bid_get(*, pk) -> Bid:
    return get_object_or_404(
        Bid.objects.select_related("tender", "organisation"),
        pk=pk,
        status=Bid.Status.SUBMITTED,
        tender__status=Tender.Status.OPENED,
    )


def moderation_sheet(*, user, bid: Bid):
    return evaluation.moderation_sheet(
        criteria=criteria(tender=bid.tender),
        assignments=BidAssignment.objects.filter(bid=bid).select_related("assessor"),
        visible_scores=evaluation.scores_visible(
            kind=KIND, user=user, subject=bid, may_moderate=user.has_perm("procurement.moderate_bid", bid)
        ),
        needed=min_evaluators(),
    )


def moderated_scores(*, bid: Bid):
    return evaluation.moderated_scores(kind=KIND, subject=bid)


def award_for(tender: Tender) -> ContractAward | None:
    return (
        ContractAward.objects.filter(tender=tender).select_related("bid__organisation", "decision", "agreement").first()
    )


def letters(*, award: ContractAward):
    return AwardLetter.objects.filter(award=award).select_related("bid__organisation")


def report_context(*, tender: Tender) -> dict:
    """Everything the evaluation report shows: criteria and weights, each bid's moderated scores and rationale,
    price scores, ranking, abnormally low flags and the recommendation. For people who may view the evaluation."""
    bids = list(
        Bid.objects.filter(tender=tender, status=Bid.Status.SUBMITTED)
        .select_related("organisation", "moderation", "result")
        .prefetch_related(Prefetch("moderation__scores", to_attr="agreed"))
        .order_by("submitted_at", "pk")
    )
    return {
        "tender": tender,
        "case": tender.case,
        "criteria": criteria(tender=tender),
        "price_weight": price_weight(tender),
        "bids": bids,
        "results": list(results(tender=tender)),
        "evaluation": evaluation_for(tender),
        "award": award_for(tender),
    }


def funds():
    """Funds a contract may be paid from."""
    return Fund.objects.order_by("order", "name")
