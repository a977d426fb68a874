"""Money at the edges (issue 13): a payment belongs to the year of its date (31 March / 1 April, never before the
agreement starts, in the form, the service and the import); annual funds do not carry forward and a closed year
shows their underspend as returned or lapsed; a parent fund shows the figure it is checked against; the largest
amount a total can reach."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from commissioning.funds import imports, selectors, services
from commissioning.funds.models import BudgetLine, Payment
from commissioning.funds.tests.factories import AgreementFactory, FinancialYearFactory

D = Decimal


@pytest.fixture
def two_years(world):
    """2025/26 and 2026/27, each with an approved £1,000 commitment of the Safety Fund to the same agreement."""
    world.last_year = FinancialYearFactory(start_year=2025)
    for year in (world.last_year, world.year):
        world.budget(world.safety, "5000", year=year)
    world.old = services.commitment_approve(
        actor=world.cfo,
        commitment=services.commitment_plan(
            actor=world.finance, fund=world.safety, year=world.last_year, agreement=world.agreement, amount="1000"
        ),
    )
    world.new = world.approved(world.safety, "1000")
    return world


def pay(world, commitment, day, reference, amount="100"):
    return services.payment_record(
        actor=world.finance, commitment=commitment, amount=amount, paid_on=day, reference=reference
    )


def paid_on_error(call) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    return " ".join(caught.value.message_dict["paid_on"])


# --- 1. A payment belongs to the year of its date --------------------------------------------------------------


def test_31_march_is_the_last_day_a_2025_26_commitment_can_be_paid(two_years):
    w = two_years
    pay(w, w.old, dt.date(2026, 3, 31), "P-31-MAR")
    message = paid_on_error(lambda: pay(w, w.old, dt.date(2026, 4, 1), "P-1-APR"))
    assert message == (
        "1 April 2026 is in 2026/27, but this commitment is for 2025/26: a payment belongs to the year of its date. "
        "Enter a date from 1 April 2025 to 31 March 2026, or record it under a 2026/27 commitment"
    )
    assert not Payment.objects.filter(reference="P-1-APR").exists()


def test_1_april_is_the_first_day_a_2026_27_commitment_can_be_paid(two_years):
    w = two_years
    message = paid_on_error(lambda: pay(w, w.new, dt.date(2026, 3, 31), "P-31-MAR"))
    assert message.startswith("31 March 2026 is in 2025/26, but this commitment is for 2026/27")
    pay(w, w.new, dt.date(2026, 4, 1), "P-1-APR")


def test_never_before_the_agreement_starts(world):
    world.budget(world.safety, "5000")
    late_start = AgreementFactory(service=world.agreement.service, starts_on=dt.date(2026, 6, 1))
    commitment = world.approved(world.safety, "1000", agreement=late_start)
    message = paid_on_error(lambda: pay(world, commitment, dt.date(2026, 5, 31), "EARLY"))
    assert message == (
        f"Agreement {late_start.reference} starts on 1 June 2026; a payment cannot be made under it before then. "
        "Enter 1 June 2026 or later"
    )
    pay(world, commitment, dt.date(2026, 6, 1), "ON-TIME")
    # Nothing is scheduled before the start either: quarterly in advance skips 1 April.
    schedule = services.payment_schedule_create(
        actor=world.finance, commitment=commitment, frequency="quarterly", in_arrears=False
    )
    assert [row.due_on for row in schedule] == [dt.date(2026, 7, 1), dt.date(2026, 10, 1), dt.date(2027, 1, 1)]


def test_the_payment_form_shows_the_rule_by_the_date(two_years, client_for):
    w = two_years
    url = reverse("funds:payment_record", args=[w.new.pk])
    response = client_for("finance_officer").post(
        url,
        {"amount": "100", "paid_on_day": "31", "paid_on_month": "3", "paid_on_year": "2026", "reference": "FORM-1"},
    )
    assert response.status_code == 200
    assert "31 March 2026 is in 2025/26" in " ".join(response.context["form"].errors["paid_on"])
    assert "govuk-error-summary" in response.content.decode()


def test_a_year_s_paid_figure_is_what_was_paid_in_that_year(two_years):
    w = two_years
    pay(w, w.old, dt.date(2026, 3, 31), "OLD-1", amount="300")
    pay(w, w.new, dt.date(2026, 4, 1), "NEW-1", amount="200")
    # Money back for 2025/26 received in 2026/27 counts in 2026/27, when it came back.
    repayment = services.repayment_request(actor=w.finance, commitment=w.old, amount="50", reason="Condition unmet")
    services.repayment_receive(actor=w.finance, repayment=repayment, paid_on=dt.date(2026, 4, 10), reference="BACK")
    last = selectors.fund_position(fund=w.safety, year=w.last_year)
    this = selectors.fund_position(fund=w.safety, year=w.year)
    assert (last.paid, this.paid) == (D("300.00"), D("150.00"))
    assert [p.reference for p in selectors.payments_for(year=w.year)] == ["BACK", "NEW-1"]
    # The year-end counts what the year's commitments paid: 300 - 50.
    assert selectors.spent_by_fund(year=w.last_year)[w.safety.pk] == D("250.00")


def test_a_repayment_is_not_dated_before_its_commitment_s_year(two_years):
    w = two_years
    pay(w, w.new, dt.date(2026, 5, 1), "NEW-1")
    repayment = services.repayment_request(actor=w.finance, commitment=w.new, amount="50", reason="Condition unmet")
    message = paid_on_error(
        lambda: services.repayment_receive(
            actor=w.finance, repayment=repayment, paid_on=dt.date(2026, 3, 31), reference="BACK"
        )
    )
    assert message.startswith("31 March 2026 is before 2026/27")


def test_the_import_names_the_row_and_the_paid_on_column(two_years):
    w = two_years
    raw = [
        (2, {"commitment_id": str(w.old.pk), "paid_on": "2026-03-31", "amount": "10", "reference": "I-1"}),
        (3, {"commitment_id": str(w.new.pk), "paid_on": "31/03/2026", "amount": "10", "reference": "I-2"}),
        (4, {"commitment_id": str(w.old.pk), "paid_on": "2026-04-01", "amount": "10", "reference": "I-3"}),
    ]
    outcome = imports.import_rows(imports.PAYMENTS, actor=w.finance, raw=raw, source="test")
    assert outcome.written == 0
    assert outcome.problems == [
        "Row 3: paid on — 31 March 2026 is in 2025/26, but this commitment is for 2026/27: a payment belongs to the "
        "year of its date. Enter a date from 1 April 2026 to 31 March 2027, or record it under a 2025/26 commitment",
        "Row 4: paid on — 1 April 2026 is in 2026/27, but this commitment is for 2025/26: a payment belongs to the "
        "year of its date. Enter a date from 1 April 2025 to 31 March 2026, or record it under a 2026/27 commitment",
    ]
    assert Payment.objects.count() == 0


# --- 2. Annual funds do not carry forward ----------------------------------------------------------------------


def test_an_annual_fund_s_underspend_is_returned_or_lapsed_not_available(world, client_for):
    world.budget(world.core, "9300")
    world.budget(world.safety, "5000")
    core = world.approved(world.core, "1000")
    pay(world, core, dt.date(2026, 6, 30), "CORE-1", amount="600")
    services.year_end_close(actor=world.cfo, year=world.year, reason="Year end")
    world.year.refresh_from_db()
    next_lines = BudgetLine.objects.filter(budget__year__start_year=2027, kind=BudgetLine.Kind.CARRY_FORWARD)
    assert {line.budget.fund for line in next_lines} == {world.safety}
    closed = {p.fund: p for p in selectors.fund_positions(year=world.year)}
    assert closed[world.core].lapsed == D("8700.00")
    assert closed[world.safety].lapsed == D("0.00")
    page = client_for("finance_officer").get(reverse("funds:fund_list") + "?year=2026").content.decode()
    assert "Returned / lapsed" in page and "£8,700.00" in page
    detail = client_for("finance_officer").get(reverse("funds:fund_detail", args=[world.core.pk]) + "?year=2026")
    assert "Returned / lapsed" in detail.content.decode()
    assert ">Available<" not in detail.content.decode()
    year_end = client_for("cfo").get(reverse("funds:year_end", args=[2026])).content.decode()
    assert "Returned / lapsed" in year_end and "£8,700.00" in year_end


# --- 3. A parent fund shows the figure it is checked against ---------------------------------------------------


def test_a_parent_fund_s_own_money_is_the_figure_shown_and_checked(world, client_for):
    world.budget(world.core, "630")
    world.budget(world.csa, "70")
    commitment = services.commitment_plan(
        actor=world.finance, fund=world.victims, year=world.year, agreement=world.agreement, amount="100"
    )
    with pytest.raises(ValidationError) as caught:
        services.commitment_approve(actor=world.cfo, commitment=commitment)
    assert caught.value.message_dict["amount"] == [
        "The Victims Fund has £0.00 of its own available in 2026/27 (its parts hold £700.00 more, which is theirs); "
        "this commitment needs £100.00, £100.00 more than the fund has of its own. Commit from one of its parts, "
        "reduce the amount, or add money to the fund's own budget first"
    ]
    client = client_for("finance_officer")
    listing = client.get(reverse("funds:fund_list") + "?year=2026").content.decode()
    assert "£700.00" in listing and "£0.00 of its own" in listing
    page = client.get(reverse("funds:fund_detail", args=[world.victims.pk]) + "?year=2026").content.decode()
    assert "Available to commit from Victims Fund itself" in page
    form = client.get(reverse("agreements:agreement_commit", args=[world.agreement.pk])).content.decode()
    assert "Victims Fund – its own money, not its parts&#x27;" in form
    # Money of its own is committed, and checked, against that figure.
    world.budget(world.victims, "100")
    services.commitment_approve(actor=world.cfo, commitment=commitment)
    assert selectors.fund_position(fund=world.victims, year=world.year).own_available == D("0.00")


# --- 6. Totals past what a money column holds -----------------------------------------------------------------


def test_an_adjustment_pushing_a_budget_past_the_largest_amount_gets_the_plain_message(world):
    world.budget(world.safety, "999999999999.99")
    with pytest.raises(ValidationError) as caught:
        services.budget_line_add(
            actor=world.finance,
            fund=world.safety,
            year=world.year,
            kind=BudgetLine.Kind.ADJUSTMENT,
            amount="0.01",
            description="One penny more",
            reason="Test",
        )
    assert caught.value.message_dict["amount"] == [
        "This would take the budget of Commissioner's Safety Fund for 2026/27 to £1,000,000,000,000.00; a total "
        "must stay below £1,000,000,000,000. Enter an amount less than £0.01"
    ]


def test_the_budget_line_form_refuses_one_penny_past_the_largest_amount(world, client_for):
    url = reverse("funds:budget_line_add", args=[world.safety.pk, 2026])
    response = client_for("finance_officer").post(
        url, {"kind": "adjustment", "amount": "1,000,000,000,000.00", "description": "x", "reason": "x"}
    )
    assert response.context["form"].errors["amount"] == ["Enter an amount less than £1,000,000,000,000"]
    response = client_for("finance_officer").post(
        url, {"kind": "adjustment", "amount": "1.000,50", "description": "x", "reason": "x"}
    )
    # A format, not "too many decimal places" (GovukForm names the field in the GOV.UK pattern).
    assert response.context["form"].errors["amount"] == ["Amount must be in pounds and pence, like 1250.50"]
