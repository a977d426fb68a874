"""A one-off proposal goes from approach to agreement in the browser (seed, Section 3, "One-Off Grant Making"):
a policy officer logs the approach; the Commissioning Manager invites a Proposal Form, completes it for the
organisation, assesses it and recommends; the PCC, having consulted the Senior Management Team, approves; the
grant agreement appears under the service in the register and the commitment counts against the Local Innovation
Fund. Every page visited passes axe-core."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning.core.dates import FinancialYear as FY
from commissioning.funds import selectors as fund_selectors
from commissioning.funds import services as fund_services
from commissioning.funds.models import Commitment, Fund
from commissioning.grants.models import Approach
from commissioning.profiles.loader import profile_load

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dorset(users):
    """The Dorset plan and funds, with £20,000 in the Local Innovation Fund this financial year."""
    profile_load(path_or_name="dorset")
    fy = FY.for_date(timezone.localdate())
    year = fund_services.financial_year_get_or_create(start_year=fy.start_year)
    fund = Fund.objects.get(code="local-innovation-fund")
    fund_services.budget_set_total(
        actor=users["finance_officer"], fund=fund, year=year, amount="20000", reason="Local Innovation Fund budget"
    )
    return {"fy": fy, "year": year, "fund": fund}


def _fill_date(page, name: str, day: dt.date):
    page.locator(f'input[name="{name}_day"]').fill(str(day.day))
    page.locator(f'input[name="{name}_month"]').fill(str(day.month))
    page.locator(f'input[name="{name}_year"]').fill(str(day.year))


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_a_one_off_proposal_goes_from_approach_to_agreement(page, live_server, users, dorset, sign_in, axe_check):
    fy = dorset["fy"]
    starts_on = max(timezone.localdate(), fy.starts_on)

    # A policy officer logs the approach from an organisation not yet in the directory.
    sign_in(page, users["policy_officer"])
    page.locator("#navigation").get_by_role("link", name="Grants").click()
    page.get_by_role("link", name="One-off proposals").click()
    axe_check(page)
    page.get_by_role("button", name="Log an approach").click()
    axe_check(page)
    page.get_by_label("Name of an organisation not in the directory").fill("Weymouth Youth Trust")
    page.get_by_label("Contact's name").fill("Sam Example")
    page.get_by_label("Contact's e-mail address").fill("sam@example.org")
    page.get_by_label("What they are asking for").fill("A youth diversion worker in Weymouth")
    page.get_by_role("button", name="Log the approach").click()
    # Refused: no business case. What was typed is still there.
    assert "Enter the business case" in page.content()
    assert page.get_by_label("What they are asking for").input_value() == "A youth diversion worker in Weymouth"
    axe_check(page)
    page.get_by_label("Business case").fill("Knife crime among 14 to 16 year olds in Weymouth has doubled.")
    page.get_by_label("Amount sought").fill("15,000")
    page.get_by_role("button", name="Log the approach").click()
    approach = Approach.objects.get()
    assert f"Approach {approach.reference} has been logged" in page.content()
    axe_check(page)
    _sign_out(page)

    # The Commissioning Manager finds it in the queue and invites a Proposal Form.
    sign_in(page, users["commissioning_manager"])
    page.locator("#navigation").get_by_role("link", name="Grants").click()
    page.get_by_role("link", name="One-off proposals").click()
    page.get_by_role("link", name="New: 1").click()
    axe_check(page)
    page.get_by_role("link", name=approach.reference).click()
    page.get_by_role("button", name="Triage the approach").click()
    axe_check(page)
    page.get_by_label("Invite a Proposal Form", exact=False).check()
    page.get_by_label("Note").fill("Say how young people will be referred and how you will measure success.")
    page.get_by_role("button", name="Save and continue").click()
    assert "Proposal form invited" in page.content()
    axe_check(page)

    # ... completes it for the organisation ...
    page.get_by_role("button", name="Complete the Proposal Form for them").click()
    axe_check(page)
    page.get_by_label("Name of the service").fill("Weymouth youth diversion")
    page.get_by_label("What the service will do").fill("A youth worker meeting young people referred by schools.")
    page.get_by_label("Who it is for").fill("Young people aged 14 to 16 at risk of carrying knives.")
    page.get_by_label("Cost to the PCC").fill("30000")
    page.get_by_label("Total cost of the service").fill("36000")
    _fill_date(page, "starts_on", starts_on)
    _fill_date(page, "ends_on", fy.ends_on)
    page.get_by_label("Outcomes it will deliver").fill("Fewer knife crimes by young people in Weymouth.")
    page.get_by_label("How success will be measured (KPIs)").fill("Young people supported; reoffending in a year.")
    page.get_by_label("1.1 Vulnerability, prevention and early intervention").check()
    page.get_by_role("button", name="Send the Proposal Form").click()
    assert "Proposal received" in page.content()
    axe_check(page)

    # ... assesses it and recommends.
    page.get_by_role("button", name="Assess the proposal").click()
    axe_check(page)
    for name, score in (
        ("fit_with_priorities", "5"),
        ("evidence_of_need", "4"),
        ("value_for_money", "4"),
        ("deliverability", "3"),
    ):
        page.locator(f'input[name="{name}"][value="{score}"]').check()
    page.get_by_label("Risks").fill("A single worker; cover during leave is needed.")
    page.get_by_label("Commentary").fill("A strong fit with priority 1.1 and good evidence of need.")
    page.locator('input[name="recommendation"][value="fund"]').check()
    page.get_by_label("Recommended amount").fill("15000")
    page.get_by_label("Fund to pay it from").select_option(label="Local Innovation Fund")
    page.get_by_role("button", name="Send the recommendation").click()
    assert "Assessed and recommended" in page.content()
    axe_check(page)
    _sign_out(page)

    # The PCC decides, recording that the Senior Management Team considered the recommendation.
    sign_in(page, users["pcc"])
    page.goto(f"{live_server.url}/grants/proposals/{approach.pk}/")
    axe_check(page)
    page.get_by_role("button", name="Decide").click()
    axe_check(page)
    page.get_by_label("Approve the grant").check()
    page.get_by_label("The Senior Management Team has considered this recommendation").check()
    page.get_by_label("Amount of the grant").fill("25000")
    page.get_by_label("Reasons for the decision").fill("Meets priority 1.1 at good value; SMT agree.")
    page.get_by_role("button", name="Record the decision").click()
    # The funds engine refuses more than the fund has; nothing is saved and what was typed is kept.
    assert "The Local Innovation Fund has £20,000.00 available" in page.content()
    assert page.get_by_label("Reasons for the decision").input_value() == "Meets priority 1.1 at good value; SMT agree."
    assert not Commitment.objects.exists()
    axe_check(page)
    page.get_by_label("Amount of the grant").fill("15000")
    page.get_by_role("button", name="Record the decision").click()
    approach.refresh_from_db()
    assert approach.status == Approach.Status.APPROVED
    agreement = approach.agreement
    assert f"recorded as decision {approach.decision.number}" in page.content()
    axe_check(page)

    # The agreement appears under the service in the register.
    page.goto(f"{live_server.url}/services/")
    axe_check(page)
    page.get_by_role("link", name="Weymouth youth diversion").click()
    assert agreement.reference in page.content()
    assert "One-off grant" in page.content()
    axe_check(page)

    # The commitment counts against the fund.
    commitment = Commitment.objects.get(agreement=agreement)
    assert commitment.status == Commitment.Status.COMMITTED
    position = fund_selectors.fund_position(fund=dorset["fund"], year=dorset["year"])
    assert position.committed == Decimal("15000.00")
    assert position.available == Decimal("5000.00")


def test_the_local_innovation_fund_pages_work_without_javascript_and_pass_axe(
    page, live_server, users, dorset, sign_in, axe_check
):
    """Weights, candidates, the ranked list, an override and approval (seed, Section 3, "Local Innovation Fund")."""
    sign_in(page, users["commissioning_manager"])
    page.locator("#navigation").get_by_role("link", name="Grants").click()
    page.get_by_role("link", name="Local Innovation Fund").click()
    axe_check(page)
    page.get_by_role("link", name="Weights of the three factors").click()
    axe_check(page)
    _fill_date(page, "effective_from", timezone.localdate())
    page.get_by_label("Likelihood of successful delivery").fill("40")
    page.get_by_label("Priority basis").fill("30")
    page.get_by_label("Assessment of need").fill("30")
    page.get_by_role("button", name="Save the weights").click()
    assert "The weights have been saved" in page.content()
    axe_check(page)

    for title, spend, score in (("Safer nights", "12000", "5"), ("Cyber safety for older people", "9000", "3")):
        page.goto(f"{live_server.url}/grants/innovation/candidates/add/")
        axe_check(page)
        page.get_by_label("Project title").fill(title)
        # The organisation field takes the name typed (and searches as you type when scripts run:
        # tests/browser/test_search_fields.py).
        page.get_by_label("Organisation", exact=True).fill("Dorset Council")
        page.get_by_label("What the project would do").fill("A new way of reaching people at risk.")
        page.get_by_label("Anticipated spend").fill(spend)
        for name in ("likelihood_score", "priority_score", "need_score"):
            page.locator(f'input[name="{name}"][value="{score}"]').check()
        page.get_by_label("1.1 Vulnerability, prevention and early intervention").check()
        page.get_by_role("button", name="Save the project").click()
        assert f"{title} has been put forward" in page.content()
    axe_check(page)

    page.goto(f"{live_server.url}/grants/innovation/")
    page.get_by_role("button", name="Prioritise a year's projects").click()
    axe_check(page)
    page.get_by_role("button", name="Rank and allocate").click()
    assert "Prioritised projects for" in page.content()
    # £20,000 available: Safer nights (£12,000) fits; the next (£9,000) does not.
    assert "not funded" in page.content()
    axe_check(page)
    page.get_by_role("link", name="Override the allowance for Cyber safety for older people").click()
    axe_check(page)
    page.get_by_label("Give a different allowance").check()
    page.get_by_label("Amount of the allowance").fill("8000")
    page.get_by_label("Reason for the override").fill("A smaller first phase agreed with Age UK")
    page.get_by_role("button", name="Save the override").click()
    assert "A smaller first phase agreed with Age UK" in page.content()
    axe_check(page)
    _sign_out(page)

    sign_in(page, users["cfo"])
    page.goto(f"{live_server.url}/grants/innovation/")
    page.get_by_role("link", name=dorset["year"].label).click()
    page.get_by_role("button", name="Approve the list").click()
    axe_check(page)
    page.get_by_role("button", name="Approve").click()
    assert "has been approved" in page.content()
    axe_check(page)
