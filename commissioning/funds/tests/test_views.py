"""The funds pages: what they show, what bad input does (the right message, nothing saved), the year-end close
and bounded queries on every list. `world` (conftest.py) is 2026/27 with the Victims Fund split 93%/7% into Core
and a ring-fenced Child Sexual Abuse part, the Commissioner's Safety Fund, and two agreements."""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from commissioning.agreements.tests.factories import CoFunderFactory
from commissioning.core.tests.helpers import PageShape, date_fields
from commissioning.funds import services
from commissioning.funds.models import (
    Budget,
    BudgetLine,
    Commitment,
    FinancialYear,
    Payment,
    Repayment,
    ScheduledPayment,
    StreamAllocation,
    Virement,
)
from commissioning.funds.selectors import fund_position
from commissioning.funds.tests.factories import (
    AgreementFactory,
    FinancialYearFactory,
    FundFactory,
    FundingStreamFactory,
    ServiceFactory,
    StreamAllocationFactory,
)
from commissioning.funds.views._common import this_year

pytestmark = pytest.mark.django_db

# Session, user, the page's own reads and the menu's permission checks: a constant whatever the row count.
LIST_PAGE_QUERIES = 14


def page(response) -> str:
    """The page's text with whitespace collapsed, after checking it has one h1 and unique ids."""
    assert response.status_code == 200, response.status_code
    shape = PageShape()
    shape.feed(response.content.decode())
    assert shape.h1 == 1, "a page has exactly one h1"
    assert not [i for i, n in shape.ids.items() if n > 1], "ids are unique"
    return re.sub(r"\s+", " ", response.content.decode()).replace("&#x27;", "'")


def errors(response) -> str:
    """The GOV.UK error summary's text."""
    html = page(response)
    assert "There is a problem" in html, "expected an error summary"
    summary = html[html.index("govuk-error-summary__list") :]
    return re.sub(r"<[^>]+>", "", summary[: summary.index("</ul>")])


def planned(world, fund, amount, agreement=None):
    return services.commitment_plan(
        actor=world.finance, fund=fund, year=world.year, agreement=agreement or world.agreement, amount=amount
    )


def committed(world, fund, amount, agreement=None):
    commitment = world.approved(fund, amount, agreement)
    return services.commitment_commit(actor=world.finance, commitment=commitment)


def pay(world, commitment, amount, reference, day=dt.date(2026, 6, 30)):
    return services.payment_record(
        actor=world.finance, commitment=commitment, amount=amount, paid_on=day, reference=reference
    )


# --- The fund tree and a fund ---------------------------------------------------------------------------------


def test_the_fund_list_shows_each_funds_money_in_the_year(client_for, world):
    world.budget(world.safety, "10000")
    world.budget(world.csa, "700")
    commitment = committed(world, world.safety, "6000")
    pay(world, commitment, "1000", "PAY-1")
    planned(world, world.core, "50", agreement=AgreementFactory())

    html = page(client_for("finance_officer").get(reverse("funds:fund_list"), {"year": 2026}))
    assert "Funds in 2026/27" in html
    row = html[html.index("Commissioner's Safety Fund") :]
    for figure in ("£10,000.00", "£6,000.00", "£1,000.00", "£4,000.00"):
        assert figure in row[: row.index("</tr>")]
    assert "Ring-fenced" in html
    assert "govuk-!-padding-left-4" in html  # sub-funds are indented under their parent
    assert "Set budgets for 2026/27" in html
    assert f'href="{reverse("funds:budget_set", args=[2026])}"' in html


def test_the_fund_list_defaults_to_the_year_containing_today(client_for, world):
    html = page(client_for("auditor").get(reverse("funds:fund_list")))
    label = f"{this_year()}/{(this_year() + 1) % 100:02d}"
    assert f"Funds in {label}" in html
    assert "Set budgets" not in html  # auditors read and change nothing


