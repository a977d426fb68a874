from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.core.money import MONEY


class InnovationWeights(models.Model):
    """Weights of the three Local Innovation Fund factors (seed, Section 3), configuration with a start date."""

    effective_from = models.DateField(unique=True)
    likelihood_weight = models.DecimalField("Likelihood of successful delivery", max_digits=5, decimal_places=2)
    priority_weight = models.DecimalField("Priority basis", max_digits=5, decimal_places=2)
    need_weight = models.DecimalField("Assessment of need", max_digits=5, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_from"]
        verbose_name_plural = "innovation weights"
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood_weight__gte=0) & Q(priority_weight__gte=0) & Q(need_weight__gte=0),
                name="innovation_weights_not_negative",
            )
        ]

    def __str__(self):
        return f"Local Innovation Fund weights from {self.effective_from:%d %B %Y}"


class InnovationCandidate(models.Model):
    """A project put forward for the Local Innovation Fund, scored 0 to 5 on each factor."""

    title = models.CharField(max_length=200)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    description = models.TextField()
    anticipated_spend = models.DecimalField(**MONEY)
    likelihood_score = models.PositiveSmallIntegerField()
    priority_score = models.PositiveSmallIntegerField()
    need_score = models.PositiveSmallIntegerField()
    priorities = models.ManyToManyField("strategy.Priority", related_name="+")
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey("funds.FinancialYear", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[priorities])

    class Meta:
        ordering = ["year", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(anticipated_spend__gt=0), name="candidate_spend_positive"),
            models.CheckConstraint(
                condition=Q(likelihood_score__lte=5) & Q(priority_score__lte=5) & Q(need_score__lte=5),
                name="candidate_scores_zero_to_five",
            ),
        ]

    def __str__(self):
        return self.title


class Prioritisation(models.Model):
    """A ranked list of candidates for one year, with allowances allocated down the ranking until the fund is
    used; approved by the CFO or PCC."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"

    fund = models.ForeignKey("funds.Fund", on_delete=models.PROTECT, related_name="+")
    year = models.ForeignKey("funds.FinancialYear", on_delete=models.PROTECT, related_name="+")
    available = models.DecimalField(**MONEY, help_text="Money available to allocate")
    weights = models.ForeignKey(InnovationWeights, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year__start_year"]
        constraints = [models.UniqueConstraint(fields=["fund", "year"], name="prioritisation_once_per_fund_year")]

    def __str__(self):
        return f"Local Innovation Fund prioritisation {self.year}"


class PrioritisationEntry(models.Model):
    prioritisation = models.ForeignKey(Prioritisation, on_delete=models.CASCADE, related_name="entries")
    candidate = models.ForeignKey(InnovationCandidate, on_delete=models.PROTECT, related_name="+")
    weighted_score = models.DecimalField(max_digits=6, decimal_places=2)
    rank = models.PositiveSmallIntegerField()
    allowance = models.DecimalField(**MONEY, default=0)
    overridden = models.BooleanField(default=False)
    override_reason = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["prioritisation", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["prioritisation", "candidate"], name="entry_once_per_candidate"),
            models.CheckConstraint(
                condition=Q(overridden=False) | ~Q(override_reason=""), name="override_needs_reason"
            ),
            models.CheckConstraint(condition=Q(allowance__gte=0), name="allowance_not_negative"),
        ]

    def __str__(self):
        return f"{self.rank}. {self.candidate}"
