"""A finance officer sets the year's budgets for the real Dorset funds, commits money to a co-funded service
(plan → approve → committed), records a payment and sees the fund's figures change; then a partner sees the
service its organisation co-funds and no other (issue 4, "What must be shown"). Every page passes axe-core."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from commissioning.accounts.roles import Role
from commissioning.accounts.tests.factories import UserFactory
from commissioning.agreements.tests.factories import AgreementFactory, CoFunderFactory, ServiceFactory
from commissioning.core.dates import FinancialYear as FY
from commissioning.funds.models import Commitment, FinancialYear, Fund, Payment
from commissioning.funds.selectors import fund_position
from commissioning.organisations.models import Organisation
from commissioning.organisations.tests.factories import OrganisationFactory
from commissioning.profiles.loader import profile_load

pytestmark = pytest.mark.django_db(transaction=True)

SARC = "Dorset Sexual Assault Referral Centre"
OTHER = "Youth diversion in Weymouth"


@pytest.fixture
def dorset(users):
    """The Dorset profile's funds and partners, this financial year, and two services: the SARC co-funded by
    NHS England with an active agreement, and one NHS England has nothing to do with."""
    profile_load(path_or_name="dorset")
    start = FY.for_date(dt.date.today()).start_year
    year = FinancialYear.objects.get_or_create(start_year=start)[0]
    nhs = Organisation.objects.get(code="nhs-england")
    provider = OrganisationFactory(name="The Shores SARC provider", kind=Organisation.Kind.PROVIDER)
    sarc = ServiceFactory(name=SARC, provider=provider, approach="co_commissioned")
    CoFunderFactory(service=sarc, organisation=nhs, amount=Decimal("120000.00"), notes="NHS England share")
    agreement = AgreementFactory(
        service=sarc,
        value=Decimal("360000.00"),
        starts_on=dt.date(start, 4, 1),
        ends_on=dt.date(start + 3, 3, 31),
        signed_on=dt.date(start, 3, 20),
    )
    other = ServiceFactory(name=OTHER)
    CoFunderFactory(service=other, organisation=Organisation.objects.get(code="dorset-council"))
    partner = UserFactory(role=Role.PARTNER, organisation=nhs, email="nhs.partner@example.org")
    return {"year": year, "agreement": agreement, "partner": partner, "sarc": sarc, "other": other}


def _row(page, fund_name: str) -> str:
    """The fund list's row for one fund, as text."""
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=fund_name, exact=True)).inner_text()


def _money(text: str) -> list[str]:
    return re.findall(r"£[\d,]+\.\d\d", text)


