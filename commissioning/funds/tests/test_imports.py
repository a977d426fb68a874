"""Imports of budget lines and payments: all rows or none, every bad row reported by its number, the services'
refusals (over budget) rolling everything back, and files of the wrong type or size refused.

The checking and the writing run as background tasks (funds.tasks); tests run them at once (the root conftest's
ImmediateBackend), so an upload's answer is the finished job's page."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from commissioning.accounts.tests.factories import UserFactory
from commissioning.core import spreadsheets
from commissioning.funds import imports, services
from commissioning.funds.models import BudgetLine, Payment
from commissioning.funds.tests.factories import FinancialYearFactory

D = Decimal
BUDGET_URL = reverse("funds:import_budget_lines")
PAYMENTS_URL = reverse("funds:import_payments")
BUDGET_HEADINGS = "fund code,year,kind,amount,description"
PAYMENT_HEADINGS = "commitment id,agreement reference,fund code,year,paid on,amount,reference"


def csv_file(*lines: str, name: str = "import.csv", encoding="utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(encoding), content_type="text/csv")


def xlsx_file(rows: list[list], name: str = "import.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


CONFIRM_URL = reverse("funds:import_confirm")


def upload(client, url, file):
    """Upload a file; a well-formed one starts a check job, whose page (finished, as tasks run at once) is
    returned."""
    response = client.post(url, {"file": file})
    if response.status_code == 302:
        assert response["Location"].startswith("/jobs/")
        return client.get(response["Location"])
    return response


def confirm(client, url, response):
    """Press the checked job's Import button; the import job's page (finished) is returned."""
    posted = client.post(CONFIRM_URL, {"job": response.context["job"].pk})
    if posted.status_code == 302:
        return client.get(posted["Location"])
    return posted


def problems_of(response) -> list[str]:
    return response.context["job"].errors


def imported(response) -> bool:
    job = response.context["job"]
    return job.kind == "funds.import_write" and job.status == "done" and not job.errors


def lines_count():
    return BudgetLine.objects.count()


@pytest.fixture
def finance(world, client_for):
    return client_for("finance_officer")


@pytest.fixture
def paying_world(world):
    world.budget(world.core, "9300")
    world.budget(world.safety, "5000")
    world.core_commitment = world.approved(world.core, "1000")
    world.safety_commitment = world.approved(world.safety, "3000")
    return world


# --- Budget lines ------------------------------------------------------------------------------------------


def test_a_good_budget_lines_file_is_previewed_then_written_whole(world, finance):
    world.budget(world.core, "100")
    before = lines_count()
    response = upload(
        finance,
        BUDGET_URL,
        csv_file(
            BUDGET_HEADINGS,
            "safety,2026/27,adjustment,5000.00,Opening budget",
            'core-victims,2026/27,pre_year_review,"£1,250.50",Agreed at review',
            "",  # an empty row is skipped
            "CORE-VICTIMS,2026/27,Adjustment,-50,Correction",
        ),
    )
    assert response.status_code == 200
    assert problems_of(response) == []
    assert "Import 3 budget lines" in response.content.decode()
    assert lines_count() == before  # nothing yet
    response = confirm(finance, BUDGET_URL, response)
    assert imported(response)
    assert "3 budget lines imported from import.csv." in response.content.decode()
    assert response.context["job"].result["links"][0]["href"].endswith("?year=2026")
    assert lines_count() == before + 3
    world.safety.refresh_from_db()
    safety = world.safety.budgets.get(year=world.year)
    assert safety.amount == D("5000.00")
    assert world.core.budgets.get(year=world.year).amount == D("1300.50")
    line = BudgetLine.objects.filter(budget__fund=world.core, kind=BudgetLine.Kind.PRE_YEAR_REVIEW).get()
    assert line.description == "Agreed at review" and line.created_by == world.finance
    assert line.history.first().history_change_reason == "Imported from import.csv, row 3"
    assert line.history.first().history_user == world.finance


def test_confirming_twice_imports_once(world, finance):
    response = upload(finance, BUDGET_URL, csv_file(BUDGET_HEADINGS, "safety,2026/27,adjustment,10,Test"))
    assert imported(confirm(finance, BUDGET_URL, response))
    again = confirm(finance, BUDGET_URL, response)
    assert again.status_code == 200
    assert imports_expired(again)
    assert BudgetLine.objects.filter(budget__fund=world.safety).count() == 1


def imports_expired(response) -> bool:
    return "no longer waiting to be imported" in response.content.decode()


def test_only_the_person_who_checked_a_file_may_import_it(world, finance):
    response = upload(finance, BUDGET_URL, csv_file(BUDGET_HEADINGS, "safety,2026/27,adjustment,10,Test"))
    job = response.context["job"]
    second = Client()
    second.force_login(UserFactory(role="finance_officer", email="second-finance@example.org"))
    assert second.post(CONFIRM_URL, {"job": job.pk}).status_code == 403
    assert second.get(reverse("core:job_detail", args=[job.pk])).status_code == 403
    assert finance.post(CONFIRM_URL, {"job": "not-a-job"}).status_code == 404
    assert finance.get(CONFIRM_URL).status_code == 405
    assert lines_count() == 0


def test_every_bad_row_is_reported_by_number_and_nothing_is_written(world, finance):
    world.budget(world.safety, "100")
    before = lines_count()
    response = upload(
        finance,
        BUDGET_URL,
        csv_file(
            BUDGET_HEADINGS,
            "safety,2026/27,adjustment,10,Fine",
            "safety,2026/27,adjustment,12.345,Too precise",
            "nowhere,2026/27,adjustment,10,Unknown fund",
            "safety,2026/27,adjustment,10,Fine too",
            "safety,2026-27,virement,0,",
        ),
    )
    assert response.status_code == 200
    problems = problems_of(response)
    assert problems == [
        "Row 3: amount — Amount must have no more than 2 decimal places (pence)",
        "Row 4: fund code — There is no fund with the code ‘nowhere’; use a code from the Funds sheet of the "
        "dashboard spreadsheet",
        "Row 6: year — Enter a financial year like 2026/27",
        "Row 6: kind — Enter adjustment or pre_year_review",
        "Row 6: amount — Enter an amount other than £0.00; use a minus sign to take money out",
        "Row 6: description — Enter what the budget line is for; it is kept with the line",
    ]
    html = response.content.decode()
    assert 'href="#problems"' in html and 'id="row-3"' in html and 'id="row-6"' in html
    assert "Error: " in html.split("</title>")[0]
    assert CONFIRM_URL not in html
    assert "3 of 5 budget lines in import.csv have a problem" in html
    assert lines_count() == before


def test_an_amount_that_is_not_money_is_explained(world, finance):
    response = upload(finance, BUDGET_URL, csv_file(BUDGET_HEADINGS, "safety,2026/27,adjustment,ten pounds,x"))
    assert problems_of(response) == ["Row 2: amount — Amount must be in pounds and pence, like 1250.50"]


def test_a_year_not_set_up_or_closed_is_reported(world, finance):
    closed = FinancialYearFactory(start_year=2024, status="closed")
    response = upload(
        finance,
        BUDGET_URL,
        csv_file(BUDGET_HEADINGS, "safety,2031/32,adjustment,10,x", f"safety,{closed.label},adjustment,10,x"),
    )
    assert problems_of(response) == [
        "Row 2: year — There is no financial year 2031/32 yet; enter a year that has been set up",
        "Row 3: year — 2024/25 is closed; money cannot change in a closed year",
    ]


def test_a_line_taking_a_budget_below_its_commitments_is_refused_at_preview(world, finance):
    world.budget(world.safety, "1000")
    world.approved(world.safety, "800")
    response = upload(
        finance,
        BUDGET_URL,
        csv_file(BUDGET_HEADINGS, "core-victims,2026/27,adjustment,500,Fine", "safety,2026/27,adjustment,-300,Cut"),
    )
    (problem,) = problems_of(response)
    assert problem.startswith("Row 3: amount — This change would leave The Commissioner's Safety Fund with a budget")
    assert BudgetLine.objects.filter(budget__fund=world.core).count() == 0  # the trial was rolled back
    assert CONFIRM_URL not in response.content.decode()


def test_an_over_budget_row_at_confirmation_rolls_everything_back(world, finance):
    world.budget(world.safety, "1000")
    response = upload(
        finance,
        BUDGET_URL,
        csv_file(
            BUDGET_HEADINGS,
            "core-victims,2026/27,adjustment,500,Fine",
            "safety,2026/27,adjustment,-300,Cut",
        ),
    )
    assert problems_of(response) == []
    world.approved(world.safety, "800")  # someone commits money before the import is confirmed
    before = lines_count()
    response = confirm(finance, BUDGET_URL, response)
    assert not imported(response)
    (problem,) = problems_of(response)
    assert problem.startswith("Row 3: amount — This change would leave")
    assert "Nothing has been imported" in response.content.decode()
    assert lines_count() == before  # row 2 was rolled back too
    assert world.core.budgets.filter(year=world.year).first() is None


def test_an_xlsx_budget_file_with_numbers_and_any_heading_case(world, finance):
    response = upload(
        finance,
        BUDGET_URL,
        xlsx_file(
            [
                ["Description", "Amount", "Kind", "Year", "Fund_Code", "Notes"],
                ["From the spreadsheet", 1250.5, "adjustment", "2026/27", "safety", "ignored"],
                ["Whole pounds", 300, "pre_year_review", "2026/27", "core-victims", None],
            ]
        ),
    )
    assert problems_of(response) == []
    confirm(finance, BUDGET_URL, response)
    assert world.safety.budgets.get(year=world.year).amount == D("1250.50")
    assert world.core.budgets.get(year=world.year).amount == D("300.00")


def test_an_xlsx_amount_with_more_than_pence_is_reported(world, finance):
    response = upload(
        finance, BUDGET_URL, xlsx_file([BUDGET_HEADINGS.split(","), ["safety", "2026/27", "adjustment", 0.125, "x"]])
    )
    assert problems_of(response) == ["Row 2: amount — Amount must have no more than 2 decimal places (pence)"]


# --- Payments ----------------------------------------------------------------------------------------------


def test_a_good_payments_file_by_commitment_id_or_agreement_fund_and_year(paying_world, finance):
    w = paying_world
    response = upload(
        finance,
        PAYMENTS_URL,
        csv_file(
            PAYMENT_HEADINGS,
            f"{w.core_commitment.pk},,,,2026-06-30,400.00,PAY-1",
            f",{w.agreement.reference},safety,2026/27,31/07/2026,1000,PAY-2",
            f'{w.safety_commitment.pk},{w.agreement.reference},safety,2026/27,2026-08-31,"£2,000.00",PAY-3',
        ),
    )
    assert problems_of(response) == []
    assert Payment.objects.count() == 0
    response = confirm(finance, PAYMENTS_URL, response)
    assert imported(response)
    payments = {p.reference: p for p in Payment.objects.all()}
    assert payments["PAY-1"].commitment == w.core_commitment and payments["PAY-1"].amount == D("400.00")
    assert payments["PAY-2"].commitment == w.safety_commitment
    assert payments["PAY-2"].paid_on == dt.date(2026, 7, 31)
    assert payments["PAY-3"].amount == D("2000.00") and payments["PAY-3"].recorded_by == w.finance


def test_a_payments_xlsx_with_date_cells(paying_world, finance):
    w = paying_world
    response = upload(
        finance,
        PAYMENTS_URL,
        xlsx_file(
            [
                PAYMENT_HEADINGS.split(","),
                [w.core_commitment.pk, None, None, None, dt.datetime(2026, 6, 30), 99.99, "X-1"],
            ]
        ),
    )
    assert problems_of(response) == []
    confirm(finance, PAYMENTS_URL, response)
    assert Payment.objects.get().paid_on == dt.date(2026, 6, 30)


def test_bad_payment_rows_are_all_reported(paying_world, finance):
    w = paying_world
    response = upload(
        finance,
        PAYMENTS_URL,
        csv_file(
            PAYMENT_HEADINGS,
            "999999,,,,2026-06-30,10,R-1",
            ",AGR-NOPE,safety,2026/27,2026-06-30,10,R-2",
            f"{w.core_commitment.pk},,,,30-06-2026,-5,",
            ",,,,2026-06-30,10,R-4",
            f"{w.core_commitment.pk},,safety,,2099-01-01,10,R-5",
        ),
    )
    assert problems_of(response) == [
        "Row 2: commitment id — There is no commitment with ID 999999",
        "Row 3: agreement reference — There is no commitment of Commissioner's Safety Fund to agreement AGR-NOPE in "
        "2026/27",
        "Row 4: paid on — Enter the date paid as YYYY-MM-DD or DD/MM/YYYY, like 2026-06-30 or 30/06/2026",
        "Row 4: amount — Enter the amount paid, more than £0.00 (money back is recorded as a repayment)",
        "Row 4: reference — Enter the finance system's payment reference",
        "Row 5: commitment id — Enter a commitment ID, or an agreement reference, fund code and year together",
        "Row 6: paid on — The date paid must be today or in the past",
        f"Row 6: fund code — Commitment {w.core_commitment.pk} is from core-victims, not safety",
    ]
    assert Payment.objects.count() == 0


def test_payments_adding_up_to_more_than_the_commitment_are_refused_at_preview(paying_world, finance):
    c = paying_world.core_commitment
    response = upload(
        finance,
        PAYMENTS_URL,
        csv_file(
            PAYMENT_HEADINGS,
            f"{c.pk},,,,2026-06-30,600,A-1",
            f"{c.pk},,,,2026-07-31,500,A-2",
            f"{c.pk},,,,2026-07-31,1,A-1",
        ),
    )
    problems = problems_of(response)
    assert problems[0].startswith(
        "Row 3: amount — This payment would take payments under this commitment to £1,100.00, more than the "
        "£1,000.00 committed"
    )
    assert problems[1].startswith("Row 4: reference — Payment reference A-1 is already recorded")
    assert len(problems) == 2
    assert Payment.objects.count() == 0


def test_an_over_commitment_at_confirmation_rolls_everything_back(paying_world, finance):
    w = paying_world
    c = w.core_commitment
    response = upload(
        finance,
        PAYMENTS_URL,
        csv_file(PAYMENT_HEADINGS, f"{w.safety_commitment.pk},,,,2026-06-30,100,B-1", f"{c.pk},,,,2026-06-30,600,B-2"),
    )
    assert problems_of(response) == []
    services.payment_record(actor=w.finance, commitment=c, amount="500", paid_on=dt.date(2026, 6, 1), reference="M")
    response = confirm(finance, PAYMENTS_URL, response)
    assert not imported(response)
    (problem,) = problems_of(response)
    assert problem.startswith("Row 3: amount — This payment would take payments under this commitment to £1,100.00")
    assert list(Payment.objects.values_list("reference", flat=True)) == ["M"]  # B-1 rolled back


def test_a_planned_commitment_cannot_be_paid(paying_world, finance):
    planned = services.commitment_plan(
        actor=paying_world.finance,
        fund=paying_world.safety,
        year=paying_world.year,
        agreement=paying_world.csa_agreement,
        amount="10",
    )
    response = upload(finance, PAYMENTS_URL, csv_file(PAYMENT_HEADINGS, f"{planned.pk},,,,2026-06-30,5,C-1"))
    assert problems_of(response) == [
        "Row 2: commitment id — This commitment is planned; only approved or committed ones can be paid (approve "
        "it first)"
    ]


def test_the_service_layer_import_is_atomic(paying_world):
    c = paying_world.core_commitment
    raw = [
        (2, {"commitment_id": str(c.pk), "paid_on": "2026-06-30", "amount": "900", "reference": "D-1"}),
        (3, {"commitment_id": str(c.pk), "paid_on": "2026-06-30", "amount": "200", "reference": "D-2"}),
    ]
    outcome = imports.import_rows(imports.PAYMENTS, actor=paying_world.finance, raw=raw, source="test")
    assert outcome.written == 0 and outcome.bad_rows == 1 and Payment.objects.count() == 0


# --- The file itself ---------------------------------------------------------------------------------------


def file_error(response) -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors.get("file", []))


def test_a_bom_csv_is_read(world, finance):
    file = SimpleUploadedFile("b.csv", ("\ufeff" + BUDGET_HEADINGS + "\nsafety,2026/27,adjustment,1,x\n").encode())
    assert problems_of(upload(finance, BUDGET_URL, file)) == []


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("budget.txt", b"fund code\n"), spreadsheets.WRONG_TYPE),
        (SimpleUploadedFile("budget", b"fund code\n"), spreadsheets.WRONG_TYPE),
        (SimpleUploadedFile("budget.csv", b""), spreadsheets.EMPTY),
        (SimpleUploadedFile("budget.csv", "fund code,amount\n£5\n".encode("cp1252")), spreadsheets.NOT_UTF8),
        (SimpleUploadedFile("budget.csv", b"PK\x03\x04rest"), spreadsheets.WRONG_TYPE),
        (SimpleUploadedFile("budget.xlsx", f"{BUDGET_HEADINGS}\n".encode()), spreadsheets.WRONG_TYPE),
        (SimpleUploadedFile("budget.csv", b"\x00\x01\x02binary"), spreadsheets.WRONG_TYPE),
    ],
)
def test_wrong_types_are_refused(world, finance, file, message):
    assert file_error(upload(finance, BUDGET_URL, file)) == message
    assert lines_count() == 0


def test_a_zip_that_is_not_a_workbook_is_refused(world, finance):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("hello.txt", "not a workbook")
    response = upload(finance, BUDGET_URL, SimpleUploadedFile("b.xlsx", out.getvalue()))
    assert file_error(response) == spreadsheets.WRONG_TYPE


def test_a_damaged_workbook_is_refused(world, finance):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<broken")
    response = upload(finance, BUDGET_URL, SimpleUploadedFile("b.xlsx", out.getvalue()))
    assert file_error(response) == spreadsheets.NOT_XLSX


def test_a_file_over_5mb_is_refused(world, finance):
    big = (BUDGET_HEADINGS + "\n").encode() + b"x" * (5 * 1024 * 1024)
    assert file_error(upload(finance, BUDGET_URL, SimpleUploadedFile("b.csv", big))) == spreadsheets.TOO_BIG


def test_missing_columns_are_named(world, finance):
    error = file_error(upload(finance, BUDGET_URL, csv_file("fund code,year,amount", "safety,2026/27,1")))
    assert error == (
        "The first row must have the column headings ‘kind’, ‘description’; download the template to see every column"
    )


def test_headings_only_is_refused(world, finance):
    assert file_error(upload(finance, BUDGET_URL, csv_file(BUDGET_HEADINGS))) == imports.NO_ROWS


def test_no_file_chosen(world, finance):
    response = finance.post(BUDGET_URL, {})
    assert file_error(response) == "Select a CSV or Excel file"
    assert 'href="#id_file"' in response.content.decode()


def test_the_pages_explain_the_columns_and_offer_a_template(world, finance):
    html = finance.get(PAYMENTS_URL).content.decode()
    for heading in PAYMENT_HEADINGS.split(","):
        assert f"<code>{heading}</code>" in html
    response = finance.get(reverse("funds:import_payments_template"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="payments-template.csv"' in response["Content-Disposition"]
    assert response.content.decode("utf-8-sig").strip() == PAYMENT_HEADINGS
    template = finance.get(reverse("funds:import_budget_lines_template")).content.decode("utf-8-sig")
    assert template.strip() == BUDGET_HEADINGS


def test_the_cfo_may_import_budget_lines_but_not_payments(world, client_for):
    cfo = client_for("cfo")
    assert cfo.get(BUDGET_URL).status_code == 200
    assert cfo.post(PAYMENTS_URL, {"file": csv_file(PAYMENT_HEADINGS, "1,,,,2026-06-30,1,X")}).status_code == 403


# --- In bulk: a fixed number of queries, whatever the number of rows ------------------------------------------


def _payment_rows(commitment, count: int, start: int = 0):
    return [
        (
            n + 2,
            {"commitment_id": str(commitment.pk), "paid_on": "2026-06-30", "amount": "1.00", "reference": f"N-{n}"},
        )
        for n in range(start, start + count)
    ]


def test_a_payment_import_takes_the_same_queries_for_3_rows_or_300(paying_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = paying_world
    counts = []
    for start, count in ((0, 3), (100, 300)):
        raw = _payment_rows(w.safety_commitment, count, start)
        with CaptureQueriesContext(connection) as captured:
            outcome = imports.import_rows(imports.PAYMENTS, actor=w.finance, raw=raw, source="many.csv")
        assert outcome.written == count, outcome.problems[:3]
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
    assert Payment.objects.count() == 303
    payment = Payment.objects.get(reference="N-150")
    entry = payment.history.get()
    assert entry.history_type == "+" and entry.history_user == w.finance
    assert entry.history_change_reason == "Imported from many.csv, row 152"
    assert entry.amount == D("1.00") and entry.commitment_id == w.safety_commitment.pk


def test_a_bulk_payment_import_rebalances_the_schedule_as_payment_record_does(paying_world):
    w = paying_world
    c = w.safety_commitment  # £3,000
    services.payment_schedule_create(actor=w.finance, commitment=c, frequency="quarterly", in_arrears=True)
    before = list(c.schedule.filter(status="due").values_list("amount", flat=True))
    assert sum(before) == D("3000.00")
    imports.import_rows(imports.PAYMENTS, actor=w.finance, raw=_payment_rows(c, 2), source="s.csv")
    due = list(c.schedule.filter(status="due").values_list("amount", flat=True))
    assert sum(due) == D("2998.00")
    row = c.schedule.filter(status="due").first()
    assert row.history.first().history_type == "~" and row.history.first().history_change_reason.startswith(
        "Imported from s.csv"
    )
