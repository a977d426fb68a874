"""Every write in assessing grant applications: the officer's eligibility check, assigning assessors, each
assessor's declaration of interests and independent scores, moderation to a consensus score, and the panel's
recommendation against the round budget (issue 5, point 3; DOMAIN.md, "Evaluation conventions").

Each function checks permission, runs in one transaction, locks the rows it changes, validates with
full_clean and records who and why in the history (django-simple-history). E-mails go after commit.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from commissioning.core.money import format_money, to_money
from commissioning.core.services import require, save_with_history
from commissioning.evaluation import services as evaluation
from commissioning.evaluation.services import comment_field, score_field, weighted_score  # noqa: F401
from commissioning.grants.models import (
    Application,
    AssessmentCriterion,
    AssessorAssignment,
    CriterionScore,
    GrantRound,
    ModeratedScore,
    Moderation,
)
from commissioning.grants.permissions.assess import is_possible_assessor
from commissioning.grants.services.notify import link, send_on_commit
from commissioning.grants.services.rounds import round_begin_assessment

# Statuses whose recommended amount counts against the round budget.
COUNTED_AGAINST_BUDGET = (Application.Status.RECOMMENDED, Application.Status.AWARDED)
KIND = evaluation.Kind(
    assignment=AssessorAssignment, score=CriterionScore, moderation=Moderation, moderated_score=ModeratedScore
)


def min_assessors() -> int:
    """How many submitted assessments, from assessors without a conflict, moderation needs (setting
    GRANTS_MIN_ASSESSORS, default 1)."""
    return max(1, int(getattr(settings, "GRANTS_MIN_ASSESSORS", 1)))


def _status(application: Application) -> str:
    return application.get_status_display().lower()


def _lock_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("round__scheme", "organisation")
        .get(pk=application.pk)
    )


def _criteria_by_id(grant_round: GrantRound) -> dict[int, AssessmentCriterion]:
    return {c.pk: c for c in AssessmentCriterion.objects.filter(round=grant_round).order_by("order", "id")}


# --- Eligibility -----------------------------------------------------------------------------------------


@transaction.atomic
def application_eligibility_decide(*, actor, application: Application, eligible: bool, note: str = "") -> Application:
    """An officer checks a submitted application against the round's eligibility rules. A "not eligible"
    decision needs the reason, which the applicant is told."""
    require(actor, "grants.check_eligibility", application)
    round_begin_assessment(actor=actor, grant_round=application.round)
    application = _lock_application(application)
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(
            f"{application} is {_status(application)}; only a submitted application can be checked for eligibility"
        )
    note = (note or "").strip()
    if not eligible and not note:
        raise ValidationError({"note": "Enter why the application is not eligible; the applicant is told the reason"})
    application.status = Application.Status.ELIGIBLE if eligible else Application.Status.INELIGIBLE
    application.eligibility_checked_by = actor
    application.eligibility_note = note
    save_with_history(application, actor=actor, reason="Checked: eligible" if eligible else "Checked: not eligible")
    return application


# --- Assigning assessors ---------------------------------------------------------------------------------


def _assessor_problem(*, actor, assessor) -> str:
    """Why this person may not assess, or "" when they may."""
    if assessor is None:
        return "Select an assessor"
    if assessor.pk == actor.pk:
        return "You cannot assign yourself; select another assessor"
    if not is_possible_assessor(assessor):
        return f"{assessor} is not an evaluator or a member of OPCC staff; select someone who is"
    return ""


def _assignment_email(assignments: list[AssessorAssignment], assessor) -> None:
    send_on_commit(
        recipients=[assessor.email],
        subject="You have applications to assess",
        template="grants/assess/email/assigned.txt",
        context={"assessor": assessor, "assignments": assignments, "link": link("grants:my_assessments")},
    )


@transaction.atomic
def assessor_assign(*, actor, application: Application, assessor) -> AssessorAssignment:
    """Assign one assessor (an evaluator, or OPCC staff other than the officer assigning) to an eligible
    application. They see only the organisation and project title until they declare their interests."""
    require(actor, "grants.assign_assessors", application)
    round_begin_assessment(actor=actor, grant_round=application.round)
    application = _lock_application(application)
    if application.status != Application.Status.ELIGIBLE:
        raise ValidationError(
            f"{application} is {_status(application)}; assessors can be assigned only to an eligible application"
        )
    if problem := _assessor_problem(actor=actor, assessor=assessor):
        raise ValidationError({"assessor": problem})
    if AssessorAssignment.objects.filter(application=application, assessor=assessor).exists():
        raise ValidationError({"assessor": f"{assessor} is already assigned to {application}; select someone else"})
    assignment = AssessorAssignment(application=application, assessor=assessor, assigned_by=actor)
    save_with_history(assignment, actor=actor, reason=f"Assigned {assessor}")
    _assignment_email([assignment], assessor)
    return assignment


@transaction.atomic
def assessors_assign_round(*, actor, round: GrantRound, assessors) -> list[AssessorAssignment]:  # noqa: A002
    """Assign the same assessors to every eligible application of a round at once. Pairs already assigned are
    left as they are, so running it again after more applications become eligible assigns only the new ones."""
    require(actor, "grants.assign_assessors", round)
    assessors = list(assessors or [])
    if not assessors:
        raise ValidationError({"assessors": "Select at least one assessor"})
    problems = [problem for a in assessors if (problem := _assessor_problem(actor=actor, assessor=a))]
    if problems:
        raise ValidationError({"assessors": problems})
    round = round_begin_assessment(actor=actor, grant_round=round)
    applications = list(
        Application.objects.select_for_update()
        .filter(round=round, status=Application.Status.ELIGIBLE)
        .order_by("reference")
    )
    if not applications:
        raise ValidationError(
            f"{round} has no eligible applications; check the submitted applications' eligibility first"
        )
    existing = set(
        AssessorAssignment.objects.filter(application__in=applications).values_list("application_id", "assessor_id")
    )
    created = []
    for assessor in assessors:
        theirs = []
        for application in applications:
            if (application.pk, assessor.pk) in existing:
                continue
            assignment = AssessorAssignment(application=application, assessor=assessor, assigned_by=actor)
            save_with_history(assignment, actor=actor, reason=f"Assigned {assessor} (whole round)")
            theirs.append(assignment)
        if theirs:
            _assignment_email(theirs, assessor)
        created += theirs
    return created


# --- Declaring interests ---------------------------------------------------------------------------------


@transaction.atomic
def assessor_declare(
    *, actor, assignment: AssessorAssignment, has_conflict: bool, details: str = ""
) -> AssessorAssignment:
    """The assessor declares whether they have a conflict of interest before they may open the application
    (DOMAIN.md: "evaluators see only what they are assigned, after declaring interests"; Procurement Act 2023
    ss81-83). A declared conflict is final: they never open it, and the officer who assigned them is told so
    they can assign someone else."""
    require(actor, "grants.view_my_assessments")
    assignment = evaluation.lock_assignment(KIND, assignment, "application", "assigned_by")
    application = assignment.application
    closed = ""
    if application.status != Application.Status.ELIGIBLE:
        closed = f"Assessment of {application} has finished; it is {_status(application)}"
    evaluation.declare(actor=actor, assignment=assignment, has_conflict=has_conflict, details=details, closed=closed)
    if has_conflict:
        send_on_commit(
            recipients=[assignment.assigned_by.email],
            subject=f"Conflict of interest declared on {application}",
            template="grants/assess/email/conflict.txt",
            context={
                "assignment": assignment,
                "application": application,
                "link": link("grants:assessor_assign", application.pk),
            },
        )
    return assignment


# --- Scoring ---------------------------------------------------------------------------------------------


@transaction.atomic
def assessment_scores_save(
    *, actor, assignment: AssessorAssignment, scores: dict, submit: bool = False
) -> AssessorAssignment:
    """Save the assessor's own scores, 0 to 5 against each criterion's descriptors, each with a comment; with
    submit=True every criterion must be scored and the scores become final. Errors are reported under
    score_<criterion id> and comment_<criterion id>. Nothing is saved when anything is wrong.

    `scores` maps criterion id to (score, comment); a criterion left out, or given neither, is left as it was.
    """
    assignment = evaluation.lock_assignment(KIND, assignment, "application__round")
    require(actor, "grants.assess_application", assignment)
    application = assignment.application
    closed = ""
    if application.status != Application.Status.ELIGIBLE:
        closed = f"Scoring of {application} has closed; it is {_status(application)}"
    return evaluation.scores_save(
        kind=KIND,
        actor=actor,
        assignment=assignment,
        criteria=_criteria_by_id(application.round),
        scores=scores,
        submit=submit,
        closed=closed,
        owner="round",
    )


# --- Moderation ------------------------------------------------------------------------------------------


@transaction.atomic
def moderation_record(*, actor, application: Application, scores: dict, rationale: str) -> Moderation:
    """Record the moderation meeting's consensus: an agreed score for each criterion and the rationale. The
    weighted score is Σ(score ÷ 5 × weight) out of 100, and the application becomes "Scored" (moderated).
    Moderation needs at least GRANTS_MIN_ASSESSORS submitted assessments (default 1) from assessors without a
    conflict of interest; assessors who have not submitted by then can no longer score."""
    require(actor, "grants.moderate", application)
    application = _lock_application(application)
    if application.status != Application.Status.ELIGIBLE:
        raise ValidationError(
            f"{application} is {_status(application)}; only an eligible application being assessed can be moderated"
        )
    moderation = evaluation.moderate(
        kind=KIND,
        actor=actor,
        subject=application,
        criteria=_criteria_by_id(application.round),
        scores=scores,
        rationale=rationale,
        needed=min_assessors(),
        owner="round",
        owner_label=str(application.round),
    )
    result = moderation.weighted_score
    application.status = Application.Status.MODERATED
    save_with_history(application, actor=actor, reason=f"Moderated: {result} out of 100")
    return moderation


# --- Recommendation --------------------------------------------------------------------------------------


def round_recommended_total(grant_round: GrantRound, *, excluding: Application | None = None) -> Decimal:
    """What the panel has recommended (or the PCC awarded) in the round so far."""
    rows = Application.objects.filter(round=grant_round, status__in=COUNTED_AGAINST_BUDGET)
    if excluding is not None:
        rows = rows.exclude(pk=excluding.pk)
    return rows.aggregate(total=Sum("recommended_amount"))["total"] or Decimal("0.00")


@transaction.atomic
def application_recommend(
    *, actor, application: Application, recommend: bool, amount=None, note: str = ""
) -> Application:
    """The panel's recommendation to the PCC for a moderated application: recommend an amount (no more than
    requested, within the scheme's limits, and keeping the round's recommended total within its budget) or
    not recommend, with the reason. It may be changed until the PCC decides."""
    require(actor, "grants.recommend", application)
    # Lock the round first: two recommendations at once must not both fit the same money.
    grant_round = GrantRound.objects.select_for_update().select_related("scheme").get(pk=application.round_id)
    application = _lock_application(application)
    allowed = (Application.Status.MODERATED, Application.Status.RECOMMENDED, Application.Status.NOT_RECOMMENDED)
    if application.status not in allowed or application.decision_id:
        raise ValidationError(
            f"{application} is {_status(application)}; a recommendation can be recorded only for a scored "
            "application before the PCC decides"
        )
    note = (note or "").strip()
    if recommend:
        amount = _recommended_amount(application=application, grant_round=grant_round, amount=amount)
        application.status = Application.Status.RECOMMENDED
        application.recommended_amount = amount
        reason = f"Recommended: {format_money(amount)}"
    else:
        if not note:
            raise ValidationError(
                {"note": "Enter why the application is not recommended; the applicant is told the reason"}
            )
        application.status = Application.Status.NOT_RECOMMENDED
        application.recommended_amount = None
        reason = "Not recommended"
    application.recommendation_note = note
    save_with_history(application, actor=actor, reason=reason)
    return application


def _recommended_amount(*, application: Application, grant_round: GrantRound, amount) -> Decimal:
    if amount is None or amount == "":
        raise ValidationError({"amount": "Enter the amount to recommend"})
    try:
        amount = to_money(amount)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"amount": "Enter an amount in pounds and pence, like 1250.50"}) from exc
    scheme = grant_round.scheme
    requested = application.amount_requested
    if requested is not None and amount > requested:
        raise ValidationError({"amount": f"Enter an amount no more than the {format_money(requested)} requested"})
    if not scheme.min_award <= amount <= scheme.max_award:
        raise ValidationError(
            {
                "amount": f"Enter an amount from {format_money(scheme.min_award)} to {format_money(scheme.max_award)}, "
                f"the limits of the {scheme.name}"
            }
        )
    others = round_recommended_total(grant_round, excluding=application)
    if others + amount > grant_round.budget:
        left = max(grant_round.budget - others, Decimal("0.00"))
        raise ValidationError(
            {
                "amount": f"Recommending {format_money(amount)} would take the round's recommended total to "
                f"{format_money(others + amount)}, over its budget of {format_money(grant_round.budget)}. "
                f"Recommend {format_money(left)} or less, or reduce another recommendation first"
            }
        )
    return amount