def test_a_year_not_yet_opened_shows_zero_and_opens_nothing(client_for, world):
    html = page(client_for("cfo").get(reverse("funds:fund_list"), {"year": 2040}))
    assert "2040/41 has not been opened" in html
    assert not FinancialYear.objects.filter(start_year=2040).exists()


def test_a_fund_page_shows_position_lines_commitments_payments_split_and_log(client_for, world):
    world.budget(world.core, "9300")
    world.budget(world.csa, "700")
    commitment = committed(world, world.csa, "500", agreement=world.csa_agreement)
    pay(world, commitment, "125.50", "PAY-CSA-1")

    html = page(client_for("pcc").get(reverse("funds:fund_detail", args=[world.victims.pk]), {"year": 2026}))
    assert "Victims Fund" in html and "Position in 2026/27" in html
    assert "£10,000.00" in html and "£9,500.00" in html  # budget and available, rolled up from the sub-funds
    assert "Sub-funds of Victims Fund" in html
    assert "Core Victims Fund: 93%" in html and "Child Sexual Abuse fund: 7%" in html
    assert world.csa_agreement.reference in html and "CSA counselling" in html
    assert "PAY-CSA-1" in html and "£125.50" in html
    assert "Activity log" in html

    html = page(client_for("finance_officer").get(reverse("funds:fund_detail", args=[world.csa.pk]), {"year": 2026}))
    assert "Victims of child sexual abuse only" in html
    assert "Adjustment" in html and "Budget set to £700.00: Opening budget" in html
    assert "Add a budget line" in html


# --- Setting budgets ---------------------------------------------------------------------------------------


def test_the_budget_form_is_prefilled_with_each_leaf_funds_budget(client_for, world):
    world.budget(world.csa, "700")
    html = page(client_for("finance_officer").get(reverse("funds:budget_set", args=[2026])))
    assert "Set budgets for 2026/27" in html
    assert f'name="fund_{world.csa.pk}" value="700.00"' in html
    assert f'name="fund_{world.core.pk}" value="0.00"' in html
    assert f'name="fund_{world.victims.pk}"' not in html  # a parent is the sum of its parts
    assert "Build budgets from funding streams" in html


def _budget_post(world, **amounts):
    data = {f"fund_{fund.pk}": "0.00" for fund in (world.core, world.csa, world.safety)}
    data.update({f"fund_{getattr(world, name).pk}": value for name, value in amounts.items()})
    data["reason"] = "Approved by SMT on 3 March"
    return data


def test_setting_budgets_saves_only_the_changed_ones_with_the_reason(client_for, world):
    world.budget(world.csa, "700")
    client = client_for("finance_officer")
    response = client.post(
        reverse("funds:budget_set", args=[2026]), _budget_post(world, core="9,300.00", csa="700", safety="£250000")
    )
    assert response.status_code == 302
    assert fund_position(fund=world.victims, year=world.year).budget == D("10000.00")
    assert fund_position(fund=world.safety, year=world.year).budget == D("250000.00")
    assert BudgetLine.objects.filter(budget__fund=world.csa).count() == 1  # unchanged, so no new line
    line = BudgetLine.objects.get(budget__fund=world.safety)
    assert line.description == "Budget set to £250,000.00: Approved by SMT on 3 March"
    assert line.created_by == world.finance


def test_setting_budgets_for_a_new_year_opens_it(client_for, world):
    client_for("cfo").post(reverse("funds:budget_set", args=[2030]), _budget_post(world, safety="100"))
    assert fund_position(fund=world.safety, year=FinancialYear.objects.get(start_year=2030)).budget == D("100.00")


def test_the_budget_form_is_all_or_nothing(client_for, world):
    world.budget(world.safety, "10000")
    world.approved(world.safety, "6000")
    lines_before = BudgetLine.objects.count()
    response = client_for("finance_officer").post(
        reverse("funds:budget_set", args=[2026]), _budget_post(world, core="9300", csa="700", safety="5000")
    )
    summary = errors(response)
    assert "below the £6,000.00 already committed from it" in summary
    assert f'href="#id_fund_{world.safety.pk}"' in page(response)
    # Core and CSA were fine, but nothing was saved because the Safety Fund's budget was refused.
    assert BudgetLine.objects.count() == lines_before
    assert fund_position(fund=world.victims, year=world.year).budget == 0
    assert 'value="9300"' in page(response)  # what was typed is kept


