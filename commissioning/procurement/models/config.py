"""Procurement configuration: legal thresholds and local standing-order tiers, each with an effective date.

Later issues add needs assessments, specifications, tenders, bids, evaluation and award to this app.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Regime(models.TextChoices):
    """The procurement law a procurement runs under (DOMAIN.md, "Legal basis")."""

    PCR_2015 = "pcr_2015", "Public Contracts Regulations 2015"
    PA_2023 = "pa_2023", "Procurement Act 2023"


# The tender procedures a standing-order tier may allow (values of cases.ProcurementRoute).
TENDER_PROCEDURES = ("open", "competitive_flexible")


class ThresholdCategory(models.TextChoices):
    SUB_CENTRAL_GOODS_SERVICES = "sub_central_goods_services", "Sub-central authority: goods and services"
    LIGHT_TOUCH = "light_touch", "Light-touch services"
    WORKS = "works", "Works"
    BELOW_THRESHOLD_PUBLICATION = "below_threshold_publication", "Below-threshold contract: must be published"


class ProcurementThreshold(models.Model):
    """A value (including VAT) at or above which a rule of the regime applies, in force from a date."""

    regime = models.CharField(max_length=16, choices=Regime.choices)
    category = models.CharField(max_length=40, choices=ThresholdCategory.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2, help_text="In pounds, including VAT")
    effective_from = models.DateField()
    source = models.CharField(max_length=300, blank=True, help_text="Where the figure comes from")

    history = HistoricalRecords()

    class Meta:
        ordering = ["regime", "category", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["regime", "category", "effective_from"], name="procurement_threshold_once_per_date"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="procurement_threshold_amount_positive"),
            models.CheckConstraint(condition=Q(regime__in=Regime.values), name="procurement_threshold_regime_valid"),
            models.CheckConstraint(
                condition=Q(category__in=ThresholdCategory.values),
                name="procurement_threshold_category_valid",
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_regime_display()}, {self.get_category_display()}: "
            f"£{self.amount:,.2f} from {self.effective_from:%d %B %Y}"
        )


class StandingOrderTier(models.Model):
    """A band of the OPCC's contract standing orders: from min_value (inclusive) up to max_value (exclusive).

    The tiers sharing one effective date form one set; a set with a later date replaces the whole earlier set.
    """

    name = models.CharField(max_length=100)
    min_value = models.DecimalField(max_digits=14, decimal_places=2, help_text="From this value (inclusive)")
    max_value = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Up to this value (not included); leave empty for the top tier",
    )
    route = models.TextField(help_text="How to buy in this band, in words, e.g. three written quotes")
    # The route as structured data (issue 10, point 4): what the officer must at least do in this band.
    quotes_required = models.PositiveSmallIntegerField(
        default=1, help_text="How many written quotes at least (1 means one price)"
    )
    tender_required = models.BooleanField(default=False, help_text="A tender is needed: quotes are not enough")
    procedures = models.JSONField(
        default=list,
        blank=True,
        help_text='For a tender, the procedures allowed, e.g. ["open", "competitive_flexible"]',
    )
    effective_from = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_from", "min_value"]
        constraints = [
            models.UniqueConstraint(fields=["min_value", "effective_from"], name="standing_order_tier_once_per_date"),
            models.CheckConstraint(condition=Q(min_value__gte=0), name="standing_order_tier_min_not_negative"),
            models.CheckConstraint(condition=Q(quotes_required__gte=1), name="standing_order_tier_quotes_at_least_one"),
            models.CheckConstraint(
                condition=Q(max_value__isnull=True) | Q(max_value__gt=models.F("min_value")),
                name="standing_order_tier_max_above_min",
                violation_error_message="The upper value must be more than the lower value",
            ),
        ]

    def __str__(self):
        upper = f"under £{self.max_value:,.2f}" if self.max_value is not None else "and over"
        return f"{self.name}: £{self.min_value:,.2f} {upper}"

    def clean(self):
        allowed = set(TENDER_PROCEDURES)
        procedures = self.procedures if isinstance(self.procedures, list) else None
        if procedures is None or any(p not in allowed for p in procedures) or len(set(procedures)) != len(procedures):
            raise ValidationError({"procedures": f"List procedures once each, from: {', '.join(TENDER_PROCEDURES)}"})
        if self.tender_required and not procedures:
            raise ValidationError({"procedures": "A tier that needs a tender must allow at least one procedure"})
        if not self.tender_required and procedures:
            raise ValidationError({"procedures": "Only a tier that needs a tender lists procedures"})


class ApprovalAction(models.TextChoices):
    """Decisions in a commissioning case whose approver the OPCC names in its profile."""

    PROCEED = "proceed", "Approval to proceed (after the needs assessment)"
    SPECIFICATION = "specification", "Approval of the specification"
    EXEMPTION = "exemption", "Approval of an exemption from the standing orders (direct award)"


class ApprovalRole(models.Model):
    """Who approves a step of a commissioning case, from a date (profile section procurement_approvals)."""

    action = models.CharField(max_length=16, choices=ApprovalAction.choices)
    role = models.CharField(max_length=30, help_text="A role code, e.g. pcc or cfo")
    effective_from = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["action", "effective_from"], name="approval_role_once_per_date"),
            models.CheckConstraint(condition=Q(action__in=ApprovalAction.values), name="approval_role_action_valid"),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.role} from {self.effective_from:%d %B %Y}"
