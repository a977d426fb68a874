"""Monitoring: the KPI definitions services report against (seed, Section 4), each service's own KPIs, and the
returns providers make against them (issue 11).

A service's KPI (ServiceKpi) is either a minimum-dataset KpiDefinition attached to the service or the service's
own measure; the same model serves every route (grants and procurement). A return (KpiReturn) is one reporting
period of one service; every submission is a new ReturnVersion whose ReturnValues are kept; officers accept or
query a version (ReturnDecision).
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from commissioning.core.models import one_of


class KpiKind(models.TextChoices):
    COUNT = "count", "A count of people"
    BREAKDOWN = "breakdown", "Counts broken down by category"
    TEXT = "text", "Text"


def breakdown_errors(kind: str, breakdown, not_known: str) -> dict:
    """What is wrong with a KPI's breakdown categories, by field: a breakdown lists its categories once each,
    one of which means "not known"; a count or text has none."""
    errors = {}
    breakdown = breakdown if breakdown is not None else []
    if not isinstance(breakdown, list) or not all(isinstance(c, str) and c.strip() for c in breakdown):
        return {"breakdown": "Enter the categories as a list of names"}
    if len(set(breakdown)) != len(breakdown):
        errors["breakdown"] = "Each category must appear once"
    elif kind == KpiKind.BREAKDOWN and not breakdown:
        errors["breakdown"] = "A breakdown needs at least one category"
    elif kind != KpiKind.BREAKDOWN and breakdown:
        errors["breakdown"] = "Only a breakdown has categories; leave this empty"
    if kind == KpiKind.BREAKDOWN and breakdown and not_known not in breakdown:
        errors["not_known"] = "Name the category that means the answer is not known; it must be one of the categories"
    if kind != KpiKind.BREAKDOWN and not_known:
        errors["not_known"] = "Only a breakdown has a not known category; leave this empty"
    return errors


def grouping_errors(breakdown, groups, codes) -> dict:
    """What is wrong with a breakdown's headings and other codes: each heading names categories of the breakdown,
    none under two headings; each code stands for one of the categories."""
    errors = {}
    breakdown = breakdown if isinstance(breakdown, list) else []
    groups = groups if groups is not None else []
    codes = codes if codes is not None else {}
    if not isinstance(groups, list) or not all(
        isinstance(g, dict) and isinstance(g.get("heading"), str) and isinstance(g.get("categories"), list)
        for g in groups
    ):
        errors["groups"] = "Enter the headings as a list of a heading and its categories"
    else:
        seen = [c for g in groups for c in g["categories"]]
        if any(c not in breakdown for c in seen):
            errors["groups"] = "Each heading's categories must be categories of the breakdown"
        elif len(seen) != len(set(seen)):
            errors["groups"] = "A category may be under one heading only"
    if not isinstance(codes, dict) or not all(isinstance(k, str) and k.strip() for k in codes):
        errors["codes"] = "Enter the codes as a code and the category it stands for"
    elif any(category not in breakdown for category in codes.values()):
        errors["codes"] = "Each code must stand for one of the categories"
    return errors


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
        help_text='For a breakdown, the list of categories, e.g. ["White", "Other ethnic group", "Not stated"]',
    )
    adds_up = models.BooleanField(
        "Categories add up to the total",
        default=True,
        help_text="Each person is counted in exactly one category (untick when a person may be in several)",
    )
    not_known = models.CharField(
        '"Not known" category', max_length=200, blank=True, help_text="The category that means the answer is not known"
    )
    groups = models.JSONField(
        "Headings",
        default=list,
        blank=True,
        help_text='Categories grouped under headings, e.g. [{"heading": "White", "categories": ["Irish", ...]}] '
        "(the 2021 Census's 19 ethnic groups under 5 headings)",
    )
    codes = models.JSONField(
        "Other codes for the categories",
        default=dict,
        blank=True,
        help_text='Codes an upload may use instead of a category\'s name, e.g. {"W2": "Irish"} (police '
        "self-defined ethnicity codes)",
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
        errors = breakdown_errors(self.kind, self.breakdown, self.not_known)
        errors.update(grouping_errors(self.breakdown, self.groups, self.codes))
        if errors:
            raise ValidationError(errors)


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Frequency(models.TextChoices):
    """How often a return is made or a KPI reported; periods follow the financial year (April to March)."""

    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    HALF_YEARLY = "half_yearly", "Every six months"
    YEARLY = "yearly", "Yearly"


FREQUENCY_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}


class ServiceKpi(models.Model):
    """One KPI a service reports: a minimum-dataset definition or the service's own measure, with its target."""

    Kind = KpiKind
    Direction = Direction
    Frequency = Frequency

    service = models.ForeignKey("agreements.Service", on_delete=models.CASCADE, related_name="kpis")
    definition = models.ForeignKey(
        KpiDefinition, on_delete=models.PROTECT, null=True, blank=True, related_name="service_kpis"
    )
    # A service's own measure names itself; a definition's are read from the definition.
    name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=16, choices=[c for c in KpiKind.choices if c[0] != "text"], blank=True)
    breakdown = models.JSONField("Breakdown categories", default=list, blank=True)
    adds_up = models.BooleanField("Categories add up to the total", default=True)
    not_known = models.CharField('"Not known" category', max_length=200, blank=True)

    required_by = models.ForeignKey(
        "funds.FundingStream",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_kpis",
        help_text="The funding stream whose funder requires the measure, when one does",
    )

    unit = models.CharField(max_length=60, default="people", help_text="What is counted, e.g. people, referrals")
    target = models.PositiveIntegerField(null=True, blank=True, help_text="For each reporting period")
    direction = models.CharField(max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.QUARTERLY)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True, help_text="Leave blank while the service reports it")
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["service", "order", "pk"]
        verbose_name = "service KPI"
        constraints = [
            models.UniqueConstraint(
                fields=["service", "definition"],
                condition=Q(definition__isnull=False),
                name="service_kpi_definition_once",
            ),
            models.CheckConstraint(
                condition=Q(definition__isnull=False) | ~Q(name=""), name="service_kpi_own_measure_named"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="service_kpi_ends_after_start",
            ),
            one_of("direction", Direction, name="service_kpi_direction_valid"),
            one_of("frequency", Frequency, name="service_kpi_frequency_valid"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.definition.name if self.definition_id else self.name

    @property
    def kpi_kind(self) -> str:
        return self.definition.kind if self.definition_id else self.kind

    @property
    def categories(self) -> list[str]:
        return list(self.definition.breakdown if self.definition_id else self.breakdown)

    @property
    def must_add_up(self) -> bool:
        return self.definition.adds_up if self.definition_id else self.adds_up

    @property
    def not_known_category(self) -> str:
        return self.definition.not_known if self.definition_id else self.not_known

    @property
    def category_codes(self) -> dict[str, str]:
        """Other codes an upload may use for the categories (a definition's, e.g. police ethnicity codes)."""
        return dict(self.definition.codes or {}) if self.definition_id else {}

    @property
    def category_groups(self) -> list[dict]:
        return list(self.definition.groups or []) if self.definition_id else []

    @property
    def is_breakdown(self) -> bool:
        return self.kpi_kind == KpiKind.BREAKDOWN

    @property
    def is_reported(self) -> bool:
        """Text measures are described in the narrative, not counted in a return."""
        return self.kpi_kind in (KpiKind.COUNT, KpiKind.BREAKDOWN)

    def in_effect(self, starts_on: dt.date, ends_on: dt.date) -> bool:
        return self.effective_from <= ends_on and (self.effective_to is None or self.effective_to >= starts_on)


class ReturnSchedule(models.Model):
    """How often a service makes its return, and how long after a period ends it is due."""

    Frequency = Frequency

    service = models.OneToOneField("agreements.Service", on_delete=models.CASCADE, related_name="return_schedule")
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.QUARTERLY)
    days_to_submit = models.PositiveSmallIntegerField(
        default=28, help_text="Days after the end of a period by which the return is due"
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            one_of("frequency", Frequency, name="return_schedule_frequency_valid"),
            models.CheckConstraint(
                condition=Q(days_to_submit__gte=1, days_to_submit__lte=90), name="return_schedule_days_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.get_frequency_display()} returns for {self.service}"


class ReturnStatus(models.TextChoices):
    DUE = "due", "Due"
    SUBMITTED = "submitted", "Submitted"
    QUERIED = "queried", "Queried"
    RESUBMITTED = "resubmitted", "Resubmitted"
    ACCEPTED = "accepted", "Accepted"


class KpiReturn(models.Model):
    """One service's return for one reporting period. Overdue is not stored: a due return past its due date."""

    Status = ReturnStatus

    service = models.ForeignKey("agreements.Service", on_delete=models.PROTECT, related_name="kpi_returns")
    starts_on = models.DateField()
    ends_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DUE)
    reminded_on = models.DateField(null=True, blank=True, help_text="The last day a reminder was sent")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "service__name"]
        verbose_name = "KPI return"
        constraints = [
            models.UniqueConstraint(fields=["service", "starts_on"], name="kpi_return_once_per_period"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="kpi_return_period_valid"),
            models.CheckConstraint(condition=Q(due_on__gt=models.F("ends_on")), name="kpi_return_due_after_period"),
            one_of("status", ReturnStatus, name="kpi_return_status_valid"),
        ]

    def __str__(self):
        return f"{self.service}: return for {self.period_label}"

    @property
    def period_label(self) -> str:
        return f"{self.starts_on.day} {self.starts_on:%B %Y} to {self.ends_on.day} {self.ends_on:%B %Y}"

    @property
    def short_label(self) -> str:
        """Apr to Jun 2026, or Apr 2026 for a month."""
        if (self.starts_on.year, self.starts_on.month) == (self.ends_on.year, self.ends_on.month):
            return f"{self.starts_on:%b %Y}"
        return f"{self.starts_on:%b} to {self.ends_on:%b %Y}"

    @property
    def period_code(self) -> str:
        """The period as the upload template writes it: 2026-04-01 to 2026-06-30."""
        return f"{self.starts_on.isoformat()} to {self.ends_on.isoformat()}"

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == ReturnStatus.DUE and self.due_on < today


class SubmissionMethod(models.TextChoices):
    WEB = "web", "Web form"
    UPLOAD = "upload", "Uploaded file"
    CASES = "cases", "Case-level file"
    API = "api", "API"


class DecisionOutcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    QUERIED = "queried", "Queried"


class ReturnVersion(models.Model):
    """One submission of a return; a resubmission is a new version and the earlier ones are kept."""

    Method = SubmissionMethod

    kpi_return = models.ForeignKey(KpiReturn, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    method = models.CharField(max_length=8, choices=Method.choices)
    note = models.TextField(blank=True, help_text="What the provider said with the return")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["kpi_return", "number"]
        constraints = [
            models.UniqueConstraint(fields=["kpi_return", "number"], name="return_version_number_unique"),
            one_of("method", SubmissionMethod, name="return_version_method_valid"),
        ]

    def __str__(self):
        return f"Version {self.number} of {self.kpi_return}"


class ReturnValue(models.Model):
    """A KPI's figure in a version: its total (category blank) or one breakdown category's count."""

    version = models.ForeignKey(ReturnVersion, on_delete=models.CASCADE, related_name="values")
    kpi = models.ForeignKey(ServiceKpi, on_delete=models.PROTECT, related_name="values")
    category = models.CharField(max_length=200, blank=True)
    value = models.PositiveIntegerField()

    class Meta:
        ordering = ["version", "kpi__order", "kpi_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "kpi", "category"], name="return_value_once"),
        ]

    def __str__(self):
        return f"{self.kpi}{f' ({self.category})' if self.category else ''}: {self.value}"


class ReturnDecision(models.Model):
    """An officer's acceptance of a version, or their query with comments for the provider to answer."""

    Outcome = DecisionOutcome

    version = models.ForeignKey(ReturnVersion, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    comments = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["version", "decided_at"]
        constraints = [
            one_of("outcome", DecisionOutcome, name="return_decision_outcome_valid"),
            models.CheckConstraint(
                condition=~Q(outcome="queried") | ~Q(comments=""), name="return_query_needs_comments"
            ),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.version}"


class RagRule(models.Model):
    """How a KPI's figure for a period is rated against its target, from a date (loaded from the profile's
    settings.kpi_rag): green on or better than the target; amber when worse by no more than the margin (a
    percentage of the target); red when worse than that."""

    effective_from = models.DateField(unique=True)
    amber_margin_percent = models.PositiveSmallIntegerField(
        default=10, help_text="How far from the target, as a percentage of it, a figure is amber rather than red"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = "RAG rule"
        constraints = [
            models.CheckConstraint(condition=Q(amber_margin_percent__lte=100), name="rag_margin_at_most_100")
        ]

    def __str__(self):
        return f"Amber within {self.amber_margin_percent}% of target, from {self.effective_from:%d %B %Y}"


# The provider API's tokens and the cases of case-level files (issue 11, point 2) live in their own module.
from commissioning.monitoring.api_models import ApiToken, ReturnCase  # noqa: E402, F401

# Funder-required measures, narratives, case studies and feedback live in their own module (issue 11, points 1
# and 3); importing them here registers them with the app.
from commissioning.monitoring.feedback_models import (  # noqa: E402, F401
    CaseStudy,
    FeedbackRecord,
    FunderKpi,
    ReturnNarrative,
)

# Strategic review and Procurement Act contract management live in their own module (issue 11, points 4 and 6).
from commissioning.monitoring.review_models import (  # noqa: E402, F401
    ContractAssessment,
    ContractManagementRule,
    StrategicReview,
    StrategicReviewRule,
)