def test_the_budget_form_needs_a_reason_and_real_amounts(client_for, world):
    data = _budget_post(world, core="-5", csa="lots")
    data["reason"] = ""
    summary = errors(client_for("finance_officer").post(reverse("funds:budget_set", args=[2026]), data))
    assert "Enter the reason for the budgets" in summary
    assert "Enter the budget for Child Sexual Abuse fund in pounds and pence, like 1250.50" in summary
    assert "Enter a budget of £0.00 or more for Core Victims Fund" in summary
    assert not Budget.objects.exists()


def test_budgets_are_built_from_funding_streams(client_for, world):
    stream = FundingStreamFactory(name="MoJ victims grant", fund=world.victims)
    StreamAllocationFactory(stream=stream, year=world.year, amount=D("1000.01"))
    client = client_for("finance_officer")
    page(client.get(reverse("funds:budget_build", args=[2026])))
    response = client.post(reverse("funds:budget_build", args=[2026]), {"reason": ""})
    assert response.status_code == 302
    assert fund_position(fund=world.core, year=world.year).budget == D("930.01")
    assert fund_position(fund=world.csa, year=world.year).budget == D("70.00")


def test_a_closed_year_offers_no_budget_form(client_for, world):
    services.year_end_close(actor=world.cfo, year=world.year, reason="Closed")
    html = page(client_for("finance_officer").get(reverse("funds:budget_set", args=[2026])))
    assert "2026/27 is closed" in html and "Save budgets" not in html


def test_a_budget_line_is_added_with_its_kind(client_for, world):
    client = client_for("cfo")
    url = reverse("funds:budget_line_add", args=[world.safety.pk, 2026])
    summary = errors(client.post(url, {"kind": "adjustment", "amount": "0", "reason": "Nothing"}))
    assert "Enter an amount other than £0.00" in summary
    client.post(url, {"kind": "pre_year_review", "amount": "1500", "reason": "Review approved", "description": ""})
    line = BudgetLine.objects.get(budget__fund=world.safety)
    assert (line.kind, line.amount, line.description) == ("pre_year_review", D("1500.00"), "Review approved")


# --- Funding streams -----------------------------------------------------------------------------------------


def test_stream_pages_show_allocations_and_set_one(client_for, world):
    stream = FundingStreamFactory(name="Police Property Act proceeds", fund=world.safety, grant_terms="Community use")
    StreamAllocationFactory(stream=stream, year=world.year, amount=D("12000"))
    client = client_for("finance_officer")
    html = page(client.get(reverse("funds:stream_list"), {"year": 2026}))
    assert "Police Property Act proceeds" in html and "£12,000.00" in html
    html = page(client.get(reverse("funds:stream_detail", args=[stream.pk])))
    assert "Community use" in html and "2026/27" in html and "£12,000.00" in html

    url = reverse("funds:stream_allocation_set", args=[stream.pk, 2027])
    assert "Amount must be in pounds and pence" in errors(client.post(url, {"amount": "twelve"}))
    assert not StreamAllocation.objects.filter(year__start_year=2027).exists()
    client.post(url, {"amount": "12500", "confirmed": "on"})
    allocation = StreamAllocation.objects.get(stream=stream, year__start_year=2027)
    assert (allocation.amount, allocation.confirmed) == (D("12500.00"), True)


# --- Commitments ------------------------------------------------------------------------------------------


def _plan_url(agreement):
    return reverse("agreements:agreement_commit", args=[agreement.pk])


