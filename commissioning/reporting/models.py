"""Reporting's own records: the dated small-number suppression rule, highlights and case studies written for the
Police and Crime Panel report, and the funder returns the OPCC has sent (issue 12)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.core.models import one_of


class SuppressionRule(models.Model):
    """From a date, counts below `threshold` in Panel and published figures are shown as a mark, with secondary
    suppression (DOMAIN.md, "Monitoring"). Dated because policy changes (e.g. from 1-4 to below 10); before the
    first rule the OPCC settings' suppression_threshold (loaded from the profile) applies."""

    effective_from = models.DateField(unique=True)
    threshold = models.PositiveSmallIntegerField(
        help_text="Counts from 1 up to one less than this are suppressed; 0 is never suppressed"
    )
    reason = models.CharField(max_length=200, blank=True, help_text="The policy or decision behind it")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(condition=Q(threshold__gte=1, threshold__lte=100), name="suppression_in_range")
        ]

    def __str__(self):
        return f"Counts below {self.threshold} suppressed from {self.effective_from.day} {self.effective_from:%B %Y}"


class HighlightKind(models.TextChoices):
    HIGHLIGHT = "highlight", "Highlight"
    CASE_STUDY = "case_study", "Case study"


class PanelHighlight(models.Model):
    """A highlight or an anonymised case study an officer writes for one Panel area in one report period."""

    Kind = HighlightKind

    start_year = models.PositiveSmallIntegerField(help_text="The financial year, 2025 for 2025/26")
    quarter = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 to 4 for a quarter's report; blank for the whole year"
    )
    panel_area = models.ForeignKey("strategy.PanelArea", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        "agreements.Service", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.HIGHLIGHT)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Anonymised: no names or details that could identify a person")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["start_year", "quarter", "panel_area__order", "pk"]
        constraints = [
            one_of("kind", HighlightKind, name="panel_highlight_kind_valid"),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                name="panel_highlight_quarter_valid",
            ),
        ]

    def __str__(self):
        return self.title


class ReturnLayout(models.TextChoices):
    MOJ_VICTIMS = "moj_victims", "Ministry of Justice victims services return"
    HOME_OFFICE_CLAIM = "home_office_claim", "Home Office grant claim"


class FunderReturn(models.Model):
    """A return or claim sent to a funder for one of its reporting dates, with the figures as sent."""

    Layout = ReturnLayout

    return_date = models.ForeignKey("funds.StreamReturnDate", on_delete=models.PROTECT, related_name="+")
    layout = models.CharField(max_length=20, choices=Layout.choices)
    period_starts_on = models.DateField()
    period_ends_on = models.DateField()
    figures = models.JSONField(help_text="The rows as sent, so the return can be shown again unchanged")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField()
    submitted_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True, help_text="For example the funder's portal reference")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            one_of("layout", ReturnLayout, name="funder_return_layout_valid"),
            models.UniqueConstraint(fields=["return_date"], name="funder_return_once_per_date"),
            models.CheckConstraint(
                condition=Q(period_ends_on__gte=models.F("period_starts_on")), name="funder_return_period_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_layout_display()} submitted {self.submitted_on.day} {self.submitted_on:%B %Y}"