def test_finance_officer_budgets_commits_and_pays_then_partner_sees_only_its_service(
    page, live_server, users, dorset, sign_in, axe_check
):
    year, agreement = dorset["year"], dorset["agreement"]
    safety = Fund.objects.get(code="commissioners-safety-fund")
    sign_in(page, users["finance_officer"])

    # Budgets for the year, set in one form.
    menu = page.get_by_role("navigation", name="Menu")
    menu.get_by_role("link", name="Funds", exact=True).click()
    assert f"Funds in {year.label}" in page.content()
    axe_check(page)
    page.get_by_role("button", name=f"Set budgets for {year.label}").click()
    axe_check(page)
    page.get_by_label("Commissioner's Safety Fund", exact=True).fill("250000")
    page.get_by_label("Core Victims Fund", exact=True).fill("930,000.00")
    page.get_by_label("Child Sexual Abuse fund", exact=True).fill("£70000")
    page.get_by_label("Reason for the budgets").fill("Approved by SMT")
    page.get_by_role("button", name="Save budgets").click()
    assert "3 budgets for" in page.content()
    assert _money(_row(page, "Commissioner's Safety Fund")) == [
        "£250,000.00",  # budget
        "£0.00",  # planned
        "£0.00",  # committed
        "£0.00",  # paid
        "£250,000.00",  # available
    ]
    assert _money(_row(page, "Victims Fund"))[0] == "£1,000,000.00"
    axe_check(page)

    # Commit money to the co-funded service from its agreement's page.
    page.goto(f"{live_server.url}/services/agreements/{agreement.pk}/")
    axe_check(page)
    page.get_by_role("button", name="Commit money from a fund").click()
    axe_check(page)
    page.get_by_label("Fund", exact=True).select_option(label="Commissioner's Safety Fund (part of Safer Dorset Fund)")
    page.get_by_label("Financial year").select_option(label=year.label)
    page.get_by_label("Amount", exact=True).fill("60000")
    page.get_by_role("button", name="Plan the commitment").click()
    commitment = Commitment.objects.get(agreement=agreement)
    assert commitment.status == "planned"
    assert "Planned" in page.content()
    axe_check(page)

    # Whoever planned a commitment cannot approve it: the Chief Finance Officer approves and commits it.
    assert page.get_by_role("button", name="Approve commitment").count() == 0
    commitment_url = f"{live_server.url}{reverse('funds:commitment_detail', args=[commitment.pk])}"
    page.context.clear_cookies()
    sign_in(page, users["cfo"])
    page.goto(commitment_url)
    page.get_by_role("button", name="Approve commitment").click()
    assert "which has £250,000.00 available" in page.content()
    axe_check(page)
    page.get_by_role("button", name="Approve commitment").click()
    page.get_by_role("button", name="Mark as committed").click()
    axe_check(page)
    page.get_by_role("button", name="Mark as committed").click()
    commitment.refresh_from_db()
    assert commitment.status == "committed" and commitment.approved_by == users["cfo"]
    page.context.clear_cookies()
    sign_in(page, users["finance_officer"])
    page.goto(commitment_url)

    # A payment with the finance system's reference.
    page.get_by_role("button", name="Record a payment").click()
    axe_check(page)
    page.get_by_label("Amount paid").fill("15000")
    paid_on = dt.date(year.start_year, 6, 30)
    page.get_by_label("Day").fill(str(paid_on.day))
    page.get_by_label("Month").fill(str(paid_on.month))
    page.get_by_label("Year", exact=True).fill(str(paid_on.year))
    page.get_by_label("Payment reference").fill("BACS-SARC-0001")
    page.get_by_role("button", name="Record payment").click()
    assert "Payment BACS-SARC-0001 has been recorded" in page.content()
    assert Payment.objects.get().amount == Decimal("15000.00")
    axe_check(page)

    # The figures follow: on the list and on the fund's page.
    page.goto(f"{live_server.url}/funds/?year={year.start_year}")
    assert _money(_row(page, "Commissioner's Safety Fund")) == [
        "£250,000.00",
        "£0.00",
        "£60,000.00",
        "£15,000.00",
        "£190,000.00",
    ]
    page.get_by_role("link", name="Commissioner's Safety Fund", exact=True).click()
    content = page.content()
    assert "£190,000.00" in content and "BACS-SARC-0001" in content and SARC in content
    axe_check(page)
    position = fund_position(fund=safety, year=year)
    assert (position.budget, position.committed, position.paid, position.available) == (
        Decimal("250000.00"),
        Decimal("60000.00"),
        Decimal("15000.00"),
        Decimal("190000.00"),
    )
    page.get_by_role("button", name="Sign out").click()

    # The partner sees the service its organisation co-funds, with its money read-only, and no other.
    sign_in(page, dorset["partner"])
    menu.get_by_role("link", name="Services", exact=True).click()
    assert page.get_by_role("link", name=SARC).count() == 1
    assert OTHER not in page.content()
    assert menu.get_by_role("link", name="Funds", exact=True).count() == 0
    axe_check(page)
    page.get_by_role("link", name=SARC).click()
    money = page.locator("#money").locator("xpath=..")
    assert "£60,000.00" in money.inner_text()
    assert page.get_by_role("button", name="Commit money from a fund").count() == 0
    axe_check(page)
    assert page.goto(f"{live_server.url}/services/{dorset['other'].pk}/").status == 404
    response = page.goto(f"{live_server.url}/funds/")
    assert response.status == 403
