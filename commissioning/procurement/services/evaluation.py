"""Every write in evaluating an opened tender (issue 10, point 7; DOMAIN.md, "Evaluation conventions"):
assigning evaluators to the bids, their declarations and independent scores and the moderation of each bid (the
shared mechanics, commissioning.evaluation, ADR 0015); then price scored by formula, abnormally low prices flagged,
the bids ranked, and the award recommended to the PCC.

Each function checks permission, runs in one transaction, locks what it changes and records who and why.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.core.services import require, save_with_history
from commissioning.evaluation import services as evaluation
from commissioning.procurement.models import (
    AbnormallyLowRule,
    AwardCriterion,
    Bid,
    BidAssignment,
    BidEnvelope,
    BidModeratedScore,
    BidModeration,
    BidResult,
    BidScore,
    CriterionKind,
    Tender,
    TenderEvaluation,
)
from commissioning.procurement.permissions.evaluation import is_possible_evaluator

KIND = evaluation.Kind(
    assignment=BidAssignment, score=BidScore, moderation=BidModeration, moderated_score=BidModeratedScore
)
HUNDREDTH = Decimal("0.01")
# Used when the OPCC's profile sets no rule: a price below 70% of the mean of the other bids is scrutinised.
DEFAULT_ABNORMALLY_LOW_PERCENT = Decimal("70")


# --- Criteria and bids -----------------------------------------------------------------------------------


def scored_criteria(tender: Tender) -> dict[int, AwardCriterion]:
    """The criteria evaluators score: quality and social-value criteria without sub-criteria of their own."""
    rows = (
        AwardCriterion.objects.filter(tender=tender, sub_criteria__isnull=True)
        .exclude(kind=CriterionKind.PRICE)
        .order_by("order", "id")
    )
    return {c.pk: c for c in rows}


def price_weight(tender: Tender) -> Decimal:
    price = AwardCriterion.objects.filter(tender=tender, kind=CriterionKind.PRICE, parent__isnull=True).first()
    return price.weight if price else Decimal("0")


def evaluated_bids(tender: Tender):
    return Bid.objects.filter(tender=tender, status=Bid.Status.SUBMITTED).order_by("submitted_at", "pk")


def _require_opened(tender: Tender) -> None:
    opening = getattr(tender, "opening", None)
    if tender.status != Tender.Status.OPENED or opening is None or not opening.is_complete:
        raise ValidationError(
            f"{tender} has not been opened; its bids can be evaluated only after the two-officer opening"
        )


def _lock_evaluation(tender: Tender) -> TenderEvaluation:
    _require_opened(tender)
    evaluation_row, _ = TenderEvaluation.objects.get_or_create(tender=tender)
    return TenderEvaluation.objects.select_for_update().select_related("tender").get(pk=evaluation_row.pk)


def _closed(evaluation_row: TenderEvaluation | None) -> str:
    if evaluation_row is not None and evaluation_row.status != TenderEvaluation.Status.SCORING:
        return f"The evaluation of {evaluation_row.tender} has finished; it is {evaluation_row.get_status_display()}"
    return ""


# --- Assigning evaluators --------------------------------------------------------------------------------


def _evaluator_problem(*, actor, evaluator) -> str:
    if evaluator.pk == actor.pk:
        return "You cannot assign yourself; select another evaluator"
    if not is_possible_evaluator(evaluator):
        return f"{evaluator} is not an evaluator or a member of OPCC staff; select someone who is"
    return ""


@transaction.atomic
def evaluators_assign(*, actor, tender: Tender, evaluators) -> list[BidAssignment]:
    """Assign evaluators to every submitted bid of an opened tender. Each declares interests bid by bid (a conflict
    is with a supplier) before reading it. Pairs already assigned are left as they are."""
    require(actor, "procurement.assign_evaluators", tender)
    evaluators = list(evaluators or [])
    if not evaluators:
        raise ValidationError({"evaluators": "Select at least one evaluator"})
    problems = [p for e in evaluators if (p := _evaluator_problem(actor=actor, evaluator=e))]
    if problems:
        raise ValidationError({"evaluators": problems})
    evaluation_row = _lock_evaluation(tender)
    if closed := _closed(evaluation_row):
        raise ValidationError(closed)
    bids = list(evaluated_bids(tender))
    if not bids:
        raise ValidationError(f"{tender} has no submitted bids to evaluate")
    existing = set(BidAssignment.objects.filter(bid__in=bids).values_list("bid_id", "assessor_id"))
    created = []
    for evaluator in evaluators:
        for bid in bids:
            if (bid.pk, evaluator.pk) in existing:
                continue
            assignment = BidAssignment(bid=bid, assessor=evaluator, assigned_by=actor)
            save_with_history(assignment, actor=actor, reason=f"Assigned {evaluator} to evaluate")
            created.append(assignment)
    return created


# --- Declaring and scoring (the shared mechanics) --------------------------------------------------------


@transaction.atomic
def evaluator_declare(*, actor, assignment: BidAssignment, has_conflict: bool, details: str = "") -> BidAssignment:
    """The evaluator declares whether they have a conflict of interest with the bidder before they may read the
    bid (Procurement Act 2023 ss81-83). Final: a conflicted evaluator never reads it."""
    require(actor, "procurement.view_my_evaluations")
    assignment = evaluation.lock_assignment(KIND, assignment, "bid__tender")
    closed = _closed(TenderEvaluation.objects.filter(tender_id=assignment.bid.tender_id).first())
    return evaluation.declare(
        actor=actor, assignment=assignment, has_conflict=has_conflict, details=details, closed=closed
    )


@transaction.atomic
def bid_scores_save(*, actor, assignment: BidAssignment, scores: dict, submit: bool = False) -> BidAssignment:
    """The evaluator's own scores for the bid's quality and social-value answers, each with a comment."""
    assignment = evaluation.lock_assignment(KIND, assignment, "bid__tender")
    require(actor, "procurement.evaluate_bid", assignment)
    bid = assignment.bid
    closed = _closed(TenderEvaluation.objects.filter(tender_id=bid.tender_id).first())
    if not closed and BidModeration.objects.filter(bid=bid).exists():
        closed = "This bid has been moderated, so scoring has closed"
    return evaluation.scores_save(
        kind=KIND,
        actor=actor,
        assignment=assignment,
        criteria=scored_criteria(bid.tender),
        scores=scores,
        submit=submit,
        closed=closed,
        owner="tender",
    )


def min_evaluators() -> int:
    """Moderation of a bid needs at least two submitted evaluations (DOMAIN.md: evaluators score
    independently, then agree a consensus)."""
    return 2


@transaction.atomic
def bid_moderate(*, actor, bid: Bid, scores: dict, rationale: str) -> BidModeration:
    """The moderation meeting's agreed scores for one bid, with the rationale; out of the weight the scored
    criteria carry (100 less the price weight)."""
    require(actor, "procurement.moderate_bid", bid)
    bid = Bid.objects.select_for_update(of=("self",)).select_related("tender", "organisation").get(pk=bid.pk)
    tender = bid.tender
    evaluation_row = _lock_evaluation(tender)
    if closed := _closed(evaluation_row):
        raise ValidationError(closed)
    if BidModeration.objects.filter(bid=bid).exists():
        raise ValidationError("This bid has already been moderated")
    return evaluation.moderate(
        kind=KIND,
        actor=actor,
        subject=bid,
        criteria=scored_criteria(tender),
        scores=scores,
        rationale=rationale,
        needed=min_evaluators(),
        owner="tender",
        owner_label=str(tender),
        expected_weight=Decimal(100) - price_weight(tender),
    )


# --- Price, abnormally low bids and ranking --------------------------------------------------------------


def price_score(*, lowest: Decimal, price: Decimal, weight: Decimal) -> Decimal:
    """Lowest compliant price ÷ this bid's price × the price weight, to 2 places (half up)."""
    return (lowest / price * weight).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def abnormally_low_percent(on_date=None) -> Decimal:
    """The percentage of the mean of the other bids below which a price is abnormally low, from the profile's
    dated rule in force (or 70% when none is set)."""
    on_date = on_date or timezone.localdate()
    rule = AbnormallyLowRule.objects.filter(effective_from__lte=on_date).order_by("-effective_from").first()
    return rule.percent_of_mean if rule else DEFAULT_ABNORMALLY_LOW_PERCENT


