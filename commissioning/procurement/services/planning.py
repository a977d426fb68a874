"""Strategic planning (issue 10, point 1): the case, its needs assessment, the review of current resources and of
priorities, engagement and consultation, the recommendation and the approval to proceed by the role the profile
names. When that role is the Police and Crime Commissioner the approval is also a numbered decision record."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.accounts.roles import Role
from commissioning.core.authority import acting_with_authority
from commissioning.core.services import require, save_with_history, save_with_reference
from commissioning.procurement.models import (
    ApprovalAction,
    CaseStage,
    CommissioningCase,
    Engagement,
    ResourceReview,
)
from commissioning.procurement.services._common import advance, named_approver
from commissioning.strategy.models import LegalBasis
from commissioning.strategy.services import decision_record_create

CASE_FIELDS = (
    "title",
    "need_summary",
    "estimated_value",
    "contract_starts_on",
    "contract_months",
    "procurement_starts_on",
    "light_touch",
    "fund",
    "lead_officer",
)
NEEDS_FIELDS = ("problem", "evidence", "data_sources", "groups_affected")
PRIORITY_FIELDS = ("priority_fit", "responsibility", "responsibility_notes", "partner")
# Changing these after the route is chosen would leave the route worked out from other facts.
ROUTE_FACTS = ("estimated_value", "procurement_starts_on", "light_touch")
MANAGE = "procurement.manage_case"


@transaction.atomic
def case_create(*, actor, priorities=(), **data) -> CommissioningCase:
    require(actor, MANAGE)
    case = CommissioningCase(**{name: data.get(name) for name in CASE_FIELDS if name in data})
    if case.lead_officer is None:
        case.lead_officer = actor
    year = timezone.localdate().year
    save_with_reference(case, prefix=f"PC-{year}-", actor=actor, reason="Case opened")
    if priorities:
        case.priorities.set(priorities)
    return case


@transaction.atomic
def case_update(*, actor, case: CommissioningCase, data: dict, reason: str = "") -> CommissioningCase:
    require(actor, MANAGE, case)
    case = CommissioningCase.objects.select_for_update().get(pk=case.pk)
    priorities = data.pop("priorities", None)
    plan = getattr(case, "route_plan", None)
    if plan is not None and plan.chosen_route:
        changed = [name for name in ROUTE_FACTS if name in data and data[name] != getattr(case, name)]
        if changed:
            raise ValidationError({changed[0]: "The route to market has been chosen from this; it cannot change now"})
    for name in CASE_FIELDS:
        if name in data:
            setattr(case, name, data[name])
    save_with_history(case, actor=actor, reason=reason or "Case details changed")
    if priorities is not None:
        case.priorities.set(priorities)
    if plan is not None and not plan.chosen_route:
        plan.delete()  # worked out from the old facts: work it out again
    return case


@transaction.atomic
def needs_update(*, actor, case: CommissioningCase, priorities=None, **data) -> CommissioningCase:
    require(actor, MANAGE, case)
    for name in NEEDS_FIELDS:
        if name in data:
            setattr(case, name, (data[name] or "").strip())
    errors = {}
    for name, message in (
        ("problem", "Enter the problem or gap the need comes from"),
        ("evidence", "Enter the evidence of the need"),
        ("groups_affected", "Enter the groups affected"),
    ):
        if not getattr(case, name):
            errors[name] = message
    save_with_history(case, actor=actor, reason="Needs assessment recorded", errors=errors)
    if priorities is not None:
        case.priorities.set(priorities)
    return case


@transaction.atomic
def priorities_review_update(*, actor, case: CommissioningCase, **data) -> CommissioningCase:
    require(actor, MANAGE, case)
    for name in PRIORITY_FIELDS:
        if name in data:
            value = data[name]
            setattr(case, name, value.strip() if isinstance(value, str) else value)
    errors = {}
    if not case.priority_fit:
        errors["priority_fit"] = "Enter how the need fits the Police and Crime Plan"
    if not case.responsibility:
        errors["responsibility"] = "Select whose responsibility the need is"
    elif case.responsibility in ("partner", "co_commissioning") and case.partner_id is None:
        errors["partner"] = "Select the partner responsible or co-commissioning"
    save_with_history(case, actor=actor, reason="Review of priorities recorded", errors=errors)
    return case


@transaction.atomic
def resource_add(*, actor, case: CommissioningCase, **data) -> ResourceReview:
    require(actor, MANAGE, case)
    review = ResourceReview(case=case, recorded_by=actor, **data)
    errors = {}
    if review.service_id is None and not review.description.strip():
        errors["service"] = "Select a service from the register, or describe the resource"
    save_with_history(review, actor=actor, reason="Current resource reviewed", errors=errors)
    return review


@transaction.atomic
def engagement_add(*, actor, case: CommissioningCase, **data) -> Engagement:
    require(actor, MANAGE, case)
    engagement = Engagement(case=case, recorded_by=actor, **data)
    errors = {}
    if engagement.held_on and engagement.held_on > timezone.localdate():
        errors["held_on"] = "The date must be today or in the past"
    save_with_history(engagement, actor=actor, reason="Engagement recorded", errors=errors)
    advance(case, CaseStage.CONSULTATION, actor=actor, reason="Engagement and consultation under way")
    return engagement


def recommendation_problems(case: CommissioningCase) -> list[str]:
    """What must be done before a recommendation can be made."""
    problems = []
    if not case.needs_assessed:
        problems.append("Complete the needs assessment")
    if not case.responsibility:
        problems.append("Record the review of priorities")
    if not case.engagements.exists():
        problems.append("Record at least one engagement or consultation")
    return problems


@transaction.atomic
def recommend(*, actor, case: CommissioningCase, recommendation: str) -> CommissioningCase:
    require(actor, MANAGE, case)
    if case.approved_to_proceed:
        raise ValidationError({"recommendation": "The case has already been approved to proceed"})
    problems = recommendation_problems(case)
    if problems:
        raise ValidationError({"recommendation": f"{problems[0]} before making a recommendation"})
    case.recommendation = recommendation.strip()
    case.recommended_by = actor
    case.recommended_on = timezone.localdate()
    save_with_history(
        case,
        actor=actor,
        reason="Recommendation made",
        errors={} if case.recommendation else {"recommendation": "Enter the recommendation"},
    )
    advance(case, CaseStage.APPROVAL, actor=actor, reason="Waiting for approval to proceed")
    return case


@transaction.atomic
def approve_to_proceed(*, actor, case: CommissioningCase, approve: bool, note: str) -> CommissioningCase:
    """The role the profile names approves (or declines) the recommendation; declining closes the case."""
    require(actor, "procurement.approve_proceed", case)
    role = named_approver(actor, ApprovalAction.PROCEED)
    case = CommissioningCase.objects.select_for_update().get(pk=case.pk)
    if not case.recommendation or case.stage != CaseStage.APPROVAL:
        raise ValidationError({"approve": "There is no recommendation waiting for approval"})
    if not note.strip():
        raise ValidationError({"note": "Enter the reasons for the decision"})
    today = timezone.localdate()
    if role == Role.PCC:
        # The Commissioner's approval is a numbered, published decision (ADR 0003: the same person, allowed to
        # record it).
        case.approval_decision = decision_record_create(
            actor=acting_with_authority(actor, {"strategy.add_decisionrecord"}),
            subject=f"Commissioning case {case.reference}: {case.title}"[:250],
            legal_basis=LegalBasis.ASBCPA_2014_S143,
            decision=(
                f"To proceed to commission {case.title} ({case.reference}), as recommended."
                if approve
                else f"Not to proceed with {case.title} ({case.reference})."
            ),
            reasons=note.strip(),
            decided_by=actor,
            decided_on=today,
            amount=case.estimated_value if approve else None,
        )
    case.approval_note = note.strip()
    case.approved_as = role
    if approve:
        case.approved_by, case.approved_on = actor, today
        case.stage = CaseStage.MARKET
        reason = "Approved to proceed"
    else:
        case.stage = CaseStage.CLOSED
        reason = "Not approved to proceed: case closed"
    save_with_history(case, actor=actor, reason=reason)
    return case