def test_money_is_planned_from_an_agreement(client_for, world):
    client = client_for("commissioning_manager")
    html = page(client.get(_plan_url(world.agreement)))
    assert world.agreement.reference in html and "Restorative justice" in html
    response = client.post(
        _plan_url(world.agreement), {"fund": world.safety.pk, "year": 2026, "amount": "2500", "reason": ""}
    )
    commitment = Commitment.objects.get()
    assert response.url == reverse("funds:commitment_detail", args=[commitment.pk])
    assert (commitment.fund, commitment.year, commitment.amount, commitment.status) == (
        world.safety,
        world.year,
        D("2500.00"),
        "planned",
    )


def test_planning_ring_fenced_money_for_another_purpose_is_refused(client_for, world):
    response = client_for("finance_officer").post(
        _plan_url(world.agreement), {"fund": world.csa.pk, "year": 2026, "amount": "100"}
    )
    assert "The Child Sexual Abuse fund is ring-fenced for victims of child sexual abuse only" in errors(response)
    assert not Commitment.objects.exists()


def test_approving_over_budget_names_the_shortfall_and_changes_nothing(client_for, world):
    world.budget(world.safety, "1000")
    commitment = planned(world, world.safety, "1500")
    client = client_for("cfo")
    url = reverse("funds:commitment_approve", args=[commitment.pk])
    assert "which has £1,000.00 available in 2026/27" in page(client.get(url))
    summary = errors(client.post(url, {"reason": ""}))
    assert (
        "The Commissioner's Safety Fund has £1,000.00 available in 2026/27; this commitment needs £1,500.00, "
        "£500.00 more than is available" in summary
    )
    commitment.refresh_from_db()
    assert commitment.status == "planned"


def test_a_commitment_goes_from_planned_to_committed_and_is_paid(client_for, world):
    world.budget(world.safety, "10000")
    commitment = services.commitment_plan(  # planned by the manager, so the finance officer may approve it
        actor=world.users["commissioning_manager"],
        fund=world.safety,
        year=world.year,
        agreement=world.agreement,
        amount="4000",
    )
    client = client_for("finance_officer")
    detail = reverse("funds:commitment_detail", args=[commitment.pk])
    html = page(client.get(detail))
    assert "Approve commitment" in html and "Record a payment" not in html

    client.post(reverse("funds:commitment_approve", args=[commitment.pk]), {"reason": "Within budget"})
    html = page(client.get(detail))
    assert "Mark as committed" in html and "Record a payment" in html
    client.post(reverse("funds:commitment_commit", args=[commitment.pk]), {})
    client.post(
        reverse("funds:payment_schedule_create", args=[commitment.pk]), {"frequency": "quarterly", "in_arrears": "yes"}
    )
    due = ScheduledPayment.objects.filter(commitment=commitment).order_by("due_on")
    assert [row.amount for row in due] == [D("1000.00")] * 4
    response = client.post(
        reverse("funds:payment_record", args=[commitment.pk]),
        {
            "scheduled": due[0].pk,
            "amount": "1000",
            "reference": "BACS-0001",
            **date_fields("paid_on", dt.date(2026, 7, 1)),
        },
    )
    assert response.status_code == 302
    html = page(client.get(detail))
    assert "Committed" in html and "BACS-0001" in html and "£3,000.00" in html  # left to pay
    assert "Request a repayment" in html
    assert fund_position(fund=world.safety, year=world.year).paid == D("1000.00")


def test_a_payment_above_the_commitment_is_refused(client_for, world):
    world.budget(world.safety, "10000")
    commitment = committed(world, world.safety, "1000")
    pay(world, commitment, "800", "PAY-1")
    response = client_for("finance_officer").post(
        reverse("funds:payment_record", args=[commitment.pk]),
        {"amount": "300", "reference": "PAY-2", **date_fields("paid_on", dt.date(2026, 8, 1))},
    )
    assert "more than the £1,000.00 committed; pay £200.00 or less" in errors(response)
    assert Payment.objects.count() == 1


