"""One-off proposals, service by service: every transition, every refusal, and what the PCC's approval sets in
train (seed, Section 3, "One-Off Grant Making")."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commissioning.accounts.roles import OPCC_STAFF, Role
from commissioning.agreements.models import Agreement, Service
from commissioning.core.dates import FinancialYear as FY
from commissioning.funds import selectors as fund_selectors
from commissioning.funds import services as fund_services
from commissioning.funds.models import Commitment
from commissioning.funds.tests.factories import FinancialYearFactory, FundFactory, RingFencedFundFactory
from commissioning.grants.models import Approach, ProposalAssessment, ProposalForm
from commissioning.grants.services import proposals as services
from commissioning.organisations.models import Organisation
from commissioning.organisations.tests.factories import OrganisationFactory
from commissioning.strategy.models import DecisionRecord, LegalBasis
from commissioning.strategy.tests.factories import PriorityFactory

pytestmark = pytest.mark.django_db

STAFF = sorted(r.value for r in OPCC_STAFF)
OUTSIDE = ("partner", "provider", "applicant", "evaluator", "panel_member", "auditor")


@pytest.fixture
def fy():
    return FY.for_date(timezone.localdate())


@pytest.fixture
def world(users, fy):
    year = FinancialYearFactory(start_year=fy.start_year)
    fund = FundFactory(code="local-innovation-fund", name="Local Innovation Fund", role="innovation_fund")
    fund_services.budget_set_total(
        actor=users["finance_officer"], fund=fund, year=year, amount="50000", reason="Opening budget"
    )
    return {
        "year": year,
        "fund": fund,
        "organisation": users["applicant"].organisation,
        "priority": PriorityFactory(),
    }


def log(users, world, role="policy_officer", **overrides):
    data = {
        "organisation": world["organisation"],
        "contact_name": "Sam Example",
        "contact_email": "Sam@Example.org",
        "summary": "A youth diversion worker",
        "business_case": "Young people are being drawn into county lines.",
        "amount_sought": "15000",
        "received_on": timezone.localdate(),
    }
    return services.approach_log(actor=users[role], **{**data, **overrides})


def invite(users, approach):
    return services.approach_invite(actor=users["commissioning_manager"], approach=approach, note="Costs and outcomes")


def submit(users, world, approach, role="applicant", **overrides):
    fy = world["year"].fy
    data = {
        "service_name": "Weymouth youth diversion",
        "service_description": "A worker meeting young people referred by schools and the police.",
        "who_it_is_for": "Young people aged 11 to 17 at risk of exploitation.",
        "cost_to_pcc": "15000.00",
        "total_cost": "20000.00",
        "starts_on": fy.starts_on,
        "ends_on": fy.ends_on,
        "outcomes": "Fewer young people drawn into crime.",
        "kpis": "Young people supported; arrests within a year.",
        "partners": "Schools",
        "priorities": [world["priority"]],
    }
    return services.proposal_submit(actor=users[role], approach=approach, **{**data, **overrides})


def assess(users, world, approach, **overrides):
    data = {
        "fit_with_priorities": 4,
        "evidence_of_need": 5,
        "value_for_money": 3,
        "deliverability": 4,
        "risks": "One worker; cover during leave.",
        "commentary": "A strong fit with the plan.",
        "recommendation": ProposalAssessment.Recommendation.FUND,
        "recommended_amount": "15000",
        "fund": world["fund"],
    }
    return services.proposal_assess(actor=users["commissioning_manager"], approach=approach, **{**data, **overrides})


def decide(users, world, approach, *, approve=True, **overrides):
    data = {
        "approve": approve,
        "smt_consulted": True,
        "reasons": "Meets priority 1.1 at good value.",
        "decided_on": timezone.localdate(),
        "amount": "15000",
        "fund": world["fund"],
        "year": world["year"],
    }
    return services.proposal_decide(actor=users["pcc"], approach=approach, **{**data, **overrides})


def assessed(users, world):
    approach = log(users, world)
    invite(users, approach)
    submit(users, world, approach)
    assess(users, world, approach)
    return Approach.objects.get(pk=approach.pk)


# Logging -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF)
def test_any_opcc_staff_member_logs_an_approach_numbered_by_year(users, world, role):
    approach = log(users, world, role=role)
    assert approach.reference == f"APP-{timezone.localdate().year}-0001"
    assert approach.status == Approach.Status.NEW
    assert approach.logged_by == users[role]
    assert approach.contact_email == "sam@example.org"
    assert approach.amount_sought == Decimal("15000.00")
    assert approach.history.first().history_change_reason == "Approach logged"
    assert log(users, world, role=role).reference.endswith("-0002")


@pytest.mark.parametrize("role", OUTSIDE)
def test_people_outside_the_opcc_cannot_log_an_approach(users, world, role):
    with pytest.raises(PermissionDenied):
        log(users, world, role=role)


def test_it_tells_the_commissioning_manager_once_logged(users, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        approach = log(users, world)
    assert [m.to for m in mail.outbox] == [[users["commissioning_manager"].email]]
    assert approach.reference in mail.outbox[0].subject


def test_a_new_organisation_is_added_as_a_voluntary_organisation(users, world):
    approach = log(users, world, role="cfo", organisation=None, new_organisation_name="  Weymouth Youth Trust ")
    organisation = approach.organisation
    assert organisation.name == "Weymouth Youth Trust"
    assert organisation.kind == Organisation.Kind.VCSE
    assert organisation.history.first().history_user == users["cfo"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"organisation": None}, "organisation", "Select the organisation"),
        ({"new_organisation_name": "Another"}, "new_organisation_name", "not both"),
        ({"summary": ""}, "summary", ""),
        ({"business_case": ""}, "business_case", ""),
        ({"received_on": None}, "received_on", "Enter the date"),
        ({"received_on": dt.date(2099, 1, 1)}, "received_on", "today or in the past"),
        ({"amount_sought": "0"}, "amount_sought", "more than £0.00"),
        ({"amount_sought": "lots"}, "amount_sought", "pounds and pence"),
        ({"contact_email": "not an address"}, "contact_email", ""),
    ],
)
def test_bad_approaches_are_refused_and_nothing_is_saved(users, world, overrides, field, message):
    organisations = Organisation.objects.count()
    with pytest.raises(ValidationError) as refused:
        log(users, world, **overrides)
    assert field in refused.value.message_dict
    assert message in " ".join(refused.value.message_dict[field])
    assert not Approach.objects.exists()
    assert Organisation.objects.count() == organisations


def test_a_new_organisation_is_not_added_when_the_approach_is_refused(users, world):
    with pytest.raises(ValidationError):
        log(users, world, organisation=None, new_organisation_name="Brand New Group", summary="")
    assert not Organisation.objects.filter(name="Brand New Group").exists()


def test_an_organisation_already_in_the_directory_is_not_added_twice(users, world):
    with pytest.raises(ValidationError) as refused:
        log(users, world, organisation=None, new_organisation_name=world["organisation"].name.upper())
    assert "already in the directory" in refused.value.message_dict["new_organisation_name"][0]


def test_the_opcc_cannot_approach_itself(users, world):
    opcc = OrganisationFactory(kind=Organisation.Kind.OPCC)
    with pytest.raises(ValidationError) as refused:
        log(users, world, organisation=opcc)
    assert "other than the OPCC" in refused.value.message_dict["organisation"][0]


# Triage ------------------------------------------------------------------------------------------------------


def test_the_commissioning_manager_closes_an_approach_with_a_reason(users, world):
    approach = services.approach_close(
        actor=users["commissioning_manager"], approach=log(users, world), note="Not a plan priority"
    )
    assert approach.status == Approach.Status.CLOSED
    assert approach.triage_note == "Not a plan priority"
    assert approach.triaged_by == users["commissioning_manager"]
    assert approach.history.first().history_change_reason == "Closed: Not a plan priority"


def test_closing_needs_a_reason(users, world):
    approach = log(users, world)
    with pytest.raises(ValidationError) as refused:
        services.approach_close(actor=users["commissioning_manager"], approach=approach, note="  ")
    assert "why" in refused.value.message_dict["note"][0]
    approach.refresh_from_db()
    assert approach.status == Approach.Status.NEW


def test_inviting_a_proposal_form_emails_the_contact(users, world, django_capture_on_commit_callbacks):
    approach = log(users, world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approach = invite(users, approach)
    assert approach.status == Approach.Status.INVITED
    assert approach.triage_note == "Costs and outcomes"
    assert [m.to for m in mail.outbox] == [["sam@example.org"]]
    assert "Costs and outcomes" in mail.outbox[0].body
    assert f"/grants/proposals/{approach.pk}/proposal-form/" in mail.outbox[0].body


def test_inviting_needs_a_note(users, world):
    with pytest.raises(ValidationError) as refused:
        services.approach_invite(actor=users["commissioning_manager"], approach=log(users, world), note="")
    assert "should cover" in refused.value.message_dict["note"][0]


@pytest.mark.parametrize("role", [r for r in STAFF if r != "commissioning_manager"])
def test_only_the_commissioning_manager_triages(users, world, role):
    approach = log(users, world)
    with pytest.raises(PermissionDenied):
        services.approach_invite(actor=users[role], approach=approach, note="Go on")
    with pytest.raises(PermissionDenied):
        services.approach_close(actor=users[role], approach=approach, note="No")


def test_an_approach_is_triaged_once(users, world):
    approach = invite(users, log(users, world))
    with pytest.raises(ValidationError, match="cannot be closed now"):
        services.approach_close(actor=users["commissioning_manager"], approach=approach, note="Changed my mind")
    with pytest.raises(ValidationError, match="invited"):
        invite(users, approach)


# The Proposal Form ---------------------------------------------------------------------------------------------


def test_the_organisations_applicant_completes_the_form(users, world, django_capture_on_commit_callbacks):
    approach = invite(users, log(users, world))
    with django_capture_on_commit_callbacks(execute=True):
        proposal = submit(users, world, approach)
    approach.refresh_from_db()
    assert approach.status == Approach.Status.PROPOSAL_RECEIVED
    assert proposal.submitted_by == users["applicant"]
    assert list(proposal.priorities.all()) == [world["priority"]]
    assert proposal.cost_to_pcc == Decimal("15000.00")
    assert users["commissioning_manager"].email in mail.outbox[-1].to


def test_opcc_staff_complete_the_form_on_the_organisations_behalf(users, world):
    approach = invite(users, log(users, world))
    proposal = submit(users, world, approach, role="finance_officer")
    assert proposal.submitted_by == users["finance_officer"]


@pytest.mark.parametrize("role", ["partner", "provider"])
def test_people_of_other_organisations_cannot_complete_it(users, world, role):
    approach = invite(users, log(users, world))
    with pytest.raises(PermissionDenied):
        submit(users, world, approach, role=role)


def test_the_organisation_cannot_complete_it_before_it_is_invited(users, world):
    approach = log(users, world)
    with pytest.raises(PermissionDenied):
        submit(users, world, approach)
    with pytest.raises(ValidationError, match="has not asked for a Proposal Form"):
        submit(users, world, approach, role="policy_officer")


def test_the_form_may_be_corrected_until_it_is_assessed(users, world):
    approach = invite(users, log(users, world))
    submit(users, world, approach)
    corrected = submit(users, world, approach, cost_to_pcc="12000")
    assert ProposalForm.objects.count() == 1
    assert corrected.cost_to_pcc == Decimal("12000.00")
    assert corrected.history.first().history_change_reason == "Proposal Form corrected"
    assess(users, world, approach, recommended_amount="12000")
    with pytest.raises(ValidationError, match="cannot take a Proposal Form"):
        submit(users, world, approach)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"priorities": []}, "priorities", "at least one Police and Crime Plan priority"),
        ({"cost_to_pcc": ""}, "cost_to_pcc", "Enter the cost to the PCC"),
        ({"cost_to_pcc": "0"}, "cost_to_pcc", "more than £0.00"),
        ({"total_cost": "1000"}, "total_cost", "cannot be less than the cost to the PCC"),
        ({"ends_on": dt.date(2000, 1, 1)}, "ends_on", "same as or after the start date"),
        ({"service_name": ""}, "service_name", ""),
        ({"kpis": ""}, "kpis", ""),
    ],
)
def test_a_bad_proposal_form_is_refused_and_nothing_is_saved(users, world, overrides, field, message):
    approach = invite(users, log(users, world))
    with pytest.raises(ValidationError) as refused:
        submit(users, world, approach, **overrides)
    assert message in " ".join(refused.value.message_dict[field])
    assert not ProposalForm.objects.exists()
    approach.refresh_from_db()
    assert approach.status == Approach.Status.INVITED


# Assessment --------------------------------------------------------------------------------------------------


def test_the_assessment_goes_to_the_pcc_and_smt(users, world, django_capture_on_commit_callbacks):
    approach = invite(users, log(users, world))
    submit(users, world, approach)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment = assess(users, world, approach)
    approach.refresh_from_db()
    assert approach.status == Approach.Status.ASSESSED
    assert assessment.deliverability == 4 and assessment.fund == world["fund"]
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {users[r].email for r in ("pcc", "chief_executive", "cfo", "director_operations")}


def test_an_assessment_may_be_revised_until_the_decision(users, world):
    approach = assessed(users, world)
    revised = assess(users, world, approach, recommendation="do_not_fund", recommended_amount="", fund=None)
    assert ProposalAssessment.objects.count() == 1
    assert revised.recommendation == "do_not_fund" and revised.recommended_amount is None and revised.fund is None
    decide(users, world, approach, approve=False)
    with pytest.raises(ValidationError, match="cannot be assessed now"):
        assess(users, world, approach)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"value_for_money": 6}, "value_for_money", "0 to 5"),
        ({"deliverability": -1}, "deliverability", "0 to 5"),
        ({"fit_with_priorities": None}, "fit_with_priorities", "0 to 5"),
        ({"recommendation": "maybe"}, "recommendation", "Choose your recommendation"),
        ({"recommended_amount": ""}, "recommended_amount", "Enter the amount"),
        ({"recommended_amount": "15000.01"}, "recommended_amount", "recommend £15,000.00 or less"),
        ({"fund": None}, "fund", "Choose the fund"),
        ({"risks": ""}, "risks", ""),
    ],
)
def test_a_bad_assessment_is_refused_and_nothing_is_saved(users, world, overrides, field, message):
    approach = invite(users, log(users, world))
    submit(users, world, approach)
    with pytest.raises(ValidationError) as refused:
        assess(users, world, approach, **overrides)
    assert message in " ".join(refused.value.message_dict[field])
    assert not ProposalAssessment.objects.exists()
    approach.refresh_from_db()
    assert approach.status == Approach.Status.PROPOSAL_RECEIVED


@pytest.mark.parametrize("role", [r for r in STAFF if r != "commissioning_manager"])
def test_only_the_commissioning_manager_assesses(users, world, role):
    approach = invite(users, log(users, world))
    submit(users, world, approach)
    with pytest.raises(PermissionDenied):
        services.proposal_assess(
            actor=users[role],
            approach=approach,
            fit_with_priorities=3,
            evidence_of_need=3,
            value_for_money=3,
            deliverability=3,
            risks="r",
            commentary="c",
            recommendation="do_not_fund",
        )


def test_a_proposal_is_assessed_only_once_received(users, world):
    approach = invite(users, log(users, world))
    with pytest.raises(ValidationError, match="cannot be assessed now"):
        assess(users, world, approach)


# The decision ----------------------------------------------------------------------------------------------------


def test_approval_records_the_decision_and_creates_the_service_agreement_and_commitment(
    users, world, django_capture_on_commit_callbacks
):
    approach = assessed(users, world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approach = decide(users, world, approach)
    assert approach.status == Approach.Status.APPROVED

    record = approach.decision
    assert record.legal_basis == LegalBasis.ASBCPA_2014_S143
    assert record.amount == Decimal("15000.00")
    assert record.decided_by == users["pcc"]
    assert "Senior Management Team considered" in record.decision
    assert record.number.startswith(f"{timezone.localdate().year}/")

    agreement = approach.agreement
    assert agreement.kind == Agreement.Kind.GRANT and agreement.regime == Agreement.Regime.GRANT
    assert agreement.value == Decimal("15000.00")
    assert agreement.status == Agreement.Status.ACTIVE and agreement.signed_on == timezone.localdate()
    assert agreement.decision == record
    service = agreement.service
    assert service.approach == Service.Approach.ONE_OFF
    assert service.provider == world["organisation"]
    assert service.status == Service.Status.ACTIVE
    assert service.name == "Weymouth youth diversion"
    assert list(service.priorities.all()) == [world["priority"]]
    assert service.lead_officer == users["commissioning_manager"]

    commitment = Commitment.objects.get(agreement=agreement)
    assert commitment.status == Commitment.Status.COMMITTED
    assert (commitment.fund, commitment.year, commitment.amount) == (world["fund"], world["year"], Decimal("15000.00"))
    position = fund_selectors.fund_position(fund=world["fund"], year=world["year"])
    assert position.committed == Decimal("15000.00") and position.available == Decimal("35000.00")

    # Each step is in the history under the PCC.
    assert agreement.history.first().history_user == users["pcc"]
    assert commitment.history.first().history_user == users["pcc"]
    assert approach.history.first().history_change_reason == f"Approved by decision {record.number}"
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {"sam@example.org", users["commissioning_manager"].email}
    assert agreement.reference in mail.outbox[0].body


def test_rejection_records_the_decision_and_the_reason(users, world):
    approach = decide(users, world, assessed(users, world), approve=False, reasons="Other services cover this")
    assert approach.status == Approach.Status.REJECTED
    assert approach.decision.reasons == "Other services cover this"
    assert approach.decision.amount is None
    assert approach.agreement is None
    assert not Service.objects.exists() and not Commitment.objects.exists()


def test_over_budget_approval_is_refused_and_nothing_is_saved(users, world):
    approach = assessed(users, world)
    fund_services.budget_set_total(
        actor=users["finance_officer"], fund=world["fund"], year=world["year"], amount="10000", reason="Cut"
    )
    with pytest.raises(ValidationError) as refused:
        decide(users, world, approach)
    message = refused.value.message_dict["amount"][0]
    assert "has £10,000.00 available" in message and "£5,000.00 more than is available" in message
    approach.refresh_from_db()
    assert approach.status == Approach.Status.ASSESSED and approach.decision is None
    assert not DecisionRecord.objects.exists()
    assert not Service.objects.exists() and not Agreement.objects.exists() and not Commitment.objects.exists()


def test_a_ring_fenced_fund_is_refused_for_an_ordinary_service(users, world):
    approach = assessed(users, world)
    csa = RingFencedFundFactory()
    fund_services.budget_set_total(
        actor=users["finance_officer"], fund=csa, year=world["year"], amount="50000", reason="Opening"
    )
    with pytest.raises(ValidationError) as refused:
        decide(users, world, approach, fund=csa)
    assert "ring-fenced" in refused.value.message_dict["fund"][0]
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"smt_consulted": False}, "smt_consulted", "Senior Management Team has considered"),
        ({"reasons": " "}, "reasons", "Enter the reasons"),
        ({"decided_on": None}, "decided_on", "Enter the date"),
        ({"amount": ""}, "amount", "Enter the amount of the grant"),
        ({"fund": None}, "fund", "Choose the fund"),
        ({"year": None}, "year", "Choose the financial year"),
    ],
)
def test_a_bad_decision_is_refused_and_nothing_is_saved(users, world, overrides, field, message):
    approach = assessed(users, world)
    with pytest.raises(ValidationError) as refused:
        decide(users, world, approach, **overrides)
    assert message in " ".join(refused.value.message_dict[field])
    approach.refresh_from_db()
    assert approach.status == Approach.Status.ASSESSED
    assert not DecisionRecord.objects.exists()


def test_a_year_the_service_does_not_run_in_is_refused(users, world):
    approach = assessed(users, world)
    later = FinancialYearFactory(start_year=world["year"].start_year + 2)
    with pytest.raises(ValidationError) as refused:
        decide(users, world, approach, year=later)
    assert f"outside {later.label}" in refused.value.message_dict["year"][0]


def test_a_decision_dated_in_the_future_is_refused(users, world):
    approach = assessed(users, world)
    with pytest.raises(ValidationError) as refused:
        decide(users, world, approach, decided_on=timezone.localdate() + dt.timedelta(days=1))
    assert "today or in the past" in refused.value.message_dict["decided_on"][0]
    assert not DecisionRecord.objects.exists()


@pytest.mark.parametrize("role", [r for r in STAFF if r != "pcc"])
def test_only_the_pcc_decides(users, world, role):
    approach = assessed(users, world)
    with pytest.raises(PermissionDenied):
        services.proposal_decide(
            actor=users[role],
            approach=approach,
            approve=False,
            smt_consulted=True,
            reasons="No",
            decided_on=timezone.localdate(),
        )


def test_a_proposal_is_decided_once_and_only_after_assessment(users, world):
    approach = invite(users, log(users, world))
    submit(users, world, approach)
    with pytest.raises(ValidationError, match="cannot be decided now"):
        decide(users, world, approach)
    assess(users, world, approach)
    decide(users, world, approach)
    with pytest.raises(ValidationError, match="cannot be decided now"):
        decide(users, world, approach, approve=False)
    assert DecisionRecord.objects.count() == 1


def test_the_pcc_may_approve_a_different_amount_from_the_recommendation(users, world):
    approach = decide(users, world, assessed(users, world), amount="9000")
    assert approach.agreement.value == Decimal("9000.00")
    assert Commitment.objects.get().amount == Decimal("9000.00")


def test_delegated_authority_does_not_outlive_the_decision(users, world):
    decide(users, world, assessed(users, world))
    assert not users["pcc"].has_perm("funds.approve_commitment")
    assert not users["pcc"].has_perm("agreements.change_service")
    assert Role.PCC == users["pcc"].role
