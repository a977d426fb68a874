"""The service specification of a commissioning case (issue 10, point 3): versioned, and approved by the role the
profile names. Its KPIs map field for field onto monitoring.ServiceKpi, to which the contract copies them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.core.models import one_of


class SpecificationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Replaced by a later version"


class Specification(models.Model):
    Status = SpecificationStatus

    case = models.ForeignKey("procurement.CommissioningCase", on_delete=models.CASCADE, related_name="specifications")
    version = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=12, choices=SpecificationStatus.choices, default=SpecificationStatus.DRAFT)
    timeliness = models.TextField(blank=True, help_text="How quickly people are seen, hours of service")
    standards = models.TextField(blank=True, help_text="Standards of delivery: accreditation, quality, safeguarding")
    delivery = models.TextField(blank=True, help_text="How the service is delivered, and where")
    recipients = models.TextField(blank=True, help_text="To whom: who is eligible and how they are referred")
    outcomes = models.TextField(blank=True, help_text="The outcomes the service must achieve")
    social_value = models.TextField(blank=True, help_text="The social value asked of the provider")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="specification_version_once"),
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="approved"), name="specification_one_approved_per_case"
            ),
            one_of("status", SpecificationStatus, name="specification_status_valid"),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(approved_by__isnull=False) & Q(approved_on__isnull=False)),
                name="specification_approved_has_approver",
            ),
        ]

    def __str__(self):
        return f"Specification version {self.version}"

    SECTIONS = ("timeliness", "standards", "delivery", "recipients", "outcomes", "social_value")

    @property
    def missing_sections(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name) for name in self.SECTIONS if not getattr(self, name).strip()
        ]


class KpiDirection(models.TextChoices):
    """The same values as monitoring.ServiceKpi.Direction."""

    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class KpiFrequency(models.TextChoices):
    """The same values as monitoring.ServiceKpi.Frequency."""

    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    HALF_YEARLY = "half_yearly", "Every six months"
    YEARLY = "yearly", "Yearly"


class SpecificationKpi(models.Model):
    """A KPI the specification asks for: a minimum-dataset definition, or the service's own measure with its
    name, unit, target and direction (the fields of monitoring.ServiceKpi)."""

    Direction = KpiDirection
    Frequency = KpiFrequency

    specification = models.ForeignKey(Specification, on_delete=models.CASCADE, related_name="kpis")
    definition = models.ForeignKey(
        "monitoring.KpiDefinition", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=60, default="people")
    target = models.PositiveIntegerField(null=True, blank=True, help_text="For each reporting period")
    direction = models.CharField(max_length=8, choices=KpiDirection.choices, default=KpiDirection.HIGHER)
    frequency = models.CharField(max_length=12, choices=KpiFrequency.choices, default=KpiFrequency.QUARTERLY)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["specification", "order", "pk"]
        verbose_name = "specification KPI"
        constraints = [
            models.UniqueConstraint(
                fields=["specification", "definition"],
                condition=Q(definition__isnull=False),
                name="specification_kpi_definition_once",
            ),
            models.CheckConstraint(
                condition=Q(definition__isnull=False) | ~Q(name=""), name="specification_kpi_own_measure_named"
            ),
            one_of("direction", KpiDirection, name="specification_kpi_direction_valid"),
            one_of("frequency", KpiFrequency, name="specification_kpi_frequency_valid"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.definition.name if self.definition_id and not self.name else self.name
