"""One-off proposal pages: the path from approach to agreement, bad input keeping what was typed, blocked
actions explained, and bounded queries."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from commissioning.core.dates import FinancialYear as FY
from commissioning.core.tests.helpers import assert_well_formed, date_fields, text
from commissioning.funds import services as fund_services
from commissioning.funds.models import Commitment
from commissioning.funds.tests.factories import FinancialYearFactory, FundFactory
from commissioning.grants.models import Approach, ProposalAssessment, ProposalForm
from commissioning.grants.tests.factories import (
    ApproachFactory,
    ProposalAssessmentFactory,
    ProposalFormFactory,
)
from commissioning.organisations.models import Organisation
from commissioning.strategy.models import DecisionRecord
from commissioning.strategy.tests.factories import PriorityFactory

pytestmark = pytest.mark.django_db

# Session, user, the status counts, the page count, the page of approaches (with organisation and who logged
# it) and the menu's permission checks: a constant whatever the number of approaches.
LIST_PAGE_QUERIES = 8


@pytest.fixture
def world(users):
    fy = FY.for_date(timezone.localdate())
    year = FinancialYearFactory(start_year=fy.start_year)
    fund = FundFactory(code="local-innovation-fund", name="Local Innovation Fund", role="innovation_fund")
    fund_services.budget_set_total(
        actor=users["finance_officer"], fund=fund, year=year, amount="20000", reason="Opening budget"
    )
    return {
        "fy": fy,
        "year": year,
        "fund": fund,
        "priority": PriorityFactory(),
        "organisation": users["applicant"].organisation,
    }


def test_the_date_widget_names_are_as_the_tests_post_them(client_for):
    page = text(client_for("policy_officer").get(reverse("grants:approach_log")))
    assert 'name="received_on_day"' in page and 'name="received_on_year"' in page


def test_a_bad_approach_keeps_what_was_typed_and_saves_nothing(client_for, world):
    response = client_for("policy_officer").post(
        reverse("grants:approach_log"),
        {
            "organisation": "",
            "new_organisation_name": "",
            "contact_name": "Sam Example",
            "summary": "A youth worker in Weymouth",
            "business_case": "Knife crime is rising among 14 to 16 year olds.",
            "amount_sought": "£12,500",
            **date_fields("received_on", timezone.localdate()),
        },
    )
    assert_well_formed(response)
    page = text(response)
    assert "There is a problem" in page or "govuk-error-summary" in page
    assert "Select the organisation, or enter the name of one that is not in the list" in page
    assert 'value="A youth worker in Weymouth"' in page
    assert "Knife crime is rising among 14 to 16 year olds." in page
    assert 'value="£12,500"' in page
    assert not Approach.objects.exists()


def test_a_half_typed_date_is_refused(client_for, world):
    response = client_for("cfo").post(
        reverse("grants:approach_log"),
        {
            "organisation": world["organisation"].pk,
            "summary": "A thing",
            "business_case": "Because",
            "received_on_day": "3",
            "received_on_month": "",
            "received_on_year": "2026",
        },
    )
    assert "Enter the date the approach was received" in text(response)
    assert not Approach.objects.exists()


def test_an_approach_goes_from_approach_to_agreement_on_the_pages(client_for, world, users):
    officer, manager, applicant, pcc = (
        client_for(role) for role in ("policy_officer", "commissioning_manager", "applicant", "pcc")
    )
    response = officer.post(
        reverse("grants:approach_log"),
        {
            "organisation": "",
            "new_organisation_name": "Weymouth Youth Trust",
            "contact_name": "Sam Example",
            "contact_email": "sam@example.org",
            "summary": "A youth worker in Weymouth",
            "business_case": "Knife crime is rising among 14 to 16 year olds.",
            "amount_sought": "12500",
            **date_fields("received_on", timezone.localdate()),
        },
        follow=True,
    )
    approach = Approach.objects.get()
    assert response.redirect_chain[-1][0] == reverse("grants:approach_detail", args=[approach.pk])
    assert f"Approach {approach.reference} has been logged" in text(response)
    organisation = Organisation.objects.get(name="Weymouth Youth Trust")
    users["applicant"].organisation = organisation
    users["applicant"].save()

    queue = text(manager.get(reverse("grants:approach_list"), {"status": "new"}))
    assert approach.reference in queue and "New: 1" in queue

    manager.post(
        reverse("grants:approach_triage", args=[approach.pk]),
        {"outcome": "invite", "note": "Say how you will reach young people"},
    )
    approach.refresh_from_db()
    assert approach.status == Approach.Status.INVITED

    form_page = applicant.get(reverse("grants:proposal_form", args=[approach.pk]))
    assert_well_formed(form_page)
    assert "Say how you will reach young people" in text(form_page)
    response = applicant.post(
        reverse("grants:proposal_form", args=[approach.pk]),
        {
            "service_name": "Weymouth youth diversion",
            "service_description": "A worker meeting young people.",
            "who_it_is_for": "Young people aged 14 to 16.",
            "cost_to_pcc": "12,000",
            "total_cost": "",
            **date_fields("starts_on", world["fy"].starts_on),
            **date_fields("ends_on", world["fy"].ends_on),
            "outcomes": "Fewer knife crimes.",
            "kpis": "Young people supported.",
            "partners": "",
            "priorities": [world["priority"].pk],
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("grants:proposal_form", args=[approach.pk])
    assert "has been received" in text(response)
    assert ProposalForm.objects.get().cost_to_pcc == Decimal("12000.00")

    manager.post(
        reverse("grants:proposal_assess", args=[approach.pk]),
        {
            "fit_with_priorities": "4",
            "evidence_of_need": "4",
            "value_for_money": "3",
            "deliverability": "4",
            "risks": "One worker.",
            "commentary": "Good fit.",
            "recommendation": "fund",
            "recommended_amount": "12000",
            "fund": world["fund"].pk,
        },
    )
    approach.refresh_from_db()
    assert approach.status == Approach.Status.ASSESSED

    decide_page = pcc.get(reverse("grants:proposal_decide", args=[approach.pk]))
    assert_well_formed(decide_page)
    page = text(decide_page)
    assert "4 out of 5" in page and "Good: meets what is needed, with some strengths" in page
    assert 'value="12000.00"' in page  # the recommended amount is offered
    response = pcc.post(
        reverse("grants:proposal_decide", args=[approach.pk]),
        {
            "outcome": "approve",
            "smt_consulted": "on",
            "amount": "12000",
            "fund": world["fund"].pk,
            "year": world["year"].pk,
            **date_fields("decided_on", timezone.localdate()),
            "reasons": "Meets priority 1.1.",
        },
        follow=True,
    )
    approach.refresh_from_db()
    assert approach.status == Approach.Status.APPROVED
    page = text(response)
    assert f"Decision {approach.decision.number}" in page
    assert approach.agreement.reference in page
    assert Commitment.objects.get().status == Commitment.Status.COMMITTED

    detail = manager.get(reverse("grants:approach_detail", args=[approach.pk]))
    assert_well_formed(detail)
    page = text(detail)
    for expected in ("Activity log", "Approach logged", "Proposal Form invited", "Proposal Form received"):
        assert expected in page


def test_over_budget_on_the_decision_page_shows_the_funds_message_and_keeps_what_was_typed(client_for, world):
    assessment = ProposalAssessmentFactory(
        proposal__approach__organisation=world["organisation"],
        proposal__starts_on=world["fy"].starts_on,
        proposal__ends_on=world["fy"].ends_on,
        proposal__cost_to_pcc=Decimal("25000"),
        recommended_amount=Decimal("25000"),
        fund=world["fund"],
    )
    approach = assessment.proposal.approach
    response = client_for("pcc").post(
        reverse("grants:proposal_decide", args=[approach.pk]),
        {
            "outcome": "approve",
            "smt_consulted": "on",
            "amount": "25000",
            "fund": world["fund"].pk,
            "year": world["year"].pk,
            **date_fields("decided_on", timezone.localdate()),
            "reasons": "A strong case for the money.",
        },
    )
    assert_well_formed(response)
    page = text(response)
    assert "The Local Innovation Fund has £20,000.00 available" in page
    assert "A strong case for the money." in page
    assert 'value="25000"' in page
    approach.refresh_from_db()
    assert approach.status == Approach.Status.ASSESSED
    assert not DecisionRecord.objects.exists() and not Commitment.objects.exists()


def test_the_smt_checkbox_is_required(client_for, world):
    assessment = ProposalAssessmentFactory(proposal__approach__organisation=world["organisation"])
    approach = assessment.proposal.approach
    response = client_for("pcc").post(
        reverse("grants:proposal_decide", args=[approach.pk]),
        {"outcome": "reject", **date_fields("decided_on", timezone.localdate()), "reasons": "Not now"},
    )
    assert "Confirm that the Senior Management Team has considered this recommendation" in text(response)
    assert not DecisionRecord.objects.exists()


def test_a_bad_assessment_keeps_what_was_typed(client_for, world):
    proposal = ProposalFormFactory(approach__organisation=world["organisation"])
    response = client_for("commissioning_manager").post(
        reverse("grants:proposal_assess", args=[proposal.approach.pk]),
        {
            "fit_with_priorities": "4",
            "evidence_of_need": "",
            "value_for_money": "3",
            "deliverability": "9",
            "risks": "Staff turnover",
            "commentary": "",
            "recommendation": "fund",
            "recommended_amount": "",
        },
    )
    assert_well_formed(response)
    page = text(response)
    assert "Choose a score for evidence of need" in page
    assert "Choose a score for deliverability" in page
    assert "Enter your commentary" in page
    assert "Staff turnover" in page
    assert re.search(r'value="4"[^>]*checked', page)
    assert not ProposalAssessment.objects.exists()


def test_a_proposal_form_without_a_priority_keeps_what_was_typed(client_for, world):
    approach = ApproachFactory(organisation=world["organisation"], status="invited", triage_note="Tell us more")
    response = client_for("applicant").post(
        reverse("grants:proposal_form", args=[approach.pk]),
        {
            "service_name": "Safe spaces",
            "service_description": "Drop-in evenings",
            "who_it_is_for": "Teenagers",
            "cost_to_pcc": "5000",
            **date_fields("starts_on", dt.date(2026, 4, 1)),
            **date_fields("ends_on", dt.date(2027, 3, 31)),
            "outcomes": "Safer evenings",
            "kpis": "Attendance",
        },
    )
    assert_well_formed(response)
    page = text(response)
    assert "Select at least one Police and Crime Plan priority the service meets" in page
    assert 'value="Safe spaces"' in page and "Drop-in evenings" in page
    assert not ProposalForm.objects.exists()


def test_pages_explain_when_the_action_no_longer_fits(client_for, world):
    closed = ApproachFactory(status="closed", triage_note="Not a priority")
    page = text(client_for("commissioning_manager").get(reverse("grants:approach_triage", args=[closed.pk])))
    assert "has already been triaged" in page and '<form method="post" novalidate>' not in page
    new = ApproachFactory(organisation=world["organisation"])
    page = text(client_for("policy_officer").get(reverse("grants:proposal_form", args=[new.pk])))
    assert "has not asked for a Proposal Form yet" in page


def test_a_closed_approach_shows_why_on_its_page(client_for):
    closed = ApproachFactory(status="closed", triage_note="Not a plan priority this year")
    response = client_for("auditor").get(reverse("grants:approach_detail", args=[closed.pk]))
    assert_well_formed(response)
    assert "Why it was closed" in text(response) and "Not a plan priority this year" in text(response)
    assert "Triage the approach" not in text(response)


def test_the_grants_page_links_proposals_and_the_innovation_fund_for_staff_and_auditors(client_for):
    page = text(client_for("auditor").get(reverse("grants:round_list")))
    assert 'href="/grants/proposals/"' in page and 'href="/grants/innovation/"' in page
    assert client_for("applicant").get(reverse("grants:round_list")).status_code == 403


@pytest.mark.parametrize("count", [1, 30])
def test_the_queue_keeps_a_fixed_number_of_queries(client_for, django_assert_max_num_queries, count):
    for _ in range(count):
        ApproachFactory()
    client = client_for("commissioning_manager")
    with django_assert_max_num_queries(LIST_PAGE_QUERIES):
        response = client.get(reverse("grants:approach_list"))
    assert_well_formed(response)
    assert f"{count} approach" in text(response)


@pytest.mark.parametrize("count", [1, 30])
def test_the_approach_page_keeps_a_fixed_number_of_queries(client_for, django_assert_max_num_queries, count):
    assessment = ProposalAssessmentFactory(proposal__priorities=[PriorityFactory() for _ in range(count)])
    approach = assessment.proposal.approach
    for index in range(count):
        approach.summary = f"Changed {index}"
        approach._change_reason = f"Change {index}"
        approach.save()
    client = client_for("auditor")
    with django_assert_max_num_queries(16):
        response = client.get(reverse("grants:approach_detail", args=[approach.pk]))
    assert_well_formed(response)
