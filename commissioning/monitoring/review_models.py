"""Strategic review of agreements nearing their end, and Procurement Act 2023 contract management (issue 11,
points 4 and 6). Kept apart from models.py (KPIs and returns); models.py imports these so Django finds them.

A strategic review (seed, "the commissioning cycle": strategic review in the final 12 to 18 months → re-tender,
extend, redesign or end) is opened when an agreement enters the final months the OPCC's profile sets
(StrategicReviewRule, dated). Commissioning officers record its findings and a recommendation; the role the
profile names decides. The decision starts the next step: an extension through the agreements app's variation
service, the exit (agreements.AgreementExit), or, for a re-tender or a redesign, a new commissioning case that
procurement creates and links back through services.strategic_review_case_started (monitoring does not import
procurement, which stands above it).

A contract let under the Procurement Act 2023 worth more than the dated threshold (ContractManagementRule, £5m
from 24 February 2025) must have at least three KPIs, and is assessed at least once every twelve months on the
Act's four ratings (ContractAssessment), ready to publish.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.core.models import one_of
from commissioning.core.money import MONEY

DEFAULT_WINDOW_MONTHS = 18
DEFAULT_DECIDING_ROLE = "pcc"


class StrategicReviewRule(models.Model):
    """From a date: how many months before an agreement ends it is flagged for strategic review (12 to 18), and
    which role decides the review (profile key settings.strategic_review)."""

    effective_from = models.DateField(unique=True)
    window_months = models.PositiveSmallIntegerField(
        default=DEFAULT_WINDOW_MONTHS, help_text="Flag an agreement this many months before it ends (12 to 18)"
    )
    deciding_role = models.CharField(
        max_length=30, default=DEFAULT_DECIDING_ROLE, help_text="The role that decides a review, e.g. pcc"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = "strategic review rule"
        constraints = [
            models.CheckConstraint(
                condition=Q(window_months__gte=12, window_months__lte=18), name="review_window_12_to_18_months"
            )
        ]

    def __str__(self):
        return f"Review in the final {self.window_months} months, from {self.effective_from:%d %B %Y}"


class ContractManagementRule(models.Model):
    """From a date: contracts under the Procurement Act 2023 worth more than `value_threshold` need at least
    `minimum_kpis` KPIs and a yearly published performance assessment (Act, sections 52 and 71)."""

    effective_from = models.DateField(unique=True)
    value_threshold = models.DecimalField(**MONEY, help_text="Contracts worth more than this (including VAT)")
    minimum_kpis = models.PositiveSmallIntegerField(default=3)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = "contract management rule"
        constraints = [
            models.CheckConstraint(condition=Q(value_threshold__gt=0), name="contract_rule_threshold_positive"),
            models.CheckConstraint(condition=Q(minimum_kpis__gte=1), name="contract_rule_needs_a_kpi"),
        ]

    def __str__(self):
        return f"Contracts over £{self.value_threshold:,.0f} from {self.effective_from:%d %B %Y}"


class Recommendation(models.TextChoices):
    RETENDER = "retender", "Re-tender"
    EXTEND = "extend", "Extend"
    REDESIGN = "redesign", "Redesign"
    END = "end", "End"


class MetNeed(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class ValueForMoney(models.TextChoices):
    GOOD = "good", "Good"
    ADEQUATE = "adequate", "Adequate"
    POOR = "poor", "Poor"


class ReviewStatus(models.TextChoices):
    DUE = "due", "Due"
    IN_PROGRESS = "in_progress", "In progress"
    AWAITING_DECISION = "awaiting_decision", "Awaiting decision"
    DECIDED = "decided", "Decided"


class StrategicReview(models.Model):
    """The review of one agreement before the end date it had when the review opened (an extended agreement is
    reviewed again before its new end)."""

    Status = ReviewStatus
    Recommendation = Recommendation
    MetNeed = MetNeed
    ValueForMoney = ValueForMoney

    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.PROTECT, related_name="strategic_reviews")
    agreement_ends_on = models.DateField(help_text="The end date under review")
    due_on = models.DateField(help_text="The day the agreement entered its final months")
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DUE)

    outcomes = models.TextField("Outcomes against objectives", blank=True)
    met_need = models.CharField("Did it meet the need?", max_length=8, choices=MetNeed.choices, blank=True)
    need_notes = models.TextField("How it met the need", blank=True)
    lessons = models.TextField("Lessons learned", blank=True)
    value_for_money = models.CharField(max_length=10, choices=ValueForMoney.choices, blank=True)
    value_for_money_notes = models.TextField("Value for money: evidence", blank=True)
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    recommendation_reasons = models.TextField(blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recommended_at = models.DateTimeField(null=True, blank=True)

    decision = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    decision_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_record = models.ForeignKey(
        "strategy.DecisionRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The next step the decision started.
    extension_variation = models.ForeignKey(
        "agreements.AgreementVariation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case_reference = models.CharField(
        "Commissioning case", max_length=40, blank=True, help_text="The procurement case started from this review"
    )
    case_started_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement_ends_on", "pk"]
        verbose_name = "strategic review"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "agreement_ends_on"], name="strategic_review_once_per_end"),
            one_of("status", ReviewStatus, name="strategic_review_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="decided") | (~Q(decision="") & Q(decided_on__isnull=False)),
                name="strategic_review_decided_has_decision",
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=list(Recommendation.values)),
                name="strategic_review_decision_valid",
            ),
            models.CheckConstraint(
                condition=Q(recommendation="") | Q(recommendation__in=list(Recommendation.values)),
                name="strategic_review_recommendation_valid",
            ),
        ]

    def __str__(self):
        return f"Strategic review of {self.agreement.reference}"

    @property
    def needs_case(self) -> bool:
        return self.decision in (Recommendation.RETENDER, Recommendation.REDESIGN)


class Rating(models.TextChoices):
    """The Procurement Act 2023's ratings of a contract's performance against its KPIs."""

    GOOD = "good", "Good"
    APPROACHING = "approaching", "Approaching target"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


class ContractAssessment(models.Model):
    """A yearly assessment of a large contract's performance, with a narrative, ready to publish."""

    Rating = Rating

    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.PROTECT, related_name="assessments")
    period_starts_on = models.DateField()
    period_ends_on = models.DateField()
    rating = models.CharField(max_length=24, choices=Rating.choices)
    narrative = models.TextField()
    kpis_assessed = models.PositiveSmallIntegerField(help_text="KPIs in effect over the period")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField()
    published = models.BooleanField(default=False)
    published_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "-period_ends_on"]
        verbose_name = "contract performance assessment"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "period_ends_on"], name="assessment_once_per_period"),
            models.CheckConstraint(
                condition=Q(period_ends_on__gt=models.F("period_starts_on")), name="assessment_period_valid"
            ),
            one_of("rating", Rating, name="assessment_rating_valid"),
            models.CheckConstraint(
                condition=Q(published=False) | Q(published_on__isnull=False), name="assessment_published_dated"
            ),
        ]

    def __str__(self):
        return f"Assessment of {self.agreement.reference} to {self.period_ends_on:%d %B %Y}"
