"""Every page of the register and the pre-year review, with data and with form errors, passes axe-core in
headless chromium."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning.agreements.models import Agreement, SafetyFundReview
from commissioning.agreements.tests.factories import (
    AgreementDocumentFactory,
    AgreementFactory,
    CoFunderFactory,
    FinancialYearFactory,
    FundFactory,
    RingFencedFundFactory,
    SafetyFundReviewFactory,
    SafetyFundReviewLineFactory,
    ServiceFactory,
    VariationFactory,
)
from commissioning.organisations.models import Organisation
from commissioning.organisations.tests.factories import OrganisationFactory
from commissioning.strategy.tests.factories import PanelAreaFactory, PriorityFactory
from commissioning.testing.browser import BROWSER

pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]


def test_every_agreements_page_passes_axe(page, live_server, users, signed_in, axe_check):
    OrganisationFactory(name="Dorset Police", kind=Organisation.Kind.STATUTORY)
    fence = RingFencedFundFactory(name="Child Sexual Abuse fund")
    service = ServiceFactory(
        name="Dorset Sexual Assault Referral Centre",
        priorities=[PriorityFactory(), PriorityFactory()],
        panel_areas=[PanelAreaFactory(name="Sexual Violence")],
        ring_fences=[fence],
        ends_on=dt.date(2028, 3, 31),
    )
    share = CoFunderFactory(service=service, amount=Decimal("120000.00"), notes="NHS England share")
    agreement = AgreementFactory(service=service, kind="contract", regime="pcr_2015", conditions="Quarterly returns")
    draft = AgreementFactory(service=service, status=Agreement.Status.DRAFT, signed_on=None)
    AgreementDocumentFactory(agreement=agreement)
    variation = VariationFactory(agreement=agreement, requested_by=users["finance_officer"])
    for index in range(26):
        ServiceFactory(name=f"Outreach project {index:02d}")
    fund = FundFactory(code="commissioners-safety-fund", name="Commissioner's Safety Fund", role="safety_fund")
    FinancialYearFactory(start_year=2027)
    review = SafetyFundReviewFactory(fund=fund, year=FinancialYearFactory(start_year=2026))
    line = SafetyFundReviewLineFactory(review=review, agreement=agreement)
    SafetyFundReviewLineFactory(
        review=review, expected_spend=Decimal("5000"), adjusted_spend=Decimal("4000"), adjustment_reason="Late start"
    )
    submitted = SafetyFundReviewFactory(
        fund=FundFactory(name="Local Innovation Fund"),
        year=review.year,
        status=SafetyFundReview.Status.SUBMITTED,
    )
    SafetyFundReviewLineFactory(review=submitted, agreement=agreement)

    def check(url):
        page.goto(live_server.url + url)
        assert page.locator("h1").count() == 1, url
        axe_check(page)

    def check_with_errors(url):
        page.goto(live_server.url + url)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator(".govuk-error-summary").count() == 1, url
        axe_check(page)

    pages_by_role = {
        "commissioning_manager": [
            reverse("agreements:service_list"),
            reverse("agreements:service_list") + "?search=Outreach&page=2",
            reverse("agreements:service_list") + "?search=zzz",
            reverse("agreements:service_create"),
            reverse("agreements:service_detail", args=[service.pk]),
            reverse("agreements:service_edit", args=[service.pk]),
            reverse("agreements:service_status", args=[service.pk]),
            reverse("agreements:cofunder_add", args=[service.pk]),
            reverse("agreements:cofunder_edit", args=[service.pk, share.pk]),
            reverse("agreements:cofunder_remove", args=[service.pk, share.pk]),
            reverse("agreements:agreement_create", args=[service.pk]),
            reverse("agreements:agreement_detail", args=[agreement.pk]),
            reverse("agreements:agreement_detail", args=[draft.pk]),
            reverse("agreements:agreement_edit", args=[draft.pk]),
            reverse("agreements:agreement_edit", args=[agreement.pk]),
            reverse("agreements:agreement_activate", args=[draft.pk]),
            reverse("agreements:document_add", args=[agreement.pk]),
            reverse("agreements:variation_request", args=[agreement.pk]),
            reverse("agreements:variation_detail", args=[agreement.pk, variation.number]),
            reverse("agreements:review_list"),
            reverse("agreements:review_prepare"),
            reverse("agreements:review_detail", args=[review.pk]),
            reverse("agreements:review_line_edit", args=[review.pk, line.pk]),
            reverse("agreements:review_submit", args=[review.pk]),
        ],
        "cfo": [
            reverse("agreements:variation_decide", args=[agreement.pk, variation.number]),
            reverse("agreements:review_detail", args=[submitted.pk]),
            reverse("agreements:review_decide", args=[submitted.pk]),
        ],
    }
    for role, urls in pages_by_role.items():
        signed_in(users[role])
        for url in urls:
            check(url)

    signed_in(users["commissioning_manager"])
    for url in (
        reverse("agreements:service_create"),
        reverse("agreements:cofunder_add", args=[service.pk]),
        reverse("agreements:agreement_create", args=[service.pk]),
        reverse("agreements:agreement_activate", args=[draft.pk]),
        reverse("agreements:document_add", args=[agreement.pk]),
        reverse("agreements:variation_request", args=[agreement.pk]),
        reverse("agreements:review_prepare"),
    ):
        check_with_errors(url)
    signed_in(users["cfo"])
    check_with_errors(reverse("agreements:variation_decide", args=[agreement.pk, variation.number]))
    check_with_errors(reverse("agreements:review_decide", args=[submitted.pk]))