def test_a_duplicate_payment_reference_is_refused(client_for, world):
    world.budget(world.safety, "10000")
    commitment = committed(world, world.safety, "1000")
    pay(world, commitment, "100", "BACS-42")
    response = client_for("finance_officer").post(
        reverse("funds:payment_record", args=[commitment.pk]),
        {"amount": "100", "reference": "BACS-42", **date_fields("paid_on", dt.date(2026, 8, 1))},
    )
    assert "Payment reference BACS-42 is already recorded" in errors(response)
    assert Payment.objects.count() == 1


def test_a_payment_needs_a_real_date(client_for, world):
    world.budget(world.safety, "10000")
    commitment = committed(world, world.safety, "1000")
    response = client_for("finance_officer").post(
        reverse("funds:payment_record", args=[commitment.pk]),
        {"amount": "100", "reference": "P1", "paid_on_day": "31", "paid_on_month": "2", "paid_on_year": "2027"},
    )
    assert "Date paid must be a real date" in errors(response)
    assert not Payment.objects.exists()


def test_a_planned_commitment_cannot_be_paid(client_for, world):
    commitment = planned(world, world.safety, "100")
    html = page(client_for("finance_officer").get(reverse("funds:payment_record", args=[commitment.pk])))
    assert "This commitment is planned" in html and "Record payment" not in html


def test_varying_and_releasing_a_commitment(client_for, world):
    world.budget(world.safety, "5000")
    commitment = committed(world, world.safety, "3000")
    pay(world, commitment, "1000", "PAY-1")
    client = client_for("cfo")
    vary = reverse("funds:commitment_vary", args=[commitment.pk])
    assert "£4,000.00 more than is available" in errors(client.post(vary, {"amount": "9000", "reason": "More"}))
    assert "enter £1,000.00 or more" in errors(client.post(vary, {"amount": "500", "reason": "Less"}))
    assert "Enter the reason for the change" in errors(client.post(vary, {"amount": "2500", "reason": ""}))
    client.post(vary, {"amount": "2500", "reason": "Lower activity"})
    assert fund_position(fund=world.safety, year=world.year).committed == D("2500.00")

    release = reverse("funds:commitment_release", args=[commitment.pk])
    assert "release £1,500.00 or less" in errors(client.post(release, {"amount": "2000", "reason": "Underspend"}))
    client.post(release, {"amount": "", "reason": "Service ended early"})
    commitment.refresh_from_db()
    assert commitment.status == "released"
    assert fund_position(fund=world.safety, year=world.year).available == D("4000.00")


def test_a_commissioning_manager_may_change_a_planned_commitment_but_not_an_approved_one(client_for, world):
    world.budget(world.safety, "5000")
    commitment = planned(world, world.safety, "100")
    client = client_for("commissioning_manager")
    assert client.get(reverse("funds:commitment_vary", args=[commitment.pk])).status_code == 200
    services.commitment_approve(actor=world.cfo, commitment=commitment)
    assert client.get(reverse("funds:commitment_vary", args=[commitment.pk])).status_code == 403
    html = page(client.get(reverse("funds:commitment_detail", args=[commitment.pk])))
    assert "Change amount" not in html and "Approve commitment" not in html


def test_repayments_are_asked_for_received_and_waived(client_for, world):
    world.budget(world.safety, "5000")
    commitment = committed(world, world.safety, "3000")
    pay(world, commitment, "1000", "PAY-1")
    client = client_for("finance_officer")
    url = reverse("funds:repayment_request", args=[commitment.pk])
    assert "ask for £1,000.00 or less" in errors(client.post(url, {"amount": "1500", "reason": "Condition 4"}))
    client.post(url, {"amount": "400", "reason": "Quarterly returns not sent"})
    client.post(url, {"amount": "100", "reason": "Unspent at year end"})
    first, second = Repayment.objects.order_by("id")
    receive = reverse("funds:repayment_receive", args=[first.pk])
    assert "Payment reference PAY-1 is already recorded" in errors(
        client.post(receive, {"reference": "PAY-1", **date_fields("paid_on", dt.date(2026, 9, 1))})
    )
    client.post(receive, {"reference": "REPAY-1", **date_fields("paid_on", dt.date(2026, 9, 1))})
    first.refresh_from_db()
    assert first.status == "received"
    assert fund_position(fund=world.safety, year=world.year).paid == D("600.00")

    assert client.get(reverse("funds:repayment_waive", args=[second.pk])).status_code == 403
    cfo = client_for("cfo")
    assert "Waive repayment" in page(cfo.get(reverse("funds:repayment_waive", args=[second.pk])))
    cfo.post(reverse("funds:repayment_waive", args=[second.pk]), {"reason": "Provider closed"})
    second.refresh_from_db()
    assert second.status == "waived"
    html = page(client.get(reverse("funds:commitment_detail", args=[commitment.pk])))
    assert "Quarterly returns not sent" in html and "REPAY-1" in html and "Waived" in html


