"""The writes every evaluation shares (ADR 0015): an assessor's declaration of interests, their own scores with
a comment each, and the moderation meeting's consensus with its rationale and weighted score.

Each route (grant assessment, tender evaluation) calls these from its own service functions, which check the
permission, lock what is judged, decide whether it is still open and change its status. These functions work on
the route's concrete models, named by a `Kind`, and run inside the caller's transaction; every save goes
through `save_with_history`.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.core.services import save_with_history
from commissioning.evaluation.models import MAX_SCORE, Declaration

SCORES = range(0, MAX_SCORE + 1)
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class Kind:
    """One route's concrete evaluation models."""

    assignment: type
    score: type
    moderation: type
    moderated_score: type

    @property
    def subject(self) -> str:
        """The name of the foreign key from an assignment (and a moderation) to what is judged."""
        return self.assignment.SUBJECT


def score_field(criterion_id) -> str:
    """The name under which a criterion's score error is reported (the forms use the same names)."""
    return f"score_{criterion_id}"


def comment_field(criterion_id) -> str:
    return f"comment_{criterion_id}"


def weighted_score(*, criteria, scores: dict) -> Decimal:
    """Σ(score ÷ 5 × weight), out of 100 when the weights add up to 100%, to 2 places (half up)."""
    total = sum((Decimal(scores[c.pk]) / MAX_SCORE * c.weight for c in criteria), Decimal("0"))
    return total.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def parse_score(value) -> int | None:
    """0 to 5 as an int; None when not given; ValueError for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit():
            raise ValueError(value)
        value = int(value)
    if not isinstance(value, int) or value not in SCORES:
        raise ValueError(value)
    return value


def unknown_criteria(given, criteria: dict, *, owner: str) -> None:
    unknown = sorted(str(cid) for cid in given if cid not in criteria)
    if unknown:
        raise ValidationError(
            f"Criteria {', '.join(unknown)} are not criteria of this {owner}; reload the page and score again"
        )


def lock_assignment(kind: Kind, assignment, *related):
    return kind.assignment.objects.select_for_update(of=("self",)).select_related(*related).get(pk=assignment.pk)


# --- Declaring interests ---------------------------------------------------------------------------------


def declare(*, actor, assignment, has_conflict: bool, details: str = "", closed: str = ""):
    """Record the assessor's declaration on their (locked) assignment. `closed` is the reason the evaluation
    no longer takes declarations, or "". A declaration is final: a conflicted assessor never opens the
    subject (DOMAIN.md: "evaluators see only what they are assigned, after declaring interests";
    Procurement Act 2023 ss81-83)."""
    assert transaction.get_connection().in_atomic_block, "declare runs inside the route's transaction"
    if assignment.assessor_id != actor.pk:
        raise PermissionDenied("Only the assessor assigned may declare their interests")
    if assignment.declaration != Declaration.PENDING:
        raise ValidationError(
            f"You have already declared: {assignment.get_declaration_display().lower()}. A declaration cannot be "
            "changed; ask the officer running the assessment if it was wrong"
        )
    if closed:
        raise ValidationError(closed)
    details = (details or "").strip()
    if has_conflict and not details:
        raise ValidationError(
            {"details": "Describe the conflict of interest, so the officer can decide who assesses instead"}
        )
    assignment.declaration = Declaration.CONFLICT if has_conflict else Declaration.NONE
    assignment.conflict_details = details if has_conflict else ""
    assignment.declared_at = timezone.now()
    save_with_history(
        assignment,
        actor=actor,
        reason="Declared a conflict of interest" if has_conflict else "Declared no conflict of interest",
    )
    return assignment


# --- Scoring ---------------------------------------------------------------------------------------------


def scores_save(
    *, kind: Kind, actor, assignment, criteria: dict, scores: dict, submit: bool = False, closed: str = "", owner: str
):
    """Save the assessor's own scores on their (locked, permitted) assignment, 0 to 5 against each criterion's
    descriptors, each with a comment; with submit=True every criterion must be scored and the scores become
    final. Errors are reported under score_<criterion id> and comment_<criterion id>; nothing is saved when
    anything is wrong. `criteria` maps id to criterion; `scores` maps criterion id to (score, comment), and a
    criterion left out, or given neither, is left as it was. `owner` names what the criteria belong to."""
    assert transaction.get_connection().in_atomic_block, "scores_save runs inside the route's transaction"
    if assignment.submitted_at:
        raise ValidationError("You have already submitted your scores; they can no longer be changed")
    if closed:
        raise ValidationError(closed)
    unknown_criteria(scores, criteria, owner=owner)
    errors: dict[str, str] = {}
    valid: dict[int, tuple[int, str]] = {}
    for cid, (raw_score, raw_comment) in scores.items():
        name = str(criteria[cid])
        comment = (raw_comment or "").strip()
        try:
            score = parse_score(raw_score)
        except ValueError:
            errors[score_field(cid)] = f"Choose a score from 0 to 5 for {name}"
            continue
        if score is None:
            if comment:
                errors[score_field(cid)] = f"Choose a score for {name} to save your comment"
            continue
        if not comment:
            errors[comment_field(cid)] = f"Enter a comment explaining your score for {name}"
            continue
        valid[cid] = (score, comment)
    if errors:
        raise ValidationError(errors)
    existing = {s.criterion_id: s for s in kind.score.objects.filter(assignment=assignment)}
    for cid, (score, comment) in valid.items():
        row = existing.get(cid) or kind.score(assignment=assignment, criterion=criteria[cid])
        if row.pk and (row.score, row.comment) == (score, comment):
            continue
        row.score, row.comment = score, comment
        save_with_history(row, actor=actor, reason="Score saved")
        existing[cid] = row
    if submit:
        missing = {
            score_field(cid): f"Choose a score for {criterion} before you submit"
            for cid, criterion in criteria.items()
            if cid not in existing
        }
        if missing:
            raise ValidationError(missing)
        if not criteria:
            raise ValidationError(f"This {owner} has no criteria to score; ask the officer running the assessment")
        assignment.submitted_at = timezone.now()
        save_with_history(assignment, actor=actor, reason="Scores submitted")
    return assignment


# --- Moderation ------------------------------------------------------------------------------------------


def submitted_count(kind: Kind, subject) -> int:
    """Submitted assessments of the subject from assessors without a conflict of interest."""
    return kind.assignment.objects.filter(
        **{kind.subject: subject}, declaration=Declaration.NONE, submitted_at__isnull=False
    ).count()


def moderate(
    *,
    kind: Kind,
    actor,
    subject,
    criteria: dict,
    scores: dict,
    rationale: str,
    needed: int,
    owner: str,
    owner_label: str,
    expected_weight: Decimal = Decimal(100),
):
    """Record the moderation meeting's consensus on the (locked, permitted, open) subject: an agreed score for
    each criterion and the rationale. The weighted score is Σ(score ÷ 5 × weight) out of 100. Needs at least
    `needed` submitted assessments from assessors without a conflict; the criteria weights must add up to 100%.
    `owner` is the kind of thing the criteria belong to ("round", "tender"), `owner_label` that one by name.
    The scored criteria's weights must add up to `expected_weight` (100, or what price leaves for a tender), and
    the weighted score is then out of that many points."""
    assert transaction.get_connection().in_atomic_block, "moderate runs inside the route's transaction"
    submitted = submitted_count(kind, subject)
    if submitted < needed:
        raise ValidationError(
            f"Moderation needs at least {needed} submitted assessment{'s' if needed != 1 else ''} from assessors "
            f"without a conflict of interest; {subject} has {submitted}. Wait for the assessors to submit, "
            "or assign more"
        )
    if not criteria:
        raise ValidationError(f"{owner_label} has no assessment criteria")
    total_weight = sum((c.weight for c in criteria.values()), Decimal("0"))
    if total_weight != expected_weight:
        raise ValidationError(
            f"The criteria weights of {owner_label} add up to {total_weight.normalize():f}%, not "
            f"{expected_weight.normalize():f}%; correct the criteria before moderating"
        )
    unknown_criteria(scores, criteria, owner=owner)
    errors: dict[str, str] = {}
    agreed: dict[int, int] = {}
    for cid, criterion in criteria.items():
        try:
            score = parse_score(scores.get(cid))
        except ValueError:
            errors[score_field(cid)] = f"Choose an agreed score from 0 to 5 for {criterion}"
            continue
        if score is None:
            errors[score_field(cid)] = f"Choose the agreed score for {criterion}"
        else:
            agreed[cid] = score
    rationale = (rationale or "").strip()
    if not rationale:
        errors["rationale"] = "Enter the rationale: what the panel discussed and why it agreed these scores"
    if errors:
        raise ValidationError(errors)
    result = weighted_score(criteria=criteria.values(), scores=agreed)
    moderation = kind.moderation(
        **{kind.subject: subject}, rationale=rationale, weighted_score=result, moderated_by=actor
    )
    save_with_history(moderation, actor=actor, reason=f"Moderated: {result} out of 100")
    for cid, score in agreed.items():
        save_with_history(
            kind.moderated_score(moderation=moderation, criterion=criteria[cid], score=score),
            actor=actor,
            reason="Agreed at moderation",
        )
    return moderation
