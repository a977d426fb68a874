"""Reads for assessing grant applications, each scoped to what the person may see.

The rule that matters most here: no assessor sees another assessor's scores before moderation (DOMAIN.md,
"Evaluation conventions"). Scores are read only through `scores_visible_to`, which gives an assessor their
own and nothing else, and gives the moderation sheet only to an officer who may moderate the application.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404

from commissioning.accounts.roles import OPCC_STAFF, Role
from commissioning.evaluation import selectors as evaluation
from commissioning.grants.models import (
    Application,
    AssessmentCriterion,
    AssessorAssignment,
    CriterionScore,
    EligibilityQuestion,
    GrantRound,
)
from commissioning.grants.services.assessment import COUNTED_AGAINST_BUDGET, KIND, min_assessors

# Statuses an application passes through once submitted, shown on the officer's progress page.
IN_ASSESSMENT = [
    Application.Status.SUBMITTED,
    Application.Status.ELIGIBLE,
    Application.Status.INELIGIBLE,
    Application.Status.MODERATED,
    Application.Status.RECOMMENDED,
    Application.Status.NOT_RECOMMENDED,
    Application.Status.AWARDED,
    Application.Status.DECLINED,
]
SCORED = [
    Application.Status.MODERATED,
    Application.Status.RECOMMENDED,
    Application.Status.NOT_RECOMMENDED,
    Application.Status.AWARDED,
    Application.Status.DECLINED,
]


def _submitted_without_conflict():
    return evaluation.submitted_without_conflict("assignments__")


# --- Rounds and applications (officers) ------------------------------------------------------------------


def round_list_for_assessment():
    """Rounds that have received applications, newest first, with counts by stage."""
    return (
        GrantRound.objects.exclude(status=GrantRound.Status.DRAFT)
        .select_related("scheme")
        .annotate(
            submitted_count=Count("applications", filter=Q(applications__status=Application.Status.SUBMITTED)),
            eligible_count=Count("applications", filter=Q(applications__status=Application.Status.ELIGIBLE)),
            scored_count=Count("applications", filter=Q(applications__status__in=SCORED)),
        )
        .order_by("-closes_at", "-pk")
    )


def round_get(*, pk) -> GrantRound:
    return get_object_or_404(GrantRound.objects.select_related("scheme", "fund", "year"), pk=pk)


def application_get(*, pk) -> Application:
    """An application that has been submitted (drafts are the applicant's alone)."""
    return get_object_or_404(
        Application.objects.exclude(status=Application.Status.DRAFT).select_related(
            "round__scheme", "organisation", "eligibility_checked_by"
        ),
        pk=pk,
    )


def application_content(*, application: Application) -> Application:
    """The application with everything its read-only page shows, in a fixed number of queries."""
    return (
        Application.objects.select_related("round__scheme", "organisation")
        .prefetch_related("priorities__pillar", "budget_lines", "attachments")
        .get(pk=application.pk)
    )


@dataclass
class EligibilityAnswer:
    question: str
    answer: str
    as_required: bool | None


def eligibility_answers(*, application: Application) -> list[EligibilityAnswer]:
    """The applicant's answers to the round's eligibility questions, each marked when it is not the answer the
    round requires. Answers are read by the question's id (as a string or number) or its text."""
    answers = application.eligibility_answers if isinstance(application.eligibility_answers, dict) else {}
    rows = []
    for question in EligibilityQuestion.objects.filter(round_id=application.round_id):
        given = None
        for key in (str(question.pk), question.pk, question.text):
            if key in answers:
                given = answers[key]
                break
        if isinstance(given, str) and given.lower() in {"yes", "true", "no", "false"}:
            given = given.lower() in {"yes", "true"}
        if isinstance(given, bool):
            rows.append(EligibilityAnswer(question.text, "Yes" if given else "No", given == question.required_answer))
        else:
            rows.append(EligibilityAnswer(question.text, "Not answered" if given is None else str(given), None))
    return rows


def criteria_for_round(*, grant_round: GrantRound) -> list[AssessmentCriterion]:
    return list(AssessmentCriterion.objects.filter(round=grant_round).order_by("order", "id"))


def round_progress(*, grant_round: GrantRound):
    """Submitted applications of the round with their assessors, whether each has declared and scored, and
    (only once moderated) the weighted score. Never the assessors' scores. A fixed number of queries."""
    assignments = AssessorAssignment.objects.select_related("assessor").order_by("assessor__display_name", "pk")
    return (
        Application.objects.filter(round=grant_round, status__in=IN_ASSESSMENT)
        .select_related("organisation", "moderation")
        .prefetch_related(Prefetch("assignments", queryset=assignments))
        .annotate(submitted_assessments=Count("assignments", filter=_submitted_without_conflict()))
        .order_by("reference", "pk")
    )


def round_progress_summary(*, grant_round: GrantRound) -> dict:
    rows = Application.objects.filter(round=grant_round).aggregate(
        submitted=Count("pk", filter=Q(status=Application.Status.SUBMITTED)),
        eligible=Count("pk", filter=Q(status=Application.Status.ELIGIBLE)),
        ineligible=Count("pk", filter=Q(status=Application.Status.INELIGIBLE)),
        scored=Count("pk", filter=Q(status__in=SCORED)),
    )
    rows["conflicts"] = AssessorAssignment.objects.filter(
        application__round=grant_round, declaration=AssessorAssignment.Declaration.CONFLICT
    ).count()
    rows["min_assessors"] = min_assessors()
    return rows


def assignments_for_application(*, application: Application):
    """Who is assigned, with their declarations; no scores."""
    return AssessorAssignment.objects.filter(application=application).select_related("assessor", "assigned_by")


def assessor_choices(*, actor, application: Application | None = None):
    """People who may be asked to assess: active evaluators and OPCC staff, other than the officer assigning,
    and (for one application) not already assigned to it."""
    people = (
        get_user_model()
        .objects.filter(is_active=True, role__in=[Role.EVALUATOR.value, *sorted(r.value for r in OPCC_STAFF)])
        .exclude(pk=actor.pk)
        .order_by("display_name", "email")
    )
    if application is not None:
        people = people.exclude(grant_assignments__application=application)
    return people


# --- The assessor's own work -----------------------------------------------------------------------------


def assignment_list_for_assessor(*, user):
    """The assessor's own assignments, showing only the organisation and the project title."""
    return (
        AssessorAssignment.objects.filter(assessor=user)
        .select_related("application__organisation", "application__round")
        .order_by("submitted_at", "-application__round__closes_at", "application__reference", "pk")
    )


def assignment_get_for_assessor(*, user, pk) -> AssessorAssignment:
    """One of the assessor's own assignments; anyone else's is "not found"."""
    return get_object_or_404(
        AssessorAssignment.objects.select_related("application__organisation", "application__round__scheme"),
        pk=pk,
        assessor=user,
    )


def scores_visible_to(*, user, application: Application):
    """The criterion scores this person may see on this application (the shared rule, ADR 0015): an officer who
    may moderate it sees the submitted scores of assessors without a conflict; anyone else at most their own."""
    return evaluation.scores_visible(
        kind=KIND, user=user, subject=application, may_moderate=user.has_perm("grants.moderate", application)
    )


def own_scores(*, assignment: AssessorAssignment) -> dict[int, CriterionScore]:
    """The assessor's own scores by criterion id."""
    return evaluation.own_scores(kind=KIND, assignment=assignment)


# --- Moderation ------------------------------------------------------------------------------------------


def moderation_sheet(*, user, application: Application) -> evaluation.ModerationSheet:
    """Every submitted assessment side by side, with each criterion's average; only for someone who may
    moderate (`scores_visible_to` decides). Five queries however many assessors and criteria."""
    return evaluation.moderation_sheet(
        criteria=criteria_for_round(grant_round=application.round),
        assignments=assignments_for_application(application=application),
        visible_scores=scores_visible_to(user=user, application=application),
        needed=min_assessors(),
    )


def moderated_scores(*, application: Application):
    return evaluation.moderated_scores(kind=KIND, subject=application)


# --- Ranking ---------------------------------------------------------------------------------------------


def ranking_for_round(*, grant_round: GrantRound):
    """Moderated applications, highest weighted score first (ties: the earlier submission first), each with its
    rank and the running total of the amounts requested. Window functions keep the totals right on every
    page of a paginated list, in one query per page."""
    order = [F("moderation__weighted_score").desc(), F("submitted_at").asc(), F("pk").asc()]
    return (
        Application.objects.filter(round=grant_round, status__in=SCORED, moderation__isnull=False)
        .select_related("organisation", "moderation")
        .annotate(
            rank=Window(RowNumber(), order_by=order),
            running_total=Window(Sum("amount_requested"), order_by=order),
        )
        .order_by(*order)
    )


def mark_budget_line(rows, *, budget: Decimal) -> None:
    """Mark the row where the running total first goes over the budget: the money runs out there."""
    for row in rows:
        total = row.running_total or Decimal("0")
        before = total - (row.amount_requested or Decimal("0"))
        row.over_budget = total > budget
        row.budget_runs_out_here = before <= budget < total


def round_money(*, grant_round: GrantRound) -> dict:
    """The round's budget, what has been recommended (or awarded) so far and what is left."""
    recommended = Application.objects.filter(round=grant_round, status__in=COUNTED_AGAINST_BUDGET).aggregate(
        total=Sum("recommended_amount")
    )["total"] or Decimal("0.00")
    return {
        "budget": grant_round.budget,
        "recommended": recommended,
        "left": grant_round.budget - recommended,
        "over": recommended > grant_round.budget,
    }
