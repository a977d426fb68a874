from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.core.money import MONEY


class Approach(models.Model):
    """An approach for funding with a business case, logged by any staff member; it goes to the Commissioning
    Manager, who closes it with a reason or invites a Proposal Form (seed, Section 3, "One-Off Grant Making")."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        CLOSED = "closed", "Closed"
        INVITED = "invited", "Proposal form invited"
        PROPOSAL_RECEIVED = "proposal_received", "Proposal received"
        ASSESSED = "assessed", "Assessed and recommended"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Not approved"

    reference = models.CharField(max_length=20, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="approaches")
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    summary = models.CharField("What they are asking for", max_length=300)
    business_case = models.TextField()
    amount_sought = models.DecimalField(**MONEY, null=True, blank=True)
    received_on = models.DateField()
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    triage_note = models.TextField(blank=True, help_text="Why it was closed, or what the proposal should cover")
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.ForeignKey(
        "strategy.DecisionRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreement = models.OneToOneField(
        "agreements.Agreement", on_delete=models.PROTECT, null=True, blank=True, related_name="approach"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(triage_note=""), name="closed_approach_needs_reason"
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.summary}"


class ProposalForm(models.Model):
    """The organisation's Proposal Form: the service, its cost to the PCC and the outcomes it will deliver."""

    approach = models.OneToOneField(Approach, on_delete=models.CASCADE, related_name="proposal")
    service_name = models.CharField(max_length=200)
    service_description = models.TextField()
    who_it_is_for = models.TextField()
    cost_to_pcc = models.DecimalField("Cost to the PCC", **MONEY)
    total_cost = models.DecimalField(**MONEY, null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    outcomes = models.TextField()
    kpis = models.TextField("How success will be measured (KPIs)")
    partners = models.TextField("Partners involved", blank=True)
    priorities = models.ManyToManyField("strategy.Priority", related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[priorities])

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(cost_to_pcc__gt=0), name="proposal_cost_positive"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="proposal_ends_after_start"),
        ]

    def __str__(self):
        return self.service_name


class ProposalAssessment(models.Model):
    """The Commissioning Manager's structured assessment and recommendation to the PCC and SMT."""

    class Recommendation(models.TextChoices):
        FUND = "fund", "Fund"
        FUND_WITH_CHANGES = "fund_with_changes", "Fund with changes"
        DO_NOT_FUND = "do_not_fund", "Do not fund"

    proposal = models.OneToOneField(ProposalForm, on_delete=models.CASCADE, related_name="assessment")
    fit_with_priorities = models.PositiveSmallIntegerField(help_text="0 to 5")
    evidence_of_need = models.PositiveSmallIntegerField(help_text="0 to 5")
    value_for_money = models.PositiveSmallIntegerField(help_text="0 to 5")
    deliverability = models.PositiveSmallIntegerField(help_text="0 to 5")
    risks = models.TextField()
    commentary = models.TextField()
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices)
    recommended_amount = models.DecimalField(**MONEY, null=True, blank=True)
    fund = models.ForeignKey("funds.Fund", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(fit_with_priorities__lte=5)
                & Q(evidence_of_need__lte=5)
                & Q(value_for_money__lte=5)
                & Q(deliverability__lte=5),
                name="proposal_scores_zero_to_five",
            ),
        ]

    def __str__(self):
        return f"Assessment of {self.proposal}"
