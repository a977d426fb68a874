"""Role x URL expectations for commissioning cases before the tender (contract in commissioning/testing/matrix.py).

OPCC staff and auditors read cases; the Commissioning Manager and Policy and Commissioning officers change them;
approvals go to the role the profile names (here the Dorset profile's: the PCC approves proceeding, the Commissioning
Manager the specification, the Chief Finance Officer an exemption). Everyone else gets 403. Buttons that only POST
answer a GET with 405 for those allowed to press them.
"""

import datetime as dt
from decimal import Decimal

from commissioning.accounts.roles import OPCC_STAFF
from commissioning.agreements.tests.factories import AgreementFactory
from commissioning.monitoring.models import StrategicReview
from commissioning.monitoring.tests.factories import ServiceFactory
from commissioning.procurement.models import Exemption, MarketQuestion
from commissioning.procurement.tests.factories_planning import (
    CommissioningCaseFactory,
    EngagementFactory,
    MarketEventFactory,
    SpecificationFactory,
    SpecificationKpiFactory,
    assessed,
    procurement_config,
)
from commissioning.testing.matrix import UrlCase, expect, roles

STAFF = sorted(r.value for r in OPCC_STAFF)
READERS = expect(403, **roles(*STAFF, "auditor", status=200))
OFFICERS = expect(403, commissioning_manager=200, policy_officer=200)
OFFICERS_POST_ONLY = expect(403, commissioning_manager=405, policy_officer=405)
PCC = expect(403, pcc=200)
CFO = expect(403, cfo=200)
CM_POST_ONLY = expect(403, commissioning_manager=405)


def setup(world):
    users = world.users
    officer, manager, pcc = users["policy_officer"], users["commissioning_manager"], users["pcc"]
    procurement_config()
    world.plan_case_new = CommissioningCaseFactory(reference="PC-2030-0001", lead_officer=officer)
    waiting = assessed(CommissioningCaseFactory(reference="PC-2030-0002", lead_officer=officer))
    EngagementFactory(case=waiting, recorded_by=officer)
    waiting.recommendation, waiting.recommended_by, waiting.recommended_on = (
        "Commission it",
        manager,
        waiting.created_at.date(),
    )
    waiting.stage = "approval"
    waiting.save()
    world.plan_case_waiting = waiting
    approved = assessed(CommissioningCaseFactory(reference="PC-2030-0003", lead_officer=officer))
    approved.approved_by, approved.approved_on, approved.approved_as, approved.stage = (
        pcc,
        approved.created_at.date(),
        "pcc",
        "route",
    )
    approved.estimated_value = Decimal("250000.00")
    approved.save()
    world.plan_case_approved = approved
    world.plan_event = MarketEventFactory(case=approved, recorded_by=officer)
    world.plan_question = MarketQuestion.objects.create(event=world.plan_event, question="Is TUPE likely to apply?")
    world.plan_spec = SpecificationFactory(case=approved, created_by=officer)
    SpecificationKpiFactory(specification=world.plan_spec)
    world.review_awaiting_case = review_awaiting_case(decided_by=pcc)
    Exemption.objects.create(
        case=approved,
        ground="urgency",
        justification="The current provider has stopped trading.",
        supplier="Safe Futures CIC",
        requested_by=officer,
        requested_on=approved.created_at.date(),
    )


def review_awaiting_case(*, decided_by, name="Matrix Re-tendered Service") -> StrategicReview:
    """A strategic review decided as a re-tender whose commissioning case has not been started."""
    agreement = AgreementFactory(
        service=ServiceFactory(name=name, starts_on=dt.date(2024, 4, 1)),
        starts_on=dt.date(2024, 4, 1),
        ends_on=dt.date(2027, 3, 31),
    )
    return StrategicReview.objects.create(
        agreement=agreement,
        agreement_ends_on=agreement.ends_on,
        due_on=dt.date(2026, 7, 1),
        status=StrategicReview.Status.DECIDED,
        outcomes="Most outcomes met; referrals from the east of the county fell short",
        met_need="partly",
        lessons="Outreach needs its own funding line",
        value_for_money="good",
        recommendation="retender",
        recommendation_reasons="The need continues and the market has changed",
        decision="retender",
        decision_reasons="Re-tender with an outreach lot",
        decided_by=decided_by,
        decided_on=dt.date(2026, 10, 1),
    )


