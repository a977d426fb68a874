"""The home page: each role's own work first, gathered from the business apps' selectors (through the areas in
commissioning/home/areas/). A role's page is a list of areas ("Applications to score", "Payments due", ...), in the
order below; an area with nothing waiting is left out unless it says what is empty (a provider's services).
"""

import datetime as dt

from django.utils import timezone

from commissioning.accounts.roles import OPCC_STAFF, READ_ONLY_ROLES, Role
from commissioning.home.areas import Area
from commissioning.home.areas.money import (
    commitments_to_approve,
    commitments_to_commit,
    payments_due,
    repayments_to_receive,
    transfers_to_decide,
)
from commissioning.home.areas.outside import (
    co_funded_services,
    offers_to_answer,
    opportunities_open,
    proposal_forms,
    reports_to_send,
    returns_to_send,
    your_applications,
    your_services,
)
from commissioning.home.areas.staff import (
    agreements_to_end,
    applications_to_score,
    approaches_to_triage,
    commissioning_cases,
    innovation_to_approve,
    overdue_reports,
    proposals_to_assess,
    proposals_to_decide,
    reports_to_sign_off,
    returns_to_check,
    rounds_to_decide,
    rounds_to_progress,
    safety_fund_reviews_to_approve,
    safety_fund_reviews_to_prepare,
    signatures,
    strategic_reviews_to_carry_out,
    strategic_reviews_to_decide,
    strategy_drafts,
    strategy_reviews_due,
    variations_to_approve,
)
from commissioning.strategy import selectors as strategy_selectors

ORGANISATION_ROLES = frozenset({Role.APPLICANT, Role.PROVIDER, Role.PARTNER, Role.SUPPLIER})

REVIEWERS = (strategy_reviews_due,)
AREAS = {
    Role.PCC: (
        signatures,
        rounds_to_decide,
        proposals_to_decide,
        strategic_reviews_to_decide,
        variations_to_approve,
        innovation_to_approve,
        *REVIEWERS,
    ),
    Role.CFO: (
        signatures,
        commitments_to_approve,
        transfers_to_decide,
        variations_to_approve,
        innovation_to_approve,
        safety_fund_reviews_to_approve,
        strategic_reviews_to_decide,
        *REVIEWERS,
    ),
    Role.CHIEF_EXECUTIVE: (signatures, safety_fund_reviews_to_approve, strategic_reviews_to_decide, *REVIEWERS),
    Role.DIRECTOR_OPERATIONS: (signatures, safety_fund_reviews_to_approve, strategic_reviews_to_decide, *REVIEWERS),
    Role.COMMISSIONING_MANAGER: (
        rounds_to_progress,
        approaches_to_triage,
        proposals_to_assess,
        reports_to_sign_off,
        overdue_reports,
        strategy_drafts,
        returns_to_check,
        commissioning_cases,
        strategic_reviews_to_carry_out,
        agreements_to_end,
        *REVIEWERS,
        safety_fund_reviews_to_prepare,
    ),
    Role.POLICY_OFFICER: (
        rounds_to_progress,
        returns_to_check,
        strategic_reviews_to_carry_out,
        reports_to_sign_off,
        overdue_reports,
        *REVIEWERS,
    ),
    Role.FINANCE_OFFICER: (
        commitments_to_approve,
        payments_due,
        commitments_to_commit,
        repayments_to_receive,
        safety_fund_reviews_to_prepare,
    ),
    Role.APPLICANT: (offers_to_answer, reports_to_send, proposal_forms, your_applications),
    Role.PROVIDER: (returns_to_send, proposal_forms, your_services),
    Role.PARTNER: (proposal_forms, co_funded_services),
    Role.SUPPLIER: (opportunities_open,),
}


def areas_for(user, *, today: dt.date | None = None) -> list[Area]:
    """The role's areas that have something to show, in the role's order. Anyone who may be asked to assess
    (evaluators and OPCC staff) has their applications to score too: first for an evaluator, last for staff."""
    today = today or timezone.localdate()
    role = user.role
    builders = list(AREAS.get(role, ()))
    areas = [build(user, today=today) for build in builders]
    if role == Role.EVALUATOR:
        areas.insert(0, applications_to_score(user, today=today, keep_when_empty=True))
    elif role in OPCC_STAFF:
        areas.append(applications_to_score(user, today=today))
    return [area for area in areas if area.shown]


def dashboard_for(user) -> dict:
    role = user.role
    areas = areas_for(user)
    context = {
        "areas": areas,
        "waiting": [area for area in areas if area.work and area.count],
        "is_staff_member": role in OPCC_STAFF,
        "reads_only": role in READ_ONLY_ROLES,
        "has_work_areas": role in AREAS or role == Role.EVALUATOR or role in OPCC_STAFF,
    }
    if role in OPCC_STAFF or role in READ_ONLY_ROLES:
        context["recent_decisions"] = strategy_selectors.decision_list_for_user(user=user)[:5]
    if user.organisation_id and role in ORGANISATION_ROLES:
        context["organisation"] = user.organisation
    return context
