"""Role × URL expectations for strategic reviews, exits and large contracts (issue 11, points 4 to 6), added to
monitoring's url_matrix. These pages are the OPCC's and its auditors': everyone else gets 403 (none of them is a
record a provider or partner owns)."""

import datetime as dt
from decimal import Decimal

from commissioning.accounts.roles import OPCC_STAFF
from commissioning.agreements.models import Agreement, AgreementExit
from commissioning.agreements.tests.factories import AgreementFactory
from commissioning.monitoring.models import ContractAssessment, StrategicReview
from commissioning.monitoring.tests.factories import ServiceFactory, ServiceKpiFactory
from commissioning.testing.matrix import UrlCase, expect, roles

READERS = [*sorted(r.value for r in OPCC_STAFF), "auditor"]
OFFICERS = ("commissioning_manager", "policy_officer")


def _doers(*doers):
    return expect(403, **roles(*doers, status=200))


READ = expect(403, **roles(*READERS, status=200))
CARRY_OUT = _doers(*OFFICERS)
DECIDE = _doers("pcc")
END = _doers("commissioning_manager", "cfo")
PUBLISH = _doers("commissioning_manager")


def setup(world):
    users = world.users
    service = ServiceFactory(name="Matrix Reviewed Service", starts_on=dt.date(2025, 4, 1))
    world.review_agreement = AgreementFactory(
        service=service, starts_on=dt.date(2025, 4, 1), ends_on=dt.date(2027, 9, 30)
    )
    world.review_in_progress = StrategicReview.objects.create(
        agreement=world.review_agreement,
        agreement_ends_on=world.review_agreement.ends_on,
        due_on=dt.date(2026, 4, 1),
        status=StrategicReview.Status.IN_PROGRESS,
    )
    deciding = AgreementFactory(service=service, starts_on=dt.date(2025, 4, 1), ends_on=dt.date(2027, 6, 30))
    world.review_to_decide = StrategicReview.objects.create(
        agreement=deciding,
        agreement_ends_on=deciding.ends_on,
        due_on=dt.date(2026, 1, 1),
        status=StrategicReview.Status.AWAITING_DECISION,
        outcomes="Met",
        met_need="yes",
        lessons="Some",
        value_for_money="good",
        recommendation="extend",
        recommendation_reasons="Demand continues",
        recommended_by=users["commissioning_manager"],
    )
    ended = AgreementFactory(service=service, starts_on=dt.date(2024, 4, 1), ends_on=dt.date(2026, 9, 30))
    world.agreement_exit = AgreementExit.objects.create(
        agreement=ended,
        kind=AgreementExit.Kind.EXPIRY,
        notice_given_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 9, 30),
        reason="Reached its end date",
        service_users=AgreementExit.ServiceUsers.REFERRED,
        transition_plan="Referred to the county service",
        recorded_by=users["commissioning_manager"],
    )
    large = AgreementFactory(
        service=ServiceFactory(name="Matrix Large Contract Service", starts_on=dt.date(2025, 10, 1)),
        kind=Agreement.Kind.CONTRACT,
        regime=Agreement.Regime.PA_2023,
        value=Decimal("6000000.00"),
        starts_on=dt.date(2025, 10, 1),
        ends_on=dt.date(2030, 9, 30),
    )
    ServiceKpiFactory.create_batch(3, service=large.service, effective_from=dt.date(2025, 10, 1))
    world.large_contract = large
    world.assessment = ContractAssessment.objects.create(
        agreement=large,
        period_starts_on=dt.date(2025, 10, 1),
        period_ends_on=dt.date(2026, 9, 30),
        rating=ContractAssessment.Rating.GOOD,
        narrative="Every KPI met",
        kpis_assessed=3,
        assessed_by=users["policy_officer"],
        assessed_on=dt.date(2026, 10, 20),
    )


CASES = [
    UrlCase("monitoring:strategic_review_list", READ),
    UrlCase("monitoring:strategic_review_list", READ, query="status=in_progress"),
    UrlCase("monitoring:strategic_review_start", CARRY_OUT, kwargs=lambda world: {"pk": world.review_agreement.pk}),
    UrlCase("monitoring:strategic_review_detail", READ, kwargs=lambda world: {"pk": world.review_in_progress.pk}),
    UrlCase("monitoring:strategic_review_detail", READ, kwargs=lambda world: {"pk": world.review_to_decide.pk}),
    UrlCase("monitoring:strategic_review_edit", CARRY_OUT, kwargs=lambda world: {"pk": world.review_in_progress.pk}),
    UrlCase("monitoring:strategic_review_submit", CARRY_OUT, kwargs=lambda world: {"pk": world.review_in_progress.pk}),
    UrlCase("monitoring:strategic_review_decide", DECIDE, kwargs=lambda world: {"pk": world.review_to_decide.pk}),
    UrlCase("monitoring:agreement_exit_start", END, kwargs=lambda world: {"pk": world.review_agreement.pk}),
    UrlCase("monitoring:agreement_exit_detail", READ, kwargs=lambda world: {"pk": world.agreement_exit.pk}),
    UrlCase("monitoring:agreement_exit_complete", END, kwargs=lambda world: {"pk": world.agreement_exit.pk}),
    UrlCase("monitoring:contract_list", READ),
    UrlCase("monitoring:contract_assess", CARRY_OUT, kwargs=lambda world: {"pk": world.large_contract.pk}),
    UrlCase("monitoring:assessment_publish", PUBLISH, kwargs=lambda world: {"pk": world.assessment.pk}),
]
