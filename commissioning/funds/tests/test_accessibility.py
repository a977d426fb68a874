"""Every funds page, with data and with form errors, passes axe-core in headless chromium."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning.agreements.tests.factories import CoFunderFactory
from commissioning.funds import services
from commissioning.funds.tests.factories import AgreementFactory, FundingStreamFactory, StreamAllocationFactory
from commissioning.testing.browser import BROWSER

pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]


def test_every_funds_page_passes_axe(page, live_server, users, world, signed_in, axe_check):
    finance = world.finance
    world.budget(world.safety, "100000")
    world.budget(world.csa, "7000")
    stream = FundingStreamFactory(name="MoJ victims grant", fund=world.victims, grant_terms="Victims services only")
    StreamAllocationFactory(stream=stream, year=world.year, amount=Decimal("100000"))
    planned = services.commitment_plan(  # planned by the manager, so the finance officer sees the approval form
        actor=users["commissioning_manager"],
        fund=world.safety,
        year=world.year,
        agreement=AgreementFactory(),
        amount="150000",
    )
    approved = world.approved(world.safety, "20000", agreement=AgreementFactory())
    committed = services.commitment_commit(actor=finance, commitment=world.approved(world.safety, "30000"))
    CoFunderFactory(service=world.agreement.service, organisation=users["partner"].organisation)
    services.payment_schedule_create(actor=finance, commitment=committed, frequency="quarterly")
    services.payment_record(
        actor=finance, commitment=committed, amount="7500", paid_on=dt.date(2026, 6, 30), reference="AXE-1"
    )
    repayment = services.repayment_request(actor=finance, commitment=committed, amount="500", reason="Late return")
    virement = services.virement_request(
        actor=finance, year=world.year, from_fund=world.safety, to_fund=world.core, amount="100", reason="Demand"
    )

    def check(url):
        page.goto(live_server.url + url)
        assert page.locator("h1").count() == 1, url
        axe_check(page)

    def check_with_errors(url, fill=None):
        page.goto(live_server.url + url)
        if fill:
            fill()
        page.locator("main form[method=post] button[type=submit]").first.click()
        page.wait_for_load_state()
        assert page.locator(".govuk-error-summary").count() == 1, url
        axe_check(page)

    year = world.year.start_year
    pages_by_role = {
        "finance_officer": [
            reverse("funds:fund_list") + f"?year={year}",
            reverse("funds:fund_list") + "?year=2040",
            reverse("funds:fund_detail", args=[world.victims.pk]) + f"?year={year}",
            reverse("funds:fund_detail", args=[world.safety.pk]) + f"?year={year}",
            reverse("funds:budget_set", args=[year]),
            reverse("funds:budget_build", args=[year]),
            reverse("funds:budget_line_add", args=[world.safety.pk, year]),
            reverse("funds:year_end", args=[year]),
            reverse("funds:stream_list") + f"?year={year}",
            reverse("funds:stream_detail", args=[stream.pk]),
            reverse("funds:stream_allocation_set", args=[stream.pk, year + 1]),
            reverse("agreements:agreement_commit", args=[world.csa_agreement.pk]),
            reverse("funds:commitment_detail", args=[committed.pk]),
            reverse("funds:commitment_detail", args=[planned.pk]),
            reverse("funds:commitment_approve", args=[planned.pk]),
            reverse("funds:commitment_commit", args=[approved.pk]),
            reverse("funds:commitment_vary", args=[committed.pk]),
            reverse("funds:commitment_release", args=[committed.pk]),
            reverse("funds:payment_schedule_create", args=[committed.pk]),
            reverse("funds:payment_record", args=[committed.pk]),
            reverse("funds:payment_record", args=[planned.pk]),
            reverse("funds:repayment_request", args=[committed.pk]),
            reverse("funds:repayment_receive", args=[repayment.pk]),
            reverse("funds:payment_list"),
            reverse("funds:virement_list"),
            reverse("funds:virement_request"),
            reverse("agreements:agreement_detail", args=[world.agreement.pk]),
        ],
        "cfo": [
            reverse("funds:year_end", args=[year]),
            reverse("funds:repayment_waive", args=[repayment.pk]),
            reverse("funds:virement_decide", args=[virement.pk]),
        ],
        "partner": [reverse("agreements:service_detail", args=[world.agreement.service.pk])],
    }
    for role, urls in pages_by_role.items():
        signed_in(users[role])
        for url in urls:
            check(url)

    signed_in(users["finance_officer"])
    for url in (
        reverse("funds:budget_set", args=[year]),
        reverse("funds:budget_line_add", args=[world.safety.pk, year]),
        reverse("funds:stream_allocation_set", args=[stream.pk, year + 1]),
        reverse("agreements:agreement_commit", args=[world.agreement.pk]),
        reverse("funds:commitment_approve", args=[planned.pk]),  # over budget: the shortfall is named
        reverse("funds:commitment_vary", args=[committed.pk]),
        reverse("funds:commitment_release", args=[committed.pk]),
        reverse("funds:payment_schedule_create", args=[committed.pk]),
        reverse("funds:payment_record", args=[committed.pk]),
        reverse("funds:repayment_request", args=[committed.pk]),
        reverse("funds:repayment_receive", args=[repayment.pk]),
        reverse("funds:virement_request"),
    ):
        check_with_errors(url)
    signed_in(users["cfo"])
    for url in (
        reverse("funds:year_end", args=[year]),
        reverse("funds:repayment_waive", args=[repayment.pk]),
        reverse("funds:virement_decide", args=[virement.pk]),
    ):
        check_with_errors(url)
