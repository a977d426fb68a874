"""The route to market of a commissioning case, worked out from its value, start date and category (issue 10,
point 4), the route the officer chose (never looser than the one required), and exemptions from the standing
orders (direct award with its legal justification), approved by the role the profile names."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.core.models import one_of
from commissioning.procurement.models.config import Regime


class RouteAssessment(models.Model):
    """What the standing orders and the law require of a case, as worked out on a date, and the route chosen.

    Worked out again whenever the value, date or category changes; the history keeps the earlier ones."""

    case = models.OneToOneField("procurement.CommissioningCase", on_delete=models.CASCADE, related_name="route_plan")
    # What it was worked out from.
    value = models.DecimalField(max_digits=14, decimal_places=2)
    starts_on = models.DateField()
    light_touch = models.BooleanField(default=False)
    # What was worked out.
    regime = models.CharField(max_length=16, choices=Regime.choices)
    tier = models.ForeignKey("procurement.StandingOrderTier", on_delete=models.PROTECT, related_name="+")
    threshold = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    above_threshold = models.BooleanField(default=False)
    required_route = models.CharField(max_length=24)
    quotes_required = models.PositiveSmallIntegerField(default=1)
    procedures = models.JSONField(default=list, blank=True)
    standstill = models.CharField(max_length=60, blank=True)
    worked_out_on = models.DateField()
    # What the officer chose.
    chosen_route = models.CharField(max_length=24, blank=True)
    chosen_quotes = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why a stricter route than required, if it is")
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chosen_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="route_assessment_value_positive"),
            one_of("regime", Regime, name="route_assessment_regime_valid"),
        ]

    def __str__(self):
        return f"Route for {self.case_id}"


class ExemptionGround(models.TextChoices):
    """Legal justifications for a direct award (Procurement Act 2023, Schedule 5; PCR 2015, regulation 32) or a
    waiver of the OPCC's standing orders below the thresholds."""

    URGENCY = "urgency", "Extreme and unavoidable urgency"
    SINGLE_SUPPLIER = "single_supplier", "Only one supplier can do it (technical reasons or exclusive rights)"
    USER_CHOICE = "user_choice", "User choice: the service users' preferences decide the supplier"
    REPEAT = "repeat", "Additional or repeat work from the current supplier"
    PROTECTION_OF_LIFE = "protection_of_life", "Protection of life, health or public order"
    STANDING_ORDERS_WAIVER = "standing_orders_waiver", "Waiver of the standing orders (below the thresholds)"


class ExemptionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class Exemption(models.Model):
    """A request to award directly, without the route the standing orders require, and its approval."""

    Ground = ExemptionGround
    Status = ExemptionStatus

    case = models.ForeignKey("procurement.CommissioningCase", on_delete=models.CASCADE, related_name="exemptions")
    ground = models.CharField(max_length=24, choices=ExemptionGround.choices)
    justification = models.TextField(help_text="The facts that meet the ground, and the legal provision relied on")
    supplier = models.CharField(max_length=200, help_text="The supplier to be awarded the contract")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField()
    status = models.CharField(max_length=10, choices=ExemptionStatus.choices, default=ExemptionStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_as = models.CharField(max_length=30, blank=True, help_text="The role the profile named to approve")
    decided_on = models.DateField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "-requested_on", "-pk"]
        constraints = [
            one_of("ground", ExemptionGround, name="exemption_ground_valid"),
            one_of("status", ExemptionStatus, name="exemption_status_valid"),
            models.CheckConstraint(
                condition=Q(status="pending") | (Q(decided_by__isnull=False) & Q(decided_on__isnull=False)),
                name="exemption_decided_has_decider",
            ),
            models.CheckConstraint(
                condition=~Q(decided_by=models.F("requested_by")), name="exemption_not_approved_by_requester"
            ),
        ]

    def __str__(self):
        return f"Exemption: {self.get_ground_display()}"
