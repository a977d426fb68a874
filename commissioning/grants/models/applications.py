from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.core.models import one_of
from commissioning.core.money import MONEY


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "In progress"
    SUBMITTED = "submitted", "Submitted"
    INELIGIBLE = "ineligible", "Not eligible"
    ELIGIBLE = "eligible", "Eligible"
    MODERATED = "moderated", "Scored"
    RECOMMENDED = "recommended", "Recommended"
    NOT_RECOMMENDED = "not_recommended", "Not recommended"
    AWARDED = "awarded", "Awarded"
    DECLINED = "declined", "Not funded"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Application(models.Model):
    """An application to a grant round, made by an applicant for their organisation."""

    Status = ApplicationStatus

    round = models.ForeignKey("grants.GrantRound", on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="grant_applications"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(
        max_length=30, unique=True, null=True, blank=True, help_text="Given on submission, e.g. CGS-2026-0007"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    eligibility_answers = models.JSONField(default=dict, blank=True)
    # The project
    project_title = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    priorities = models.ManyToManyField("strategy.Priority", related_name="grant_applications", blank=True)
    amount_requested = models.DecimalField(**MONEY, null=True, blank=True)
    beneficiaries_expected = models.PositiveIntegerField(null=True, blank=True)
    outcomes = models.TextField(blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    # Declaration and submission
    declaration_name = models.CharField(max_length=150, blank=True)
    declaration_role = models.CharField(max_length=150, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Officer's eligibility check
    eligibility_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    eligibility_note = models.TextField(blank=True)
    # Panel recommendation and decision
    recommended_amount = models.DecimalField(**MONEY, null=True, blank=True)
    recommendation_note = models.TextField(blank=True)
    decision = models.ForeignKey(
        "strategy.DecisionRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="grant_applications"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[priorities])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            one_of("status", ApplicationStatus, name="application_status_valid"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(reference__isnull=False), name="application_submitted_has_reference"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="application_ends_after_start",
            ),
            # One live application per organisation per round, even when two are started at the same moment;
            # a withdrawn one does not count, so the organisation may start again.
            models.UniqueConstraint(
                fields=["organisation", "round"],
                condition=~Q(status="withdrawn"),
                name="application_one_per_organisation_per_round",
            ),
        ]

    def __str__(self):
        return self.reference or f"Draft application {self.pk}"


class ApplicationBudgetLine(models.Model):
    """What the money is for; the lines must add up to the amount requested."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    order = models.PositiveSmallIntegerField(default=0)
    item = models.CharField(max_length=200)
    amount = models.DecimalField(**MONEY)

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "order", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="application_budget_line_positive")]

    def __str__(self):
        return f"{self.item}: {self.amount}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        CONSTITUTION = "constitution", "Constitution or governing document"
        ACCOUNTS = "accounts", "Latest accounts"
        SAFEGUARDING = "safeguarding", "Safeguarding policy"
        OTHER = "other", "Other supporting document"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    file = models.FileField(upload_to="applications/%Y/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "kind", "-uploaded_at"]

    def __str__(self):
        return self.original_name
