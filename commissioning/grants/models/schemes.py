from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from commissioning.core.models import one_of
from commissioning.core.money import MONEY


class GrantScheme(models.Model):
    """A grant scheme, e.g. Dorset's Community Grant Scheme: £100 to £3,000 for voluntary and community groups
    meeting at least one plan priority, paid from the Police Property Act fund (seed, Section 3)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField()
    min_award = models.DecimalField(**MONEY)
    max_award = models.DecimalField(**MONEY)
    fund = models.ForeignKey(
        "funds.Fund", on_delete=models.PROTECT, related_name="grant_schemes", help_text="The fund awards are paid from"
    )
    top_up_fund = models.ForeignKey(
        "funds.Fund", on_delete=models.PROTECT, null=True, blank=True, related_name="+", help_text="Optional PCC top-up"
    )
    who_can_apply = models.TextField(help_text="Shown to applicants before they start")
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_award__gt=0) & Q(max_award__gte=F("min_award")), name="scheme_award_limits_valid"
            ),
        ]

    def __str__(self):
        return self.name


class TermsVersion(models.Model):
    """The grant terms and conditions applicants accept; each round names the version in force."""

    scheme = models.ForeignKey(GrantScheme, on_delete=models.PROTECT, related_name="terms_versions")
    version = models.CharField(max_length=20)
    text = models.TextField()
    effective_from = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["scheme", "version"], name="terms_version_unique")]

    def __str__(self):
        return f"{self.scheme} terms {self.version}"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"  # open or upcoming, by its dates
    ASSESSING = "assessing", "Assessing"
    DECIDED = "decided", "Decided"


class GrantRound(models.Model):
    Status = RoundStatus

    scheme = models.ForeignKey(GrantScheme, on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(max_length=200)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    budget = models.DecimalField(**MONEY)
    fund = models.ForeignKey("funds.Fund", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey("funds.FinancialYear", on_delete=models.PROTECT, related_name="+")
    terms = models.ForeignKey(TermsVersion, on_delete=models.PROTECT, related_name="rounds")
    guidance = models.TextField(help_text="Shown to applicants")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    decision = models.ForeignKey(
        "strategy.DecisionRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The PCC's decision on the round, when made in one batch",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="round_closes_after_opening"),
            models.CheckConstraint(condition=Q(budget__gt=0), name="round_budget_positive"),
            one_of("status", RoundStatus, name="round_status_valid"),
        ]

    def __str__(self):
        return self.name


class EligibilityQuestion(models.Model):
    """A yes/no question asked before an application starts; the wrong answer stops it with a reason."""

    round = models.ForeignKey(GrantRound, on_delete=models.CASCADE, related_name="eligibility_questions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    hint = models.CharField(max_length=300, blank=True)
    required_answer = models.BooleanField(default=True)
    ineligible_message = models.CharField(max_length=300)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "order", "id"]

    def __str__(self):
        return self.text


class AssessmentCriterion(models.Model):
    """A criterion scored 0 to 5 against written descriptors; a round's weights add up to 100%."""

    round = models.ForeignKey(GrantRound, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    weight = models.DecimalField(max_digits=5, decimal_places=2, help_text="Percentage of the total score")
    # Six descriptors, for scores 0 to 5, e.g. ["No answer", "Poor", ..., "Excellent"].
    descriptors = models.JSONField(default=list)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=100), name="criterion_weight_range")
        ]

    def __str__(self):
        return self.name
