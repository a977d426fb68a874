from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.accounts.roles import STRATEGY_SIGNATORIES
from commissioning.core.models import one_of

SIGNATORY_CHOICES = [(r.value, r.label) for r in STRATEGY_SIGNATORIES]
SIGNATORY_VALUES = [r.value for r in STRATEGY_SIGNATORIES]


class PoliceCrimePlan(models.Model):
    """The Police and Crime Plan the strategy serves (seed, Introduction: "four pillars")."""

    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    is_current = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="plan_one_current"),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="plan_ends_after_start"),
        ]

    def __str__(self):
        return self.title


class Pillar(models.Model):
    plan = models.ForeignKey(PoliceCrimePlan, on_delete=models.CASCADE, related_name="pillars")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="pillar_number_unique_in_plan")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Priority(models.Model):
    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="priorities")
    code = models.CharField(max_length=10, help_text="For example 1.2")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    panel_area = models.ForeignKey(
        "PanelArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="priorities",
        verbose_name="Police and Crime Panel area",
        help_text="The Panel area a service made for this priority reports under, unless it names its own "
        "(grant-made services take it from their first priority)",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pillar__plan", "pillar__number", "code"]
        verbose_name_plural = "priorities"
        constraints = [models.UniqueConstraint(fields=["pillar", "code"], name="priority_code_unique_in_pillar")]

    def __str__(self):
        return f"{self.code} {self.title}"


class CommissioningObjective(models.Model):
    """The six commissioning objectives (seed, Section 2)."""

    number = models.PositiveSmallIntegerField(unique=True, validators=[MinValueValidator(1)])
    title = models.CharField(max_length=200)
    description = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.title}"


class PanelArea(models.Model):
    """The seven areas KPIs are collated into for the Police and Crime Panel (seed, Section 4)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class StrategyDocument(models.Model):
    """A commissioning strategy, such as "Commissioning Strategy 2017–2021", kept as numbered versions."""

    title = models.CharField(max_length=200, unique=True)
    period_start = models.DateField()
    period_end = models.DateField()
    review_interval_months = models.PositiveSmallIntegerField(
        default=12, help_text="The seed requires an annual review (Section 6)"
    )
    plan = models.ForeignKey(PoliceCrimePlan, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")), name="strategy_period_ends_after_start"
            )
        ]

    def __str__(self):
        return self.title


class SignOffStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING = "awaiting_sign_off", "Awaiting sign-off"
    SIGNED = "signed", "Signed off and in force"
    SUPERSEDED = "superseded", "Superseded"


class StrategyVersion(models.Model):
    document = models.ForeignKey(StrategyDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    summary = models.CharField("Summary of changes", max_length=300)
    body = models.TextField("Strategy text")
    status = models.CharField(max_length=20, choices=SignOffStatus.choices, default=SignOffStatus.DRAFT)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    quality_assured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    in_force_from = models.DateTimeField(null=True, blank=True)
    review_due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="strategy_version_number_unique"),
            models.UniqueConstraint(
                fields=["document"], condition=Q(status="signed"), name="strategy_one_version_in_force"
            ),
            # One version at a time is in draft or out for sign-off, so versions come into force in order.
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status__in=["draft", "awaiting_sign_off"]),
                name="strategy_one_version_in_progress",
                violation_error_message="This strategy already has a version in draft or awaiting sign-off",
            ),
            models.CheckConstraint(condition=Q(status__in=SignOffStatus.values), name="strategy_version_status_valid"),
        ]

    def __str__(self):
        return f"{self.document} version {self.number}"


class VersionSignature(models.Model):
    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField(max_length=32, choices=SIGNATORY_CHOICES)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)
    comment = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["version", "role"], name="version_signed_once_per_role"),
            models.CheckConstraint(condition=Q(role__in=SIGNATORY_VALUES), name="version_signature_role_valid"),
        ]

    def __str__(self):
        return f"{self.version} signed as {self.get_role_display()}"


class VariationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING = "awaiting_sign_off", "Shared for sign-off"
    IN_EFFECT = "in_effect", "In effect"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Variation(models.Model):
    """A variation to a signed version.

    It takes effect when the PCC and one other signatory sign it (seed, Section 6).
    """

    Status = VariationStatus

    version = models.ForeignKey(StrategyVersion, on_delete=models.CASCADE, related_name="variations")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    reason = models.TextField("Why the variation is needed")
    change = models.TextField("What changes")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(null=True, blank=True)
    effective_from = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField("Why the variation was withdrawn", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="variation_number_unique"),
            one_of("status", VariationStatus, name="variation_status_valid"),
        ]

    def __str__(self):
        return f"Variation {self.number}: {self.title}"


class VariationSignature(models.Model):
    variation = models.ForeignKey(Variation, on_delete=models.CASCADE, related_name="signatures")
    role = models.CharField(max_length=32, choices=SIGNATORY_CHOICES)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)
    comment = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["variation", "role"], name="variation_signed_once_per_role"),
            models.CheckConstraint(condition=Q(role__in=SIGNATORY_VALUES), name="variation_signature_role_valid"),
        ]

    def __str__(self):
        return f"{self.variation} signed as {self.get_role_display()}"


class LegalBasis(models.TextChoices):
    PRSRA_2011_S9 = "prsra_2011_s9", "Police Reform and Social Responsibility Act 2011, section 9"
    ASBCPA_2014_S143 = "asbcpa_2014_s143", "Anti-social Behaviour, Crime and Policing Act 2014, section 143"
    PCR_2015 = "pcr_2015", "Public Contracts Regulations 2015"
    PA_2023 = "pa_2023", "Procurement Act 2023"
    OTHER = "other", "Other (described in the decision)"


class DecisionRecord(models.Model):
    """A numbered PCC decision, such as 2026/014 (DOMAIN.md, "Governance")."""

    number = models.CharField(max_length=12, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)
    subject = models.CharField(max_length=250)
    legal_basis = models.CharField(max_length=20, choices=LegalBasis.choices)
    decision = models.TextField()
    reasons = models.TextField("Reasons for the decision")
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    publishable = models.BooleanField(default=True)
    not_publishable_reason = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="decision_sequence_unique_in_year"),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="decision_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(publishable=True) | ~Q(not_publishable_reason=""),
                name="decision_unpublished_needs_reason",
            ),
        ]

    def __str__(self):
        return f"Decision {self.number}: {self.subject}"

    def clean(self):
        # The same rule as the constraint below, named against the field so the form can show it.
        if not self.publishable and not self.not_publishable_reason.strip():
            raise ValidationError({"not_publishable_reason": "Enter why the decision is not to be published"})
