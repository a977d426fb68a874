"""Reads every evaluation shares (ADR 0015), each scoped to what the person may see.

The rule that matters most: no assessor sees another assessor's scores before moderation (DOMAIN.md,
"Evaluation conventions"). Scores are read only through `scores_visible`, which gives an assessor their own
and nothing else, and gives the moderation sheet only to someone the route says may moderate the subject.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from commissioning.evaluation.models import Declaration

ONE_PLACE = Decimal("0.1")


def submitted_without_conflict(prefix: str = "") -> Q:
    """Assignments (reached through `prefix`, e.g. "assignments__") submitted by assessors without a conflict."""
    return Q(**{f"{prefix}declaration": Declaration.NONE, f"{prefix}submitted_at__isnull": False})


def scores_visible(*, kind, user, subject, may_moderate: bool):
    """The criterion scores this person may see on this subject.

    Someone who may moderate it sees the submitted scores of assessors without a conflict (the moderation
    sheet). Anyone else sees at most their own scores, whatever the subject's stage.
    """
    scores = kind.score.objects.filter(**{f"assignment__{kind.subject}": subject}).select_related(
        "criterion", "assignment__assessor"
    )
    if may_moderate:
        return scores.filter(submitted_without_conflict("assignment__")).order_by(
            "criterion__order", "criterion_id", "assignment__assessor__display_name", "assignment_id"
        )
    return scores.filter(assignment__assessor=user).order_by("criterion__order", "criterion_id")


def own_scores(*, kind, assignment) -> dict:
    """The assessor's own scores by criterion id."""
    return {s.criterion_id: s for s in kind.score.objects.filter(assignment=assignment)}


def moderated_scores(*, kind, subject):
    return (
        kind.moderated_score.objects.filter(**{f"moderation__{kind.subject}": subject})
        .select_related("criterion")
        .order_by("criterion__order", "criterion_id")
    )


@dataclass
class CriterionRow:
    criterion: object
    scores: list = field(default_factory=list)  # a score per assessor, in the sheet's assessor order
    average: Decimal | None = None


@dataclass
class ModerationSheet:
    assessors: list
    rows: list[CriterionRow]
    submitted: int
    needed: int
    waiting: list  # assignments not yet submitted (no conflict declared)
    conflicts: list

    @property
    def enough(self) -> bool:
        return self.submitted >= self.needed


def moderation_sheet(*, criteria, assignments, visible_scores, needed: int) -> ModerationSheet:
    """Every submitted assessment side by side, with each criterion's average, from the subject's assignments
    and the scores `scores_visible` let this person see."""
    assignments = list(assignments)
    submitted = [a for a in assignments if a.declaration == Declaration.NONE and a.submitted_at is not None]
    by_pair = {(s.assignment_id, s.criterion_id): s for s in visible_scores}
    rows = []
    for criterion in criteria:
        cells = [by_pair.get((a.pk, criterion.pk)) for a in submitted]
        given = [cell.score for cell in cells if cell is not None]
        average = None
        if given:
            average = (Decimal(sum(given)) / len(given)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
        rows.append(CriterionRow(criterion=criterion, scores=cells, average=average))
    return ModerationSheet(
        assessors=submitted,
        rows=rows,
        submitted=len(submitted),
        needed=needed,
        waiting=[a for a in assignments if a.declaration != Declaration.CONFLICT and not a.submitted_at],
        conflicts=[a for a in assignments if a.declaration == Declaration.CONFLICT],
    )