# --- Payments, transfers ---------------------------------------------------------------------------------


def test_the_payment_list_filters_by_year_and_fund(client_for, world):
    world.budget(world.safety, "5000")
    world.budget(world.csa, "700")
    pay(world, committed(world, world.safety, "3000"), "1000", "SAFE-1")
    pay(world, committed(world, world.csa, "700", agreement=world.csa_agreement), "70", "CSA-1")
    client = client_for("auditor")
    html = page(client.get(reverse("funds:payment_list")))
    assert "SAFE-1" in html and "CSA-1" in html and "£1,070.00" in html
    html = page(client.get(reverse("funds:payment_list"), {"year": 2026, "fund": world.victims.pk}))
    assert "CSA-1" in html and "SAFE-1" not in html and "1 payment in 2026/27 from Victims Fund" in html
    FinancialYearFactory(start_year=2027)
    html = page(client.get(reverse("funds:payment_list"), {"year": 2027}))
    assert "No payments match" in html


def test_a_transfer_is_asked_for_and_decided_by_someone_else(client_for, world):
    world.budget(world.safety, "5000")
    client = client_for("finance_officer")
    url = reverse("funds:virement_request")
    data = {"year": 2026, "from_fund": world.safety.pk, "to_fund": world.core.pk, "amount": "9000", "reason": "Need"}
    assert "£4,000.00 more than is available" in errors(client.post(url, data))
    data["to_fund"] = world.safety.pk
    assert "Choose a different fund to move the money to" in errors(client.post(url, data))
    assert not Virement.objects.exists()
    data.update(to_fund=world.core.pk, amount="1000")
    client.post(url, data)
    virement = Virement.objects.get()

    decide = reverse("funds:virement_decide", args=[virement.pk])
    assert client.get(decide).status_code == 403
    cfo = client_for("cfo")
    assert "Enter why the transfer is rejected" in errors(cfo.post(decide, {"decision": "reject", "note": ""}))
    cfo.post(decide, {"decision": "approve", "note": ""})
    virement.refresh_from_db()
    assert virement.status == "approved"
    assert fund_position(fund=world.core, year=world.year).budget == D("1000.00")
    html = page(cfo.get(reverse("funds:virement_list")))
    assert "Approved" in html and "£1,000.00" in html
    assert "has been approved" in page(cfo.get(decide))


def test_ring_fenced_money_cannot_be_moved_out_of_its_ring_fence(client_for, world):
    world.budget(world.csa, "700")
    response = client_for("finance_officer").post(
        reverse("funds:virement_request"),
        {"year": 2026, "from_fund": world.csa.pk, "to_fund": world.safety.pk, "amount": "10", "reason": "Short"},
    )
    assert "its money can move only to funds within that ring-fence" in errors(response)


# --- Year end ---------------------------------------------------------------------------------------------


