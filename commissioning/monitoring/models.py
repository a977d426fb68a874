"""Monitoring configuration: the KPI definitions services report against (seed, Section 4).

Later issues add services' own KPIs, returns and feedback to this app.
"""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from commissioning.core.models import one_of


class KpiKind(models.TextChoices):
    COUNT = "count", "A count of people"
    BREAKDOWN = "breakdown", "Counts broken down by category"
    TEXT = "text", "Text"


class KpiDefinition(models.Model):
    Kind = KpiKind

    code = models.SlugField(max_length=60, unique=True, help_text="Stable key used by profiles, e.g. ethnicity")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    breakdown = models.JSONField(
        "Breakdown categories",
        default=list,
        blank=True,
        help_text='For a breakdown, the list of categories, e.g. ["White", "Other ethnic group"]',
    )
    is_minimum_dataset = models.BooleanField(
        "Part of the minimum dataset", default=False, help_text="Every commissioned service reports it"
    )
    applies_when = models.CharField(max_length=200, blank=True, help_text='For example "if applicable"')
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "KPI definition"
        constraints = [
            one_of("kind", KpiKind, name="kpi_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        breakdown = self.breakdown or []
        if not isinstance(breakdown, list) or not all(isinstance(c, str) and c.strip() for c in breakdown):
            raise ValidationError({"breakdown": "Enter the categories as a list of names"})
        if len(set(breakdown)) != len(breakdown):
            raise ValidationError({"breakdown": "Each category must appear once"})
        if self.kind == self.Kind.BREAKDOWN and not breakdown:
            raise ValidationError({"breakdown": "A breakdown needs at least one category"})
        if self.kind != self.Kind.BREAKDOWN and breakdown:
            raise ValidationError({"breakdown": "Only a breakdown has categories; leave this empty"})
