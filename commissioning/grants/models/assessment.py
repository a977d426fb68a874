"""Grant assessment: the shared evaluation mechanics (commissioning.evaluation, ADR 0015) applied to grant
applications. Only the keys to applications and criteria and the table's constraint names are grants' own."""

from django.conf import settings
from django.db import models

from commissioning.evaluation import models as evaluation


class AssessorAssignment(evaluation.Assignment):
    """An assessor assigned to an application. They must declare interests before they can open it, and
    score independently: no assessor sees another's scores before moderation (DOMAIN.md, "Evaluation")."""

    SUBJECT = "application"

    application = models.ForeignKey("grants.Application", on_delete=models.CASCADE, related_name="assignments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_assignments")

    class Meta:
        ordering = ["application", "assessor__display_name"]
        constraints = [
            models.UniqueConstraint(fields=["application", "assessor"], name="assessor_once_per_application"),
            evaluation.conflict_needs_details("conflict_needs_details"),
        ]


class CriterionScore(evaluation.CriterionScore):
    assignment = models.ForeignKey(AssessorAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("grants.AssessmentCriterion", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["assignment", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_once_per_criterion"),
            evaluation.score_in_range("score_zero_to_five"),
        ]


class Moderation(evaluation.Moderation):
    """The moderation meeting's consensus for one application, with its rationale."""

    SUBJECT = "application"

    application = models.OneToOneField("grants.Application", on_delete=models.CASCADE, related_name="moderation")


class ModeratedScore(evaluation.ModeratedScore):
    moderation = models.ForeignKey(Moderation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("grants.AssessmentCriterion", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["moderation", "criterion"], name="moderated_score_once_per_criterion"),
            evaluation.score_in_range("moderated_score_zero_to_five"),
        ]
