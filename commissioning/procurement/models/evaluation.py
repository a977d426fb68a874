"""Tender evaluation (issue 10, point 7): the shared evaluation mechanics (commissioning.evaluation, ADR 0015)
applied to opened bids, then price scored by formula, abnormally low bids flagged, the bids ranked and an award
recommended to the PCC.

Each evaluator is assigned to each bid (a conflict of interest is with a supplier, so it is declared bid by bid),
scores the bid's quality and social-value answers, and a moderation meeting agrees each bid's scores. Price is not
scored by evaluators: lowest compliant price ÷ this bid's price × the price weight.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.core.models import one_of
from commissioning.core.money import MONEY
from commissioning.evaluation import models as evaluation


class BidAssignment(evaluation.Assignment):
    """An evaluator assigned to one opened bid: they declare interests before they may read it."""

    SUBJECT = "bid"

    bid = models.ForeignKey("procurement.Bid", on_delete=models.CASCADE, related_name="assignments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bid_assignments")

    class Meta:
        ordering = ["bid", "assessor__display_name"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "assessor"], name="bid_assessor_once"),
            evaluation.conflict_needs_details("bid_conflict_needs_details"),
        ]


class BidScore(evaluation.CriterionScore):
    assignment = models.ForeignKey(BidAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("procurement.AwardCriterion", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["assignment", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="bid_score_once_per_criterion"),
            evaluation.score_in_range("bid_score_zero_to_five"),
        ]


class BidModeration(evaluation.Moderation):
    """The moderation meeting's consensus on one bid's quality and social-value criteria; `weighted_score` is out of
    the weight those criteria carry (100 less the price weight)."""

    SUBJECT = "bid"

    bid = models.OneToOneField("procurement.Bid", on_delete=models.CASCADE, related_name="moderation")


class BidModeratedScore(evaluation.ModeratedScore):
    moderation = models.ForeignKey(BidModeration, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("procurement.AwardCriterion", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["moderation", "criterion"], name="bid_moderated_score_once"),
            evaluation.score_in_range("bid_moderated_score_zero_to_five"),
        ]


class AbnormallyLowRule(models.Model):
    """When a bid's price counts as abnormally low and must be scrutinised before award: below `percent_of_mean`
    per cent of the mean price of the other compliant bids. Dated configuration from the OPCC's profile."""

    percent_of_mean = models.DecimalField(max_digits=5, decimal_places=2)
    effective_from = models.DateField(unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_of_mean__gt=0) & Q(percent_of_mean__lt=100), name="abnormally_low_percent_range"
            )
        ]

    def __str__(self):
        return f"Below {self.percent_of_mean.normalize():f}% of the mean of the other bids, from {self.effective_from}"


class EvaluationStatus(models.TextChoices):
    SCORING = "scoring", "Being evaluated"
    RANKED = "ranked", "Scored and ranked"
    RECOMMENDED = "recommended", "Award recommended"
    DECIDED = "decided", "Award decided"


class TenderEvaluation(models.Model):
    """The evaluation of one opened tender: its ranked result and the award recommendation to the PCC."""

    Status = EvaluationStatus

    tender = models.OneToOneField("procurement.Tender", on_delete=models.PROTECT, related_name="evaluation")
    status = models.CharField(max_length=16, choices=EvaluationStatus.choices, default=EvaluationStatus.SCORING)
    abnormally_low_percent = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="The rule in force when the bids were ranked"
    )
    ranked_at = models.DateTimeField(null=True, blank=True)
    recommended_bid = models.ForeignKey(
        "procurement.Bid", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recommendation = models.TextField(blank=True, help_text="Why this bid is the most advantageous tender")
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recommended_at = models.DateTimeField(null=True, blank=True)
    decision = models.ForeignKey(
        "strategy.DecisionRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            one_of("status", EvaluationStatus, name="tender_evaluation_status_valid"),
            models.CheckConstraint(
                condition=Q(recommended_bid__isnull=True) | ~Q(recommendation=""),
                name="tender_evaluation_recommendation_has_reason",
            ),
        ]

    def __str__(self):
        return f"Evaluation of {self.tender}"


class BidResult(models.Model):
    """A bid's place in the ranking: its price score by formula, its moderated quality score, the total and rank,
    and whether its price is abnormally low (flagged for scrutiny, never excluded automatically)."""

    evaluation = models.ForeignKey(TenderEvaluation, on_delete=models.CASCADE, related_name="results")
    bid = models.OneToOneField("procurement.Bid", on_delete=models.CASCADE, related_name="result")
    price = models.DecimalField(**MONEY)
    compliant = models.BooleanField(default=True)
    price_score = models.DecimalField(max_digits=6, decimal_places=2)
    quality_score = models.DecimalField(max_digits=6, decimal_places=2)
    total_score = models.DecimalField(max_digits=6, decimal_places=2)
    rank = models.PositiveSmallIntegerField()
    abnormally_low = models.BooleanField(default=False)
    abnormally_low_note = models.TextField(blank=True, help_text="The outcome of the scrutiny of a low price")

    history = HistoricalRecords()

    class Meta:
        ordering = ["evaluation", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "rank"], name="bid_result_rank_once"),
            models.CheckConstraint(condition=Q(total_score__lte=100), name="bid_result_total_at_most_100"),
        ]

    def __str__(self):
        return f"Rank {self.rank}: bid {self.bid_id}"