def test_the_year_end_preview_and_close(client_for, world):
    world.budget(world.safety, "10000")
    world.budget(world.csa, "700")
    pay(world, committed(world, world.safety, "6000"), "4000", "P1")
    url = reverse("funds:year_end", args=[2026])
    html = page(client_for("finance_officer").get(url))
    assert "If 2026/27 closed today" in html and "£6,000.00" in html  # underspend and carried forward
    assert "Close 2026/27" not in html
    assert client_for("finance_officer").post(url, {"reason": "Closed"}).status_code == 403

    cfo = client_for("cfo")
    html = page(cfo.get(url))
    assert "Close 2026/27" in html and "It cannot be undone" in html
    assert "Enter the reason" in errors(cfo.post(url, {"reason": ""}))
    assert FinancialYear.objects.get(start_year=2026).status == "open"
    cfo.post(url, {"reason": "Accounts signed off"})

    world.year.refresh_from_db()
    assert world.year.status == "closed"
    # The underspend moved to 2027/28 and out of 2026/27, so it is not counted twice.
    closed = fund_position(fund=world.safety, year=world.year)
    assert (closed.budget, closed.committed, closed.paid, closed.available) == (D("4000.00"),) * 3 + (D("0.00"),)
    line = BudgetLine.objects.get(budget__fund=world.safety, budget__year=world.year, amount__lt=0)
    assert (line.kind, line.amount, line.description) == ("carry_forward", D("-6000.00"), "Carried forward to 2027/28")
    next_year = FinancialYear.objects.get(start_year=2027)
    assert fund_position(fund=world.safety, year=next_year).budget == D("6000.00")
    # The CSA part is an annual grant: its underspend lapses and stays in the closed year.
    assert fund_position(fund=world.csa, year=world.year).available == D("700.00")

    html = page(cfo.get(url))
    assert "How 2026/27 closed" in html and "Close 2026/27" not in html
    row = html[html.index("Commissioner's Safety Fund") :]
    row = row[: row.index("</tr>")]
    assert "£10,000.00" in row and "£6,000.00" in row  # the budget before the close, and what was carried


def test_a_repayment_after_the_close_leaves_the_closed_year_too(client_for, world):
    world.budget(world.safety, "1000")
    commitment = committed(world, world.safety, "1000")
    pay(world, commitment, "1000", "P1")
    services.year_end_close(actor=world.cfo, year=world.year, reason="Closed")
    repayment = services.repayment_request(actor=world.finance, commitment=commitment, amount="300", reason="Audit")
    client_for("finance_officer").post(
        reverse("funds:repayment_receive", args=[repayment.pk]),
        {"reference": "R1", **date_fields("paid_on", dt.date(2027, 5, 1))},
    )
    next_year = FinancialYear.objects.get(start_year=2027)
    after = fund_position(fund=world.safety, year=next_year)
    # Paid in a year is what was paid in it (ADR 0007): the money came back in 2027/28, so it counts there.
    assert (after.available, after.paid) == (D("300.00"), D("-300.00"))
    closed = fund_position(fund=world.safety, year=world.year)
    assert (closed.budget, closed.paid, closed.available) == (D("700.00"), D("1000.00"), D("0.00"))


def test_an_unopened_year_has_no_year_end_page(client_for, world):
    assert client_for("cfo").get(reverse("funds:year_end", args=[2040])).status_code == 404


# --- The money panel on the register's pages ---------------------------------------------------------------


def _money_panel(client, agreement) -> str:
    html = page(client.get(reverse("agreements:agreement_detail", args=[agreement.pk])))
    return html[html.index('id="money"') :] if 'id="money"' in html else ""


def test_the_agreement_page_shows_its_money_by_fund_and_year(client_for, world):
    world.budget(world.safety, "5000")
    pay(world, committed(world, world.safety, "3000"), "1000", "P1")
    panel = _money_panel(client_for("finance_officer"), world.agreement)
    assert "Money committed to" in panel and "Commissioner's Safety Fund" in panel
    assert "£3,000.00" in panel and "£1,000.00" in panel and "£2,000.00" in panel
    assert "Commit money from a fund" in panel
    assert reverse("funds:commitment_detail", args=[Commitment.objects.get().pk]) in panel
    panel = _money_panel(client_for("auditor"), world.agreement)
    assert "£3,000.00" in panel and "Commit money from a fund" not in panel


