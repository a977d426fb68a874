"""The strategic review, exit and contract pages: errors in the GOV.UK summary, confirmation, and what each
action leaves behind; the daily command; the home page's work items."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from commissioning.agreements.models import AgreementExit
from commissioning.agreements.tests.factories import AgreementFactory
from commissioning.funds import services as fund_services
from commissioning.funds.tests.factories import FinancialYearFactory, FundFactory
from commissioning.home.selectors import areas_for
from commissioning.monitoring.models import StrategicReview

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(db):
    return AgreementFactory(starts_on=dt.date(2025, 4, 1), ends_on=dt.date(2027, 9, 30))


def test_the_daily_command_opens_reviews_and_tells_the_commissioning_manager(agreement, users):
    call_command("strategic_reviews_due", "--date", "2026-12-04", stdout=open("/dev/null", "w"))  # noqa: SIM115
    review = StrategicReview.objects.get(agreement=agreement)
    assert review.due_on == dt.date(2026, 4, 1)
    assert len(mail.outbox) == 1 and agreement.reference in mail.outbox[0].body
    assert mail.outbox[0].to == [users["commissioning_manager"].email]
    call_command("strategic_reviews_due", "--date", "2026-12-04", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert StrategicReview.objects.count() == 1 and len(mail.outbox) == 1


def test_review_from_start_to_decision_through_the_pages(agreement, client_for, users):
    manager, pcc = client_for("commissioning_manager"), client_for("pcc")
    response = manager.post(reverse("monitoring:strategic_review_start", args=[agreement.pk]))
    review = StrategicReview.objects.get(agreement=agreement)
    assert response.status_code == 302 and review.status == StrategicReview.Status.IN_PROGRESS
    # Sending an unfinished review lists what is missing in the error summary.
    response = manager.post(reverse("monitoring:strategic_review_submit", args=[review.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and "Enter the lessons learned" in body
    findings = {
        "outcomes": "Met its targets",
        "met_need": "yes",
        "lessons": "Refer earlier",
        "value_for_money": "adequate",
        "recommendation": "extend",
        "recommendation_reasons": "Demand continues",
    }
    assert manager.post(reverse("monitoring:strategic_review_edit", args=[review.pk]), findings).status_code == 302
    assert manager.post(reverse("monitoring:strategic_review_submit", args=[review.pk])).status_code == 302
    # The PCC's decision: an extension needs its date.
    url = reverse("monitoring:strategic_review_decide", args=[review.pk])
    response = pcc.post(url, {"decision": "extend", "reasons": "Demand continues"})
    assert "Enter the new end date of the agreement" in response.content.decode()
    response = pcc.post(
        url,
        {
            "decision": "extend",
            "reasons": "Demand continues",
            "new_ends_on_day": "30",
            "new_ends_on_month": "9",
            "new_ends_on_year": "2028",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == StrategicReview.Status.DECIDED and review.extension_variation is not None
    page = manager.get(reverse("monitoring:strategic_review_detail", args=[review.pk])).content.decode()
    assert "extension to 30 September 2028" in page
    # The CFO sees the variation to approve on their home page.
    cfo_areas = {area.key: area for area in areas_for(users["cfo"])}
    assert cfo_areas["variations-to-approve"].count == 1


def test_home_pages_list_reviews_for_officers_and_the_decider(agreement, users):
    StrategicReview.objects.create(agreement=agreement, agreement_ends_on=agreement.ends_on, due_on=dt.date(2026, 4, 1))
    officer = {area.key: area for area in areas_for(users["policy_officer"])}
    assert officer["strategic-reviews"].count == 1
    assert "strategic-reviews-to-decide" not in {area.key for area in areas_for(users["pcc"])}


def test_exit_form_errors_then_money_released(users, client_for):
    finance, cfo = users["finance_officer"], users["cfo"]
    fund = FundFactory(code="exit-view-fund", name="Exit view fund")
    agreement = AgreementFactory(starts_on=dt.date(2025, 4, 1), ends_on=dt.date(2028, 3, 31))
    year = FinancialYearFactory(start_year=2027)
    fund_services.budget_set_total(actor=finance, fund=fund, year=year, amount="50000", reason="Budget")
    commitment = fund_services.commitment_plan(actor=finance, fund=fund, year=year, agreement=agreement, amount="20000")
    fund_services.commitment_approve(actor=cfo, commitment=commitment)
    client = client_for("commissioning_manager")
    url = reverse("monitoring:agreement_exit_start", args=[agreement.pk])
    response = client.post(url, {"kind": "termination", "notice_period_days": "30"})
    body = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in body
    assert "Enter the date notice was given" in body and "Describe the transition plan" not in body  # form first
    response = client.post(
        url,
        {
            "kind": "termination",
            "notice_given_on_day": "1",
            "notice_given_on_month": "12",
            "notice_given_on_year": "2026",
            "notice_period_days": "90",
            "reason": "Provider closing",
            "service_users": "transferred",
            "transition_plan": "Cases move to the county service",
            "still_to_pay": "",
        },
    )
    assert response.status_code == 302
    agreement_exit = AgreementExit.objects.get(agreement=agreement)
    assert agreement_exit.released == Decimal("20000.00")
    page = client.get(response["Location"]).content.decode()
    assert "£20,000.00" in page and "1 March 2027" in page


def test_a_reader_cannot_post(agreement, client_for):
    response = client_for("auditor").post(reverse("monitoring:strategic_review_start", args=[agreement.pk]))
    assert response.status_code == 403
    assert not StrategicReview.objects.exists()
