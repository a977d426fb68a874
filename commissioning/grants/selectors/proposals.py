"""Reads for one-off proposals, scoped to what the person may see, with the query shape decided here.

OPCC staff and auditors see every approach. Someone who acts for an outside organisation sees only their
organisation's approaches, and only once a Proposal Form has been asked for (permissions/proposals.py).
"""

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from commissioning.core.history import HistoryEntry, history_entries, newest_first
from commissioning.funds.models import FinancialYear, Fund
from commissioning.grants.models import Approach, ProposalAssessment, ProposalForm
from commissioning.grants.permissions.proposals import INVITED_OR_LATER, is_outside_user
from commissioning.grants.services.proposals import SCORE_DESCRIPTORS
from commissioning.organisations.models import Organisation
from commissioning.strategy.models import Priority


def approaches_visible_to(user) -> QuerySet[Approach]:
    if user.has_perm("grants.view_approaches"):
        return Approach.objects.all()
    if is_outside_user(user) and user.organisation_id:
        return Approach.objects.filter(organisation_id=user.organisation_id, status__in=INVITED_OR_LATER)
    return Approach.objects.none()


def approach_list(*, user, status: str = "") -> QuerySet[Approach]:
    """The Commissioning Manager's queue: newest received first, with the organisation and who logged it.
    One query a page."""
    approaches = approaches_visible_to(user).select_related("organisation", "logged_by")
    if status:
        approaches = approaches.filter(status=status)
    return approaches.order_by("-received_on", "-id")


def approach_status_counts(*, user) -> list[dict]:
    """How many approaches are in each status, in the workflow's order (one query)."""
    rows = approaches_visible_to(user).order_by().values("status").annotate(count=Count("id"))
    counts = {row["status"]: row["count"] for row in rows}
    return [{"value": value, "label": label, "count": counts.get(value, 0)} for value, label in Approach.Status.choices]


def approach_get_for_user(*, user, pk) -> Approach:
    """One approach with its Proposal Form, assessment, decision and agreement; 404 when the person may not
    see it. A fixed number of queries."""
    queryset = (
        approaches_visible_to(user)
        .select_related(
            "organisation",
            "logged_by",
            "triaged_by",
            "decision",
            "agreement__service",
            "proposal__submitted_by",
            "proposal__assessment__assessed_by",
            "proposal__assessment__fund",
        )
        .prefetch_related(Prefetch("proposal__priorities", queryset=Priority.objects.select_related("pillar")))
    )
    try:
        return queryset.get(pk=pk)
    except Approach.DoesNotExist as exc:
        raise Http404(f"No approach {pk} for this user") from exc


def proposal_of(approach: Approach) -> ProposalForm | None:
    """The approach's Proposal Form, when there is one (uses the selector's select_related)."""
    try:
        return approach.proposal
    except ProposalForm.DoesNotExist:
        return None


def assessment_of(approach: Approach) -> ProposalAssessment | None:
    proposal = proposal_of(approach)
    if proposal is None:
        return None
    try:
        return proposal.assessment
    except ProposalAssessment.DoesNotExist:
        return None


def approach_activity(*, approach: Approach, limit: int = 50) -> list[HistoryEntry]:
    """The approach's log with its Proposal Form's and assessment's, newest first (a few queries)."""
    logs = [history_entries(approach.history.all(), subject=lambda row: "approach", limit=limit)]
    proposal = proposal_of(approach)
    if proposal is not None:
        logs.append(
            history_entries(
                ProposalForm.history.filter(id=proposal.pk), subject=lambda row: "Proposal Form", limit=limit
            )
        )
        assessment = assessment_of(approach)
        if assessment is not None:
            logs.append(
                history_entries(
                    ProposalAssessment.history.filter(id=assessment.pk), subject=lambda row: "assessment", limit=limit
                )
            )
    return newest_first(*logs, limit=limit)


# Choices for the forms -------------------------------------------------------------------------------------


def organisations_for_approach() -> QuerySet[Organisation]:
    """Active organisations that may approach the PCC for money: everyone but the OPCC itself."""
    return Organisation.objects.filter(is_active=True).exclude(kind=Organisation.Kind.OPCC).order_by("name")


def priorities_for_proposals() -> QuerySet[Priority]:
    """The current plan's priorities, or every plan's when none is marked current."""
    priorities = Priority.objects.select_related("pillar__plan")
    if priorities.filter(pillar__plan__is_current=True).exists():
        priorities = priorities.filter(pillar__plan__is_current=True)
    return priorities.order_by("pillar__plan", "pillar__number", "code")


def funds_to_pay_from() -> QuerySet[Fund]:
    return Fund.objects.order_by("order", "name")


def open_years() -> QuerySet[FinancialYear]:
    return FinancialYear.objects.filter(status=FinancialYear.Status.OPEN).order_by("start_year")


SCORE_LABELS = {
    "fit_with_priorities": "Fit with the Police and Crime Plan priorities",
    "evidence_of_need": "Evidence of need",
    "value_for_money": "Value for money",
    "deliverability": "Deliverability",
}


def assessment_scores(assessment: ProposalAssessment | None) -> list[dict]:
    """The four scores with their labels and written descriptors, for showing."""
    if assessment is None:
        return []
    return [
        {"label": label, "value": getattr(assessment, name), "descriptor": SCORE_DESCRIPTORS[getattr(assessment, name)]}
        for name, label in SCORE_LABELS.items()
    ]
