"""The shape every evaluation shares (ADR 0015): an assessor's assignment to one thing being judged (a grant
application, a tender bid) with their declaration of interests, their own score and comment per criterion,
and the moderation meeting's consensus with its rationale and weighted score.

These are abstract models. Each route subclasses them and adds only what differs: the foreign key to what is
judged (named by `SUBJECT`), to its assignment and to its criteria, and its table's constraint names. The history
is declared here (`HistoricalRecords(inherit=True)`): each subclass gets its own historical table, in its own app,
as it would by declaring `history` itself. The shared services, selectors and rules in this app work on any set
of subclasses through an `evaluation.services.Kind`.

A criterion, whatever its model, has `pk`, `name`, `weight` (percentage), `order`, `guidance` and
`descriptors` (six written descriptors for scores 0 to 5).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

MAX_SCORE = 5


class Declaration(models.TextChoices):
    PENDING = "pending", "Not yet declared"
    NONE = "none", "No conflict of interest"
    CONFLICT = "conflict", "Conflict of interest declared"


class Assignment(models.Model):
    """An assessor assigned to one thing being judged. They must declare interests before they can open it, and
    score independently: no assessor sees another's scores before moderation (DOMAIN.md, "Evaluation").

    Subclasses add the foreign key named by `SUBJECT` and may redeclare `assessor` (e.g. its related name)."""

    SUBJECT = ""  # the name of the subclass's foreign key to what is judged
    Declaration = Declaration

    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declaration = models.CharField(max_length=10, choices=Declaration.choices, default=Declaration.PENDING)
    conflict_details = models.TextField(blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="When the assessor finished scoring")

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.assessor} on {self.subject}"

    @property
    def subject(self):
        return getattr(self, self.SUBJECT)

    @property
    def subject_id(self):
        return getattr(self, f"{self.SUBJECT}_id")

    @property
    def may_open(self) -> bool:
        return self.declaration == Declaration.NONE


class CriterionScore(models.Model):
    """One assessor's score (0 to 5) and comment against one criterion. Subclasses add `assignment` and
    `criterion` foreign keys."""

    score = models.PositiveSmallIntegerField()
    comment = models.TextField()

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class Moderation(models.Model):
    """The moderation meeting's consensus for one thing judged, with its rationale. Subclasses add the one-to-one
    key named by `SUBJECT`."""

    SUBJECT = ""

    rationale = models.TextField()
    weighted_score = models.DecimalField(max_digits=6, decimal_places=2, help_text="Out of 100")
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    moderated_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"Moderation of {getattr(self, self.SUBJECT)}"


class ModeratedScore(models.Model):
    """The agreed score for one criterion. Subclasses add `moderation` and `criterion` foreign keys."""

    score = models.PositiveSmallIntegerField()

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.criterion}: {self.score}"


# --- Constraints each subclass names for its own table ----------------------------------------------------


def conflict_needs_details(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=~Q(declaration="conflict") | ~Q(conflict_details=""), name=name)


def score_in_range(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(score__lte=MAX_SCORE), name=name)