def is_abnormally_low(*, price: Decimal, others: list[Decimal], percent: Decimal) -> bool:
    """Below `percent`% of the mean of the other bids' prices (never with no other bid to compare)."""
    if not others:
        return False
    mean = sum(others, Decimal("0")) / len(others)
    return price < mean * percent / 100


@transaction.atomic
def bids_rank(*, actor, tender: Tender) -> list[BidResult]:
    """Score price, add the moderated quality score and rank the bids, highest total first (ties: the lower price,
    then the earlier bid). Every submitted bid must be moderated and priced. Abnormally low prices are flagged for
    scrutiny; ranking again replaces the earlier ranking until the award is recommended."""
    require(actor, "procurement.rank_bids", tender)
    evaluation_row = _lock_evaluation(tender)
    if evaluation_row.status not in (TenderEvaluation.Status.SCORING, TenderEvaluation.Status.RANKED):
        raise ValidationError(f"The award of {tender} has been recommended; the ranking can no longer change")
    bids = list(evaluated_bids(tender).select_related("organisation"))
    if not bids:
        raise ValidationError(f"{tender} has no submitted bids")
    moderations = {m.bid_id: m for m in BidModeration.objects.filter(bid__in=bids)}
    prices = dict(BidEnvelope.objects.filter(bid__in=bids).values_list("bid_id", "price"))
    unmoderated = [b.organisation.name for b in bids if b.pk not in moderations]
    if unmoderated:
        raise ValidationError(f"Moderate every bid before ranking; not yet moderated: {', '.join(unmoderated)}")
    compliant = [b for b in bids if prices.get(b.pk)]
    if not compliant:
        raise ValidationError("No bid gives a price, so price cannot be scored")
    weight = price_weight(tender)
    lowest = min(prices[b.pk] for b in compliant)
    percent = abnormally_low_percent()
    rows = []
    for bid in compliant:
        price = prices[bid.pk]
        quality = moderations[bid.pk].weighted_score
        points = price_score(lowest=lowest, price=price, weight=weight)
        others = [prices[o.pk] for o in compliant if o.pk != bid.pk]
        rows.append((bid, price, quality, points, is_abnormally_low(price=price, others=others, percent=percent)))
    rows.sort(key=lambda r: (-(r[2] + r[3]), r[1], r[0].submitted_at, r[0].pk))
    BidResult.objects.filter(evaluation=evaluation_row).delete()
    results = []
    for rank, (bid, price, quality, points, low) in enumerate(rows, start=1):
        result = BidResult(
            evaluation=evaluation_row,
            bid=bid,
            price=price,
            price_score=points,
            quality_score=quality,
            total_score=quality + points,
            rank=rank,
            abnormally_low=low,
        )
        save_with_history(result, actor=actor, reason=f"Ranked {rank}")
        results.append(result)
    evaluation_row.status = TenderEvaluation.Status.RANKED
    evaluation_row.abnormally_low_percent = percent
    evaluation_row.ranked_at = timezone.now()
    save_with_history(evaluation_row, actor=actor, reason=f"{len(results)} bids ranked")
    return results


