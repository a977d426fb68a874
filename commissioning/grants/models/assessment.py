from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class AssessorAssignment(models.Model):
    """An assessor assigned to an application. They must declare interests before they can open it, and
    score independently: no assessor sees another's scores before moderation (DOMAIN.md, "Evaluation")."""

    class Declaration(models.TextChoices):
        PENDING = "pending", "Not yet declared"
        NONE = "none", "No conflict of interest"
        CONFLICT = "conflict", "Conflict of interest declared"

    application = models.ForeignKey("grants.Application", on_delete=models.CASCADE, related_name="assignments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declaration = models.CharField(max_length=10, choices=Declaration.choices, default=Declaration.PENDING)
    conflict_details = models.TextField(blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="When the assessor finished scoring")

    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "assessor__display_name"]
        constraints = [
            models.UniqueConstraint(fields=["application", "assessor"], name="assessor_once_per_application"),
            models.CheckConstraint(
                condition=~Q(declaration="conflict") | ~Q(conflict_details=""), name="conflict_needs_details"
            ),
        ]

    def __str__(self):
        return f"{self.assessor} on {self.application}"


class CriterionScore(models.Model):
    assignment = models.ForeignKey(AssessorAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("grants.AssessmentCriterion", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["assignment", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(condition=Q(score__lte=5), name="score_zero_to_five"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class Moderation(models.Model):
    """The moderation meeting's consensus for one application, with its rationale."""

    application = models.OneToOneField("grants.Application", on_delete=models.CASCADE, related_name="moderation")
    rationale = models.TextField()
    weighted_score = models.DecimalField(max_digits=6, decimal_places=2, help_text="Out of 100")
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    moderated_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    def __str__(self):
        return f"Moderation of {self.application}"


class ModeratedScore(models.Model):
    moderation = models.ForeignKey(Moderation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("grants.AssessmentCriterion", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["moderation", "criterion"], name="moderated_score_once_per_criterion"),
            models.CheckConstraint(condition=Q(score__lte=5), name="moderated_score_zero_to_five"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"
