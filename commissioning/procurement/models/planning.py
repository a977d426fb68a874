"""Strategic planning of a commissioning case (issue 10, point 1): the review of current resources and the record of
engagement and consultation. The needs assessment, the review of priorities and the approval to proceed are fields
of the case itself (cases.py), so the case's activity log shows every change to them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.core.models import one_of


class ResourceReview(models.Model):
    """An existing service or resource that already addresses the need: its capacity and its outcomes."""

    case = models.ForeignKey("procurement.CommissioningCase", on_delete=models.CASCADE, related_name="resources")
    service = models.ForeignKey(
        "agreements.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="A service in the register, if it is one",
    )
    description = models.CharField(
        max_length=200, blank=True, help_text="Another resource, when it is not in the register (e.g. a partner's)"
    )
    capacity = models.TextField(help_text="How many people it can help, waiting times, where it runs")
    outcomes = models.TextField(help_text="What it achieves, from its monitoring returns or reviews")
    gaps = models.TextField(blank=True, help_text="What it does not cover")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False) | ~Q(description=""), name="resource_review_names_what"
            )
        ]

    def __str__(self):
        return self.service.name if self.service_id else self.description


class EngagementMethod(models.TextChoices):
    MEETING = "meeting", "Meeting"
    BOARD = "board", "Partnership board"
    SURVEY = "survey", "Survey"
    FOCUS_GROUP = "focus_group", "Focus group or workshop"
    WRITTEN = "written", "Written consultation"
    OTHER = "other", "Other"


class Engagement(models.Model):
    """One piece of engagement or consultation: who, how, when, what was heard and what changed because of it."""

    Method = EngagementMethod

    case = models.ForeignKey("procurement.CommissioningCase", on_delete=models.CASCADE, related_name="engagements")
    who = models.CharField(max_length=200, help_text="Who was engaged, e.g. survivors' forum, Dorset Council")
    board = models.ForeignKey(
        "organisations.PartnershipBoard", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    service_users = models.BooleanField(default=False, help_text="People who use or would use the service took part")
    method = models.CharField(max_length=16, choices=EngagementMethod.choices)
    held_on = models.DateField()
    heard = models.TextField(help_text="What was heard")
    changed = models.TextField(blank=True, help_text="What changed because of it")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case", "held_on", "pk"]
        constraints = [one_of("method", EngagementMethod, name="engagement_method_valid")]

    def __str__(self):
        return f"{self.who} ({self.held_on:%d %B %Y})"