@transaction.atomic
def abnormally_low_scrutiny_record(*, actor, result: BidResult, note: str) -> BidResult:
    """Record the outcome of scrutinising an abnormally low price (the bidder's explanation and the officer's
    view): a flagged bid can be recommended only once this is recorded."""
    require(actor, "procurement.rank_bids", result.bid.tender)
    result = BidResult.objects.select_for_update().get(pk=result.pk)
    note = (note or "").strip()
    if not result.abnormally_low:
        raise ValidationError("This bid's price is not abnormally low; there is nothing to scrutinise")
    if not note:
        raise ValidationError({"note": "Enter the outcome of the scrutiny: the bidder's explanation and your view"})
    result.abnormally_low_note = note
    save_with_history(result, actor=actor, reason="Abnormally low price scrutinised")
    return result


@transaction.atomic
def award_recommend(*, actor, tender: Tender, bid: Bid, recommendation: str) -> TenderEvaluation:
    """Recommend the award to the PCC: normally the highest-ranked bid; another needs the reason in the
    recommendation. An abnormally low bid may be recommended only after its scrutiny is recorded."""
    require(actor, "procurement.recommend_award", tender)
    evaluation_row = _lock_evaluation(tender)
    if evaluation_row.status not in (TenderEvaluation.Status.RANKED, TenderEvaluation.Status.RECOMMENDED):
        raise ValidationError(f"Rank the bids of {tender} before recommending the award")
    result = BidResult.objects.filter(evaluation=evaluation_row, bid=bid).first()
    if result is None:
        raise ValidationError({"bid": "Choose one of the ranked bids"})
    recommendation = (recommendation or "").strip()
    if not recommendation:
        raise ValidationError({"recommendation": "Enter why this bid is the most advantageous tender"})
    if result.abnormally_low and not result.abnormally_low_note:
        raise ValidationError(
            {"bid": "This bid's price is abnormally low; record the outcome of its scrutiny before recommending it"}
        )
    evaluation_row.recommended_bid = bid
    evaluation_row.recommendation = recommendation
    evaluation_row.recommended_by = actor
    evaluation_row.recommended_at = timezone.now()
    evaluation_row.status = TenderEvaluation.Status.RECOMMENDED
    save_with_history(evaluation_row, actor=actor, reason=f"Award recommended: rank {result.rank}")
    return evaluation_row