def _pk(attribute):
    return lambda world: {"pk": getattr(world, attribute).pk}


def _approved(**extra):
    return lambda world: {"pk": world.plan_case_approved.pk, **{k: v(world) for k, v in extra.items()}}


CASES = [
    UrlCase("procurement:case_list", READERS),
    UrlCase("procurement:case_list", READERS, query="stage=needs&search=PC"),
    UrlCase("procurement:pipeline", READERS),
    UrlCase("procurement:pipeline", READERS, query="stage=route"),
    UrlCase("procurement:case_create", OFFICERS),
    UrlCase("procurement:case_from_review", OFFICERS, kwargs=lambda w: {"review_pk": w.review_awaiting_case.pk}),
    UrlCase("procurement:case_detail", READERS, kwargs=_pk("plan_case_new")),
    UrlCase("procurement:case_detail", READERS, kwargs=_pk("plan_case_waiting")),
    UrlCase("procurement:case_detail", READERS, kwargs=_pk("plan_case_approved")),
    UrlCase("procurement:case_edit", OFFICERS, kwargs=_pk("plan_case_new")),
    UrlCase("procurement:needs_edit", OFFICERS, kwargs=_pk("plan_case_new")),
    UrlCase("procurement:priorities_edit", OFFICERS, kwargs=_pk("plan_case_new")),
    UrlCase("procurement:resource_add", OFFICERS, kwargs=_pk("plan_case_new")),
    UrlCase("procurement:engagement_add", OFFICERS, kwargs=_pk("plan_case_new")),
    UrlCase("procurement:recommend", OFFICERS, kwargs=_pk("plan_case_waiting")),
    UrlCase("procurement:proceed_approve", PCC, kwargs=_pk("plan_case_waiting")),
    UrlCase("procurement:event_add", OFFICERS, kwargs=_pk("plan_case_approved")),
    UrlCase("procurement:event_detail", READERS, kwargs=_approved(event_pk=lambda w: w.plan_event.pk)),
    UrlCase("procurement:question_add", OFFICERS, kwargs=_approved(event_pk=lambda w: w.plan_event.pk)),
    UrlCase("procurement:question_answer", OFFICERS, kwargs=_approved(question_pk=lambda w: w.plan_question.pk)),
    UrlCase("procurement:market_note_add", OFFICERS, kwargs=_pk("plan_case_approved")),
    UrlCase(
        "procurement:notice_record",
        OFFICERS,
        kwargs=_approved(kind=lambda w: "preliminary_market_engagement"),
    ),
    UrlCase("procurement:specification_create", OFFICERS_POST_ONLY, kwargs=_pk("plan_case_approved")),
    UrlCase("procurement:specification_detail", READERS, kwargs=_approved(version=lambda w: 1)),
    UrlCase("procurement:specification_edit", OFFICERS, kwargs=_approved(version=lambda w: 1)),
    UrlCase("procurement:specification_kpi_add", OFFICERS, kwargs=_approved(version=lambda w: 1)),
    UrlCase("procurement:specification_approve", CM_POST_ONLY, kwargs=_approved(version=lambda w: 1)),
    UrlCase("procurement:route", OFFICERS, kwargs=_pk("plan_case_approved")),
    UrlCase("procurement:exemption_request", OFFICERS, kwargs=_pk("plan_case_approved")),
    UrlCase("procurement:exemption_decide", CFO, kwargs=_pk("plan_case_approved")),
]
