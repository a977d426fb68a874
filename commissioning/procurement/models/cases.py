"""A commissioning case: one identified need, carried from needs assessment to a signed contract.

This is the spine every part of priority commissioning hangs from (needs assessment, consultation, market
engagement, specification, route to market, tender, evaluation, award, contract). Parts add their own models
with a foreign key to the case; the case keeps only what the pipeline and the route calculation need.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.core.money import MONEY
from commissioning.procurement.models.config import Regime


class CaseStage(models.TextChoices):
    """Where a case stands in the seed's cycle (Analyse, Plan, Do, Review), in order."""

    NEEDS = "needs", "Needs assessment"
    CONSULTATION = "consultation", "Engagement and consultation"
    APPROVAL = "approval", "Approval to proceed"
    MARKET = "market", "Market analysis"
    SPECIFICATION = "specification", "Specification"
    ROUTE = "route", "Route to market"
    TENDER = "tender", "Quotes or tender"
    EVALUATION = "evaluation", "Evaluation"
    AWARD = "award", "Award decision"
    STANDSTILL = "standstill", "Standstill"
    CONTRACTED = "contracted", "Contract in place"
    CLOSED = "closed", "Closed without a contract"


class ProcurementRoute(models.TextChoices):
    """How the OPCC buys: worked out from value, date and category (issue 10, point 4)."""

    QUOTES = "quotes", "Written quotes"
    OPEN = "open", "Open tender"
    COMPETITIVE_FLEXIBLE = "competitive_flexible", "Competitive flexible procedure"
    DIRECT_AWARD = "direct_award", "Direct award (exemption)"


class Responsibility(models.TextChoices):
    """Whose responsibility the need is (review of priorities; seed, Section 2)."""

    OPCC = "opcc", "The OPCC commissions it"
    PARTNER = "partner", "A partner's responsibility"
    CO_COMMISSIONING = "co_commissioning", "Co-commissioning with partners"
    NON_FINANCIAL = "non_financial", "Non-financial commissioning (influence, boards)"


class CommissioningCase(models.Model):
    reference = models.CharField(max_length=20, unique=True, editable=False)
    title = models.CharField(max_length=200)
    need_summary = models.TextField(help_text="The need in a few sentences")
    stage = models.CharField(max_length=16, choices=CaseStage.choices, default=CaseStage.NEEDS)
    estimated_value = models.DecimalField(
        **MONEY, null=True, blank=True, help_text="Estimated whole-life value in pounds, including VAT"
    )
    contract_starts_on = models.DateField(null=True, blank=True, help_text="When the service should start")
    contract_months = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Length of the contract")
    procurement_starts_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the procurement begins (its first notice or invitation): this decides the law that applies",
    )
    light_touch = models.BooleanField(
        default=False, help_text="Light-touch services (such as victim support) have their own threshold"
    )
    regime = models.CharField(max_length=16, choices=Regime.choices, blank=True)
    route = models.CharField(max_length=24, choices=ProcurementRoute.choices, blank=True)
    fund = models.ForeignKey(
        "funds.Fund", on_delete=models.PROTECT, null=True, blank=True, related_name="commissioning_cases"
    )
    priorities = models.ManyToManyField("strategy.Priority", related_name="commissioning_cases", blank=True)
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Needs assessment (issue 10, point 1).
    problem = models.TextField(blank=True, help_text="The problem or gap the need comes from")
    evidence = models.TextField(blank=True, help_text="What shows the need: figures, reports, what people say")
    data_sources = models.TextField(blank=True, help_text="Where the evidence comes from")
    groups_affected = models.TextField(blank=True, help_text="Who is affected, and where")
    # Review of priorities.
    priority_fit = models.TextField(blank=True, help_text="How the need fits the Police and Crime Plan")
    responsibility = models.CharField(max_length=20, choices=Responsibility.choices, blank=True)
    responsibility_notes = models.TextField(blank=True)
    partner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The partner responsible or co-commissioning, if any",
    )
    # Recommendation and approval to proceed.
    recommendation = models.TextField(blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recommended_on = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)
    approved_as = models.CharField(max_length=30, blank=True, help_text="The role the profile named to approve")
    approval_note = models.TextField(blank=True)
    approval_decision = models.ForeignKey(
        "strategy.DecisionRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Market analysis.
    market_summary = models.TextField(blank=True, help_text="What the market analysis found, in short")

    history = HistoricalRecords(m2m_fields=[priorities])

    class Meta:
        ordering = ["-created_at", "reference"]
        constraints = [
            models.CheckConstraint(condition=Q(stage__in=CaseStage.values), name="case_stage_valid"),
            models.CheckConstraint(condition=Q(regime="") | Q(regime__in=Regime.values), name="case_regime_valid"),
            models.CheckConstraint(
                condition=Q(route="") | Q(route__in=ProcurementRoute.values), name="case_route_valid"
            ),
            models.CheckConstraint(
                condition=Q(estimated_value__isnull=True) | Q(estimated_value__gt=0),
                name="case_value_positive",
            ),
            models.CheckConstraint(
                condition=Q(responsibility="") | Q(responsibility__in=Responsibility.values),
                name="case_responsibility_valid",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | Q(approved_on__isnull=False),
                name="case_approval_dated",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    @property
    def needs_assessed(self) -> bool:
        return bool(self.problem.strip() and self.evidence.strip() and self.groups_affected.strip())

    @property
    def approved_to_proceed(self) -> bool:
        return self.approved_by_id is not None
