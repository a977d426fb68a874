from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.core.money import MONEY


class Award(models.Model):
    """A grant awarded by the PCC's decision. Accepting the terms online turns it into an agreement in the
    services register with its commitment taken from the fund (issue 5, point 4)."""

    class Status(models.TextChoices):
        OFFERED = "offered", "Offered"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined by the applicant"
        COMPLETED = "completed", "Completed"
        REPAYMENT_REQUESTED = "repayment_requested", "Repayment requested"

    application = models.OneToOneField("grants.Application", on_delete=models.PROTECT, related_name="award")
    amount = models.DecimalField(**MONEY)
    purpose = models.TextField()
    conditions = models.TextField()
    repayment_conditions = models.TextField()
    decision = models.ForeignKey("strategy.DecisionRecord", on_delete=models.PROTECT, related_name="grant_awards")
    awarded_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OFFERED)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    agreement = models.OneToOneField(
        "agreements.Agreement", on_delete=models.PROTECT, null=True, blank=True, related_name="grant_award"
    )
    report_due_on = models.DateField(help_text="When the end-of-grant report is due")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-awarded_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="award_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(agreement__isnull=False), name="accepted_award_has_agreement"
            ),
        ]

    def __str__(self):
        return f"Award to {self.application.organisation} ({self.amount})"


class EndOfGrantReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        SUBMITTED = "submitted", "Submitted"
        SIGNED_OFF = "signed_off", "Signed off"
        RETURNED = "returned", "Returned for more information"

    award = models.OneToOneField(Award, on_delete=models.PROTECT, related_name="report")
    what_was_done = models.TextField(blank=True)
    spend_summary = models.TextField("Spend against the budget", blank=True)
    amount_spent = models.DecimalField(**MONEY, null=True, blank=True)
    beneficiaries = models.PositiveIntegerField(null=True, blank=True, help_text="People, not contacts")
    outcomes = models.TextField(blank=True)
    case_study = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    officer_note = models.TextField(blank=True)

    history = HistoricalRecords()

    def __str__(self):
        return f"End-of-grant report for {self.award.application}"