def test_a_co_funding_partner_sees_the_money_read_only_and_others_see_none(client_for, users, world):
    world.budget(world.safety, "5000")
    committed(world, world.safety, "3000")
    CoFunderFactory(service=world.agreement.service, organisation=users["partner"].organisation)
    panel = _money_panel(client_for("partner"), world.agreement)
    assert "£3,000.00" in panel
    assert "/funds/" not in panel  # no links to pages a partner cannot open

    world.agreement.service.provider = users["provider"].organisation
    world.agreement.service.save()
    panel = _money_panel(client_for("provider"), world.agreement)
    assert "£3,000.00" not in panel


def test_the_menu_shows_funds_to_opcc_staff_only(client_for):
    assert 'href="/funds/"' in client_for("finance_officer").get(reverse("home:index")).content.decode()
    assert 'href="/funds/"' not in client_for("partner").get(reverse("home:index")).content.decode()


# --- Bounded queries --------------------------------------------------------------------------------------


def _many(world, count):
    """`count` more funds, streams, commitments (each paid) and transfers."""
    world.budget(world.safety, "1000000")
    first = Payment.objects.count()
    for index in range(first, first + count):
        fund = FundFactory(name=f"Project fund {index:02d}", parent=world.safety)
        stream = FundingStreamFactory(fund=fund)
        StreamAllocationFactory(stream=stream, year=world.year)
        commitment = committed(world, world.safety, "100", agreement=AgreementFactory(service=ServiceFactory()))
        pay(world, commitment, "10", f"MANY-{index}")
        services.virement_request(
            actor=world.finance, year=world.year, from_fund=world.safety, to_fund=fund, amount="1", reason="Seed"
        )


@pytest.mark.parametrize(
    "url_name, query",
    [
        ("funds:fund_list", {"year": 2026}),
        ("funds:stream_list", {"year": 2026}),
        ("funds:payment_list", {"year": 2026}),
        ("funds:virement_list", {}),
        ("funds:year_end", None),
    ],
)
@pytest.mark.parametrize("count", [1, 40])
def test_list_pages_keep_a_fixed_number_of_queries(
    client_for, world, django_assert_max_num_queries, url_name, query, count
):
    _many(world, count)
    client = client_for("cfo")
    url = reverse(url_name, args=[2026]) if query is None else reverse(url_name)
    with django_assert_max_num_queries(LIST_PAGE_QUERIES):
        page(client.get(url, query or {}))


@pytest.mark.parametrize("count", [1, 40])
def test_a_fund_page_keeps_a_fixed_number_of_queries(client_for, world, django_assert_max_num_queries, count):
    _many(world, count)
    client = client_for("finance_officer")
    with django_assert_max_num_queries(LIST_PAGE_QUERIES + 8):  # plus the log of the fund, budget and lines
        page(client.get(reverse("funds:fund_detail", args=[world.safety.pk]), {"year": 2026}))


@pytest.mark.parametrize("count", [1, 40])
def test_a_commitment_page_keeps_a_fixed_number_of_queries(client_for, world, django_assert_max_num_queries, count):
    world.budget(world.safety, "100000")
    commitment = committed(world, world.safety, "50000")
    for index in range(count):
        pay(world, commitment, "10", f"PAGE-{index}")
    services.payment_schedule_create(actor=world.finance, commitment=commitment, frequency="monthly")
    client = client_for("finance_officer")
    with django_assert_max_num_queries(LIST_PAGE_QUERIES):
        page(client.get(reverse("funds:commitment_detail", args=[commitment.pk])))


def test_the_query_count_does_not_grow_with_rows(client_for, world, django_assert_num_queries):
    """The same page, with 1 and then 40 more rows, runs exactly the same number of queries."""
    _many(world, 1)
    client = client_for("cfo")
    url = reverse("funds:fund_list") + "?year=2026"
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _many(world, 40)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)
