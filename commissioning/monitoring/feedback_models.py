"""Monitoring records beyond the figures (issue 11, points 1 and 3):

- FunderKpi: a measure a funder requires of the services its funding stream pays for (the Ministry of Justice's
  victims supported and coping-and-recovery outcomes), from a date; services funded from the stream's funds get
  it as a ServiceKpi (funder_kpis.py).
- ReturnNarrative: the provider's account of a return's period, one per return, changed until it is accepted.
- CaseStudy: a person's story told with a return; it may be marked as consented for publication, and only those
  reach the Police and Crime Panel report.
- FeedbackRecord: what partners and service users said about a service (who, when, a summary and a rating).

Imported by models.py, so Django registers them with the monitoring app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.core.models import one_of


class FunderKpi(models.Model):
    """A KPI definition a funding stream's funder requires, with how often and from when (dated configuration,
    loaded from the profile's funding_streams[].required_kpis)."""

    stream = models.ForeignKey("funds.FundingStream", on_delete=models.CASCADE, related_name="required_kpis")
    definition = models.ForeignKey("monitoring.KpiDefinition", on_delete=models.PROTECT, related_name="required_by")
    frequency = models.CharField(max_length=12, default="quarterly")
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["stream", "definition__order", "effective_from"]
        verbose_name = "funder-required KPI"
        constraints = [
            models.UniqueConstraint(fields=["stream", "definition", "effective_from"], name="funder_kpi_once"),
            models.CheckConstraint(
                condition=Q(frequency__in=["monthly", "quarterly", "half_yearly", "yearly"]),
                name="funder_kpi_frequency_valid",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="funder_kpi_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.definition} for {self.stream}"


class ReturnNarrative(models.Model):
    """The provider's narrative for one return: what went well, what did not, and why the figures are as they are."""

    kpi_return = models.OneToOneField("monitoring.KpiReturn", on_delete=models.CASCADE, related_name="narrative")
    achievements = models.TextField("What went well")
    challenges = models.TextField("What was difficult", blank=True)
    next_period = models.TextField("Plans for the next period", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    history = HistoricalRecords()

    def __str__(self):
        return f"Narrative for {self.kpi_return}"


class CaseStudy(models.Model):
    """One person's story told with a return, anonymised. Only consented ones may be published (the Panel
    report uses those)."""

    kpi_return = models.ForeignKey("monitoring.KpiReturn", on_delete=models.CASCADE, related_name="case_studies")
    title = models.CharField(max_length=200)
    story = models.TextField(help_text="What happened, with no name or detail that could identify the person")
    outcome = models.TextField("What changed for the person", blank=True)
    consented_for_publication = models.BooleanField(
        "The person agreed to its publication",
        default=False,
        help_text="Only case studies the person agreed to publish appear in the Police and Crime Panel report",
    )
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi_return", "written_at", "pk"]
        verbose_name_plural = "case studies"

    def __str__(self):
        return self.title


class FeedbackSource(models.TextChoices):
    PARTNER = "partner", "A partner's view"
    SURVEY = "survey", "Service-user survey"
    SERVICE_USER = "service_user", "A service user's comment"
    COMPLAINT = "complaint", "Complaint"
    OTHER = "other", "Other feedback"


class FeedbackRecord(models.Model):
    """What someone said about a service's performance: a partner's view, a survey of service users, a comment or
    a complaint, recorded by an OPCC officer."""

    Source = FeedbackSource

    service = models.ForeignKey("agreements.Service", on_delete=models.CASCADE, related_name="feedback")
    source = models.CharField(max_length=16, choices=Source.choices)
    given_by = models.CharField(
        "Who gave it", max_length=200, help_text="An organisation or a role, like Victim Care Unit or 12 survey replies"
    )
    received_on = models.DateField("When it was given")
    summary = models.TextField()
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="From 1 (very poor) to 5 (very good); blank if none was given"
    )
    respondents = models.PositiveIntegerField(null=True, blank=True, help_text="For a survey, how many replied")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["service", "-received_on", "-pk"]
        verbose_name = "feedback record"
        constraints = [
            one_of("source", FeedbackSource, name="feedback_source_valid"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()} from {self.given_by}"

    @property
    def rating_label(self) -> str:
        return RATINGS.get(self.rating, "")


RATINGS = {1: "Very poor", 2: "Poor", 3: "Fair", 4: "Good", 5: "Very good"}
