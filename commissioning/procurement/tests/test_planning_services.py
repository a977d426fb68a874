"""Services of a commissioning case before the tender: the approver is the role the profile names; the route is
the required one or stricter, never looser; an exemption needs the named role's approval, never the asker's."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.procurement.models import ApprovalRole, CaseStage, Notice
from commissioning.procurement.services import planning, routes, specification
from commissioning.procurement.tests.factories_planning import (
    CommissioningCaseFactory,
    EngagementFactory,
    SpecificationFactory,
    SpecificationKpiFactory,
    assessed,
    procurement_config,
)
from commissioning.strategy.models import DecisionRecord


@pytest.fixture
def config(db):
    procurement_config()


def _recommended(users, **case_fields):
    case = assessed(CommissioningCaseFactory(**case_fields))
    EngagementFactory(case=case)
    return planning.recommend(actor=users["policy_officer"], case=case, recommendation="Commission a service")


def _approved(users, **case_fields):
    case = _recommended(users, **case_fields)
    return planning.approve_to_proceed(actor=users["pcc"], case=case, approve=True, note="Meets a clear need")


def test_a_case_is_numbered_and_a_recommendation_needs_the_planning_done(users, config):
    case = planning.case_create(actor=users["policy_officer"], title="Stalking advocacy", need_summary="A gap")
    assert case.reference.startswith("PC-") and case.stage == CaseStage.NEEDS
    with pytest.raises(ValidationError, match="needs assessment"):
        planning.recommend(actor=users["policy_officer"], case=case, recommendation="Go")


def test_approval_to_proceed_by_the_pcc_is_a_decision_record(users, config):
    case = _recommended(users)
    for role in ("commissioning_manager", "cfo", "policy_officer"):
        with pytest.raises(PermissionDenied):
            planning.approve_to_proceed(actor=users[role], case=case, approve=True, note="Yes")
    case = planning.approve_to_proceed(actor=users["pcc"], case=case, approve=True, note="Meets a clear need")
    assert case.stage == CaseStage.MARKET and case.approved_as == "pcc"
    assert DecisionRecord.objects.get(pk=case.approval_decision_id).decided_by == users["pcc"]


def test_the_profile_names_the_approver_not_the_code(users, config):
    ApprovalRole.objects.filter(action="proceed").update(role="chief_executive")
    case = _recommended(users)
    with pytest.raises(PermissionDenied):
        planning.approve_to_proceed(actor=users["pcc"], case=case, approve=True, note="Yes")
    case = planning.approve_to_proceed(actor=users["chief_executive"], case=case, approve=True, note="Yes")
    assert case.approved_to_proceed and case.approval_decision is None  # only the PCC's is a numbered decision


def test_with_no_approver_configured_nobody_approves(users, config):
    ApprovalRole.objects.filter(action="proceed").delete()
    case = _recommended(users)
    with pytest.raises(PermissionDenied):
        planning.approve_to_proceed(actor=users["pcc"], case=case, approve=True, note="Yes")


def _ready_for_route(users, value):
    case = _approved(users, estimated_value=Decimal(value), procurement_starts_on=dt.date(2026, 11, 1))
    spec = SpecificationFactory(case=case, created_by=users["policy_officer"])
    SpecificationKpiFactory(specification=spec)
    specification.specification_approve(actor=users["commissioning_manager"], spec=spec)
    routes.route_work_out(actor=users["policy_officer"], case=case)
    case.refresh_from_db()
    return case


def test_the_specification_is_approved_by_the_named_role_not_its_author(users, config):
    case = _approved(users)
    spec = specification.specification_create(actor=users["commissioning_manager"], case=case)
    with pytest.raises(ValidationError):
        specification.specification_approve(actor=users["commissioning_manager"], spec=spec)  # sections missing
    specification.specification_update(
        actor=users["commissioning_manager"],
        spec=spec,
        data={name: "Written" for name in specification.SECTIONS},
    )
    specification.specification_kpi_add(actor=users["commissioning_manager"], spec=spec, name="People helped")
    with pytest.raises(ValidationError, match="other than"):
        specification.specification_approve(actor=users["commissioning_manager"], spec=spec)
    with pytest.raises(PermissionDenied):
        specification.specification_approve(actor=users["pcc"], spec=spec)
    second = SpecificationFactory(case=case, version=2, created_by=users["policy_officer"])
    SpecificationKpiFactory(specification=second)
    specification.specification_approve(actor=users["commissioning_manager"], spec=second)
    case.refresh_from_db()
    assert case.stage == CaseStage.ROUTE


def test_the_route_may_be_stricter_never_looser(users, config):
    case = _ready_for_route(users, "60000")  # the Tender tier, below the threshold
    officer = users["policy_officer"]
    with pytest.raises(ValidationError, match="not enough"):
        routes.route_choose(actor=officer, case=case, route="quotes", quotes=5)
    with pytest.raises(ValidationError, match="exemption"):
        routes.route_choose(actor=officer, case=case, route="direct_award")
    routes.route_choose(actor=officer, case=case, route="open")
    case.refresh_from_db()
    assert (case.route, case.regime, case.stage) == ("open", "pa_2023", CaseStage.TENDER)
    assert set(Notice.objects.filter(case=case, required=True).values_list("kind", flat=True)) == {
        "tender",
        "contract_details",
    }


def test_a_stricter_route_needs_a_reason(users, config):
    case = _ready_for_route(users, "5000")  # three written quotes
    with pytest.raises(ValidationError, match="stricter"):
        routes.route_choose(actor=users["policy_officer"], case=case, route="open")
    with pytest.raises(ValidationError, match="at least 3"):
        routes.route_choose(actor=users["policy_officer"], case=case, route="quotes", quotes=2)
    routes.route_choose(actor=users["policy_officer"], case=case, route="quotes", quotes=4, reason="A thin market")


def test_an_exemption_needs_the_named_roles_approval_and_not_the_askers(users, config):
    case = _ready_for_route(users, "250000")
    exemption = routes.exemption_request(
        actor=users["commissioning_manager"],
        case=case,
        ground="urgency",
        justification="The provider stopped trading; victims would be left without support (Schedule 5, 13).",
        supplier="Safe Futures CIC",
    )
    case.refresh_from_db()
    assert case.route == ""  # nothing changes until it is approved
    for role in ("pcc", "commissioning_manager", "chief_executive"):
        with pytest.raises(PermissionDenied):
            routes.exemption_decide(actor=users[role], exemption=exemption, approve=True, note="Yes")
    ApprovalRole.objects.filter(action="exemption").update(role="commissioning_manager")
    with pytest.raises(ValidationError, match="other than"):
        routes.exemption_decide(actor=users["commissioning_manager"], exemption=exemption, approve=True, note="Yes")
    ApprovalRole.objects.filter(action="exemption").update(role="cfo")
    routes.exemption_decide(actor=users["cfo"], exemption=exemption, approve=True, note="Justified by urgency")
    case.refresh_from_db()
    assert (case.route, case.stage) == ("direct_award", CaseStage.AWARD)
    assert set(Notice.objects.filter(case=case, required=True).values_list("kind", flat=True)) == {
        "transparency",
        "contract_details",
    }
