"""End-of-grant reports (issue 5, point 5): services/reports.py."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.grants.models import Award, EndOfGrantReport
from commissioning.grants.services import reports as services
from commissioning.grants.tests.factories import AcceptedAwardFactory, AwardFactory, EndOfGrantReportFactory

pytestmark = pytest.mark.django_db

COMPLETE = {
    "what_was_done": "Ran 30 sessions",
    "spend_summary": "Venue £1,500; worker £500",
    "amount_spent": "2000.00",
    "beneficiaries": 40,
    "outcomes": "Safer streets",
    "case_study": "",
}


@pytest.fixture
def award(users):
    return AcceptedAwardFactory(application__organisation=users["applicant"].organisation)


def test_the_recipient_saves_a_part_written_report_then_sends_it(award, users):
    applicant = users["applicant"]
    report = services.report_save(actor=applicant, award=award, data={"what_was_done": "Ran 30 sessions"})
    assert report.status == EndOfGrantReport.Status.DRAFT
    with pytest.raises(ValidationError) as refused:
        services.report_submit(actor=applicant, report=report)
    assert set(refused.value.message_dict) == {"spend_summary", "amount_spent", "beneficiaries", "outcomes"}
    report = services.report_save(actor=applicant, award=award, data=COMPLETE)
    report = services.report_submit(actor=applicant, report=report)
    assert report.status == EndOfGrantReport.Status.SUBMITTED and report.submitted_at
    assert report.amount_spent == Decimal("2000.00")
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.report_save(actor=applicant, award=award, data={"outcomes": "Changed"})


def test_more_than_the_grant_cannot_be_reported_as_spent(award, users):
    with pytest.raises(ValidationError) as refused:
        services.report_save(actor=users["applicant"], award=award, data={"amount_spent": "2000.01"})
    assert "Enter no more than the grant of £2,000.00" in refused.value.message_dict["amount_spent"][0]


def test_only_the_recipient_writes_and_only_after_accepting(award, users):
    for role in ("commissioning_manager", "provider", "auditor"):
        with pytest.raises(PermissionDenied):
            services.report_save(actor=users[role], award=award, data={"outcomes": "x"})
    offered = AwardFactory(application__organisation=users["applicant"].organisation)
    with pytest.raises(ValidationError, match="once the grant has been accepted"):
        services.report_save(actor=users["applicant"], award=offered, data={"outcomes": "x"})


@pytest.mark.parametrize("role", ["commissioning_manager", "policy_officer"])
def test_an_officer_signs_off_and_the_grant_is_complete(role, users):
    report = EndOfGrantReportFactory()
    services.report_sign_off(actor=users[role], report=report, note="Thank you")
    report.refresh_from_db()
    assert report.status == EndOfGrantReport.Status.SIGNED_OFF and report.signed_off_by == users[role]
    assert report.award.status == Award.Status.COMPLETED


def test_a_return_needs_a_note_and_reopens_the_report(users):
    report = EndOfGrantReportFactory()
    with pytest.raises(ValidationError):
        services.report_return(actor=users["policy_officer"], report=report, note=" ")
    services.report_return(actor=users["policy_officer"], report=report, note="Add the receipts")
    report.refresh_from_db()
    assert report.status == EndOfGrantReport.Status.RETURNED


def test_only_commissioning_officers_review(users):
    report = EndOfGrantReportFactory()
    for role in ("finance_officer", "pcc", "applicant", "auditor"):
        with pytest.raises(PermissionDenied):
            services.report_sign_off(actor=users[role], report=report)
