"""The route to market of a case (issue 10, point 4): worked out from its facts and the dated configuration
(route_rules), chosen by the officer (the required route or a stricter one, with a reason), or replaced by a direct
award when an exemption with its legal justification is approved by the role the profile names."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.core.services import require, save_with_history
from commissioning.procurement.models import (
    ApprovalAction,
    CaseStage,
    CommissioningCase,
    Exemption,
    ExemptionStatus,
    ProcurementRoute,
    RouteAssessment,
)
from commissioning.procurement.services import route_rules
from commissioning.procurement.services._common import advance, named_approver
from commissioning.procurement.services.notices import notices_require

MANAGE = "procurement.manage_case"


def begins_on(case: CommissioningCase):
    """The date the procurement begins: the case's, or today while it has none."""
    return case.procurement_starts_on or timezone.localdate()


def plan_for(case: CommissioningCase, *, direct_award: bool = False) -> route_rules.RoutePlan:
    """The route the case's facts require now (route_rules.RouteProblem when they are missing)."""
    if case.estimated_value is None:
        raise route_rules.RouteProblem("Enter the estimated whole-life value before working out the route")
    return route_rules.work_out(
        value=case.estimated_value,
        begins_on=begins_on(case),
        light_touch=case.light_touch,
        market_engagement=case.market_events.exists(),
        direct_award=direct_award,
    )


def _problem(exc: route_rules.RouteProblem, field: str = "route") -> ValidationError:
    return ValidationError({field: str(exc)})


@transaction.atomic
def route_work_out(*, actor, case: CommissioningCase) -> RouteAssessment:
    """Work out and keep what the case requires; a route already chosen must be chosen again if this changes."""
    require(actor, MANAGE, case)
    case = CommissioningCase.objects.select_for_update().get(pk=case.pk)
    if not case.approved_to_proceed:
        raise ValidationError({"route": "The case must be approved to proceed first"})
    try:
        plan = plan_for(case)
    except route_rules.RouteProblem as exc:
        raise _problem(exc) from exc
    assessment = RouteAssessment.objects.filter(case=case).first() or RouteAssessment(case=case)
    values = {
        "value": plan.value,
        "starts_on": plan.begins_on,
        "light_touch": plan.light_touch,
        "regime": plan.regime,
        "tier": plan.tier,
        "threshold": plan.threshold,
        "above_threshold": plan.above_threshold,
        "required_route": plan.required_route,
        "quotes_required": plan.quotes_required,
        "procedures": list(plan.procedures),
        "standstill": plan.standstill,
    }
    changed = any(getattr(assessment, name, None) != value for name, value in values.items())
    for name, value in values.items():
        setattr(assessment, name, value)
    assessment.worked_out_on = timezone.localdate()
    if changed and assessment.chosen_route and assessment.chosen_route != ProcurementRoute.DIRECT_AWARD:
        assessment.chosen_route, assessment.chosen_quotes, assessment.chosen_by, assessment.chosen_on = (
            "",
            None,
            None,
            None,
        )
        case.route = ""
    save_with_history(assessment, actor=actor, reason="Route to market worked out")
    case.regime = plan.regime
    save_with_history(case, actor=actor, reason=f"Regime worked out: {plan.regime_name}")
    return assessment


@transaction.atomic
def route_choose(*, actor, case: CommissioningCase, route: str, quotes: int | None = None, reason: str = ""):
    """Choose the route: the required one or a stricter one (a reason is needed for stricter), never looser."""
    require(actor, MANAGE, case)
    case = CommissioningCase.objects.select_for_update().get(pk=case.pk)
    assessment = RouteAssessment.objects.filter(case=case).first()
    if assessment is None:
        raise ValidationError({"route": "Work out the route before choosing it"})
    if not case.specifications.filter(status="approved").exists():
        raise ValidationError({"route": "The specification must be approved before the route is chosen"})
    try:
        plan = plan_for(case)
        route_rules.check_choice(plan, route=route, quotes=quotes)
    except route_rules.RouteProblem as exc:
        raise _problem(exc, "quotes" if route == ProcurementRoute.QUOTES and "quote" in str(exc) else "route") from exc
    stricter = route_rules.is_stricter(plan, route=route, quotes=quotes)
    if stricter and not reason.strip():
        raise ValidationError({"reason": "Enter why you chose a stricter route than the standing orders require"})
    assessment.chosen_route = route
    assessment.chosen_quotes = quotes if route == ProcurementRoute.QUOTES else None
    assessment.reason = reason.strip()
    assessment.chosen_by, assessment.chosen_on = actor, timezone.localdate()
    save_with_history(assessment, actor=actor, reason="Route chosen")
    case.route, case.regime = route, plan.regime
    save_with_history(case, actor=actor, reason=f"Route chosen: {ProcurementRoute(route).label}")
    notices_require(actor=actor, case=case, required=plan.notices)
    advance(case, CaseStage.TENDER, actor=actor, reason="Route chosen")
    return assessment


@transaction.atomic
def exemption_request(*, actor, case: CommissioningCase, ground: str, justification: str, supplier: str):
    require(actor, MANAGE, case)
    if case.exemptions.filter(status=ExemptionStatus.PENDING).exists():
        raise ValidationError({"ground": "An exemption is already waiting for approval"})
    exemption = Exemption(
        case=case,
        ground=ground,
        justification=justification.strip(),
        supplier=supplier.strip(),
        requested_by=actor,
        requested_on=timezone.localdate(),
    )
    errors = {} if case.approved_to_proceed else {"ground": "The case must be approved to proceed first"}
    save_with_history(exemption, actor=actor, reason="Exemption requested", errors=errors)
    return exemption


@transaction.atomic
def exemption_decide(*, actor, exemption: Exemption, approve: bool, note: str) -> Exemption:
    """Only the role the profile names approves, and never the person who asked. Approval makes the route a direct
    award, with the notices the law then wants (a transparency notice under the Act)."""
    require(actor, "procurement.approve_exemption", exemption.case)
    role = named_approver(actor, ApprovalAction.EXEMPTION)
    exemption = Exemption.objects.select_for_update().select_related("case").get(pk=exemption.pk)
    if exemption.status != ExemptionStatus.PENDING:
        raise ValidationError({"approve": "The exemption has already been decided"})
    if exemption.requested_by_id == actor.pk:
        raise ValidationError({"approve": "Someone other than the person who asked must decide the exemption"})
    if not note.strip():
        raise ValidationError({"note": "Enter the reasons for the decision"})
    case = exemption.case
    plan = None
    if approve:
        try:
            plan = plan_for(case, direct_award=True)
        except route_rules.RouteProblem as exc:
            raise _problem(exc, "approve") from exc
    exemption.status = ExemptionStatus.APPROVED if approve else ExemptionStatus.REFUSED
    exemption.decided_by, exemption.decided_as, exemption.decided_on = actor, role, timezone.localdate()
    exemption.decision_note = note.strip()
    save_with_history(exemption, actor=actor, reason="Exemption approved" if approve else "Exemption refused")
    if approve:
        case.route, case.regime = ProcurementRoute.DIRECT_AWARD, plan.regime
        save_with_history(case, actor=actor, reason="Direct award under an approved exemption")
        notices_require(actor=actor, case=case, required=plan.notices)
        advance(case, CaseStage.AWARD, actor=actor, reason="Direct award approved")
    return exemption
