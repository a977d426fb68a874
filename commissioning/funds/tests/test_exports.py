"""The dashboard's XLSX export: the right sheets and figures, money as formatted numbers, and text that could
start a formula written as text (core.spreadsheets.safe_cell)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from commissioning.core.spreadsheets import MONEY_FORMAT, safe_cell
from commissioning.funds import selectors, services
from commissioning.funds.tests.factories import AgreementFactory, ServiceFactory

D = Decimal
URL = reverse("funds:dashboard_export")


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example","Click")',
        "+44 1202 000000",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_safe_cell_makes_formula_starts_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Victims Fund", "", "a=b", " =1", 12, D("-5.00"), None, dt.date(2026, 4, 1)])
def test_safe_cell_leaves_everything_else_alone(value):
    assert safe_cell(value) == value


def download(client, year):
    """Press Export (a background job, run at once in tests), then download the job's file."""
    posted = client.post(URL, {"year": year})
    assert posted.status_code == 302 and posted["Location"].startswith("/jobs/")
    page = client.get(posted["Location"])
    job = page.context["job"]
    assert job.status == "done" and job.file, job.errors
    assert f'href="{reverse("core:job_file", args=[job.pk])}"' in page.content.decode()
    return client.get(reverse("core:job_file", args=[job.pk]))


def _workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _rows(sheet) -> list[dict]:
    rows = list(sheet.iter_rows())
    headings = [cell.value for cell in rows[0]]
    return [dict(zip(headings, row, strict=True)) for row in rows[1:]]


@pytest.fixture
def export_world(world):
    world.budget(world.core, "9300")
    world.budget(world.csa, "700")
    world.budget(world.safety, "25000.50")
    core = world.approved(world.core, "5000")
    services.payment_record(
        actor=world.finance, commitment=core, amount="1250.25", paid_on=dt.date(2026, 6, 30), reference="P1"
    )
    world.core_commitment = core
    return world


def test_it_downloads_the_year_as_a_workbook_named_for_the_year(export_world, client_for):
    response = download(client_for("auditor"), "2026")
    assert 'filename="fund-dashboard-2026-27.xlsx"' in response["Content-Disposition"]
    assert _workbook(response).sheetnames == ["Funds", "Commitments", "Payments"]


def test_the_funds_sheet_has_each_funds_position_as_money(export_world, client_for):
    workbook = _workbook(download(client_for("finance_officer"), "2026/27"))
    rows = _rows(workbook["Funds"])
    positions = selectors.fund_positions(year=export_world.year)
    assert [row["Fund"].value for row in rows] == [p.fund.name for p in positions]
    for row, position in zip(rows, positions, strict=True):
        for heading in ("Budget", "Committed", "Paid", "Available", "Forecast", "Planned"):
            cell = row[heading]
            assert cell.data_type == "n" and cell.number_format == MONEY_FORMAT
            assert D(str(cell.value)) == getattr(position, heading.lower()), heading
    core = next(row for row in rows if row["Fund code"].value == "core-victims")
    assert core["Part of"].value == "Victims Fund" and core["Ring-fenced"].value == "No"
    assert core["Fund"].alignment.indent == 1
    csa = next(row for row in rows if row["Fund code"].value == "victims-csa")
    assert csa["Ring-fenced"].value == "Yes"
    victims = next(row for row in rows if row["Fund code"].value == "victims-fund")
    assert D(str(victims["Budget"].value)) == D("10000.00") and victims["Part of"].value is None


def test_the_commitments_and_payments_sheets(export_world, client_for):
    workbook = _workbook(download(client_for("finance_officer"), "2026"))
    (commitment,) = _rows(workbook["Commitments"])
    core = export_world.core_commitment
    assert commitment["Commitment ID"].value == core.pk
    assert commitment["Agreement reference"].value == export_world.agreement.reference
    assert commitment["Service"].value == "Restorative justice"
    assert commitment["Status"].value == "Approved"
    assert D(str(commitment["Live amount"].value)) == D("5000.00")
    assert D(str(commitment["Paid"].value)) == D("1250.25")
    assert D(str(commitment["Unpaid"].value)) == D("3749.75")
    assert commitment["Amount"].number_format == MONEY_FORMAT
    (payment,) = _rows(workbook["Payments"])
    assert payment["Paid on"].value == dt.datetime(2026, 6, 30)
    assert payment["Reference"].value == "P1"
    assert D(str(payment["Amount"].value)) == D("1250.25") and payment["Amount"].number_format == MONEY_FORMAT
    assert payment["Commitment ID"].value == core.pk
    assert payment["Fund code"].value == "core-victims"


def test_text_that_would_be_a_formula_comes_out_as_text(export_world, client_for):
    evil = '=HYPERLINK("http://evil.example","Click")'
    agreement = AgreementFactory(service=ServiceFactory(name=evil), reference="-1+2")
    commitment = export_world.approved(export_world.safety, "100", agreement=agreement)
    services.payment_record(
        actor=export_world.finance,
        commitment=commitment,
        amount="10",
        paid_on=dt.date(2026, 7, 1),
        reference="@SUM(A1)",
    )
    workbook = _workbook(download(client_for("finance_officer"), "2026"))
    commitments = _rows(workbook["Commitments"])
    row = next(r for r in commitments if r["Commitment ID"].value == commitment.pk)
    # Text as typed, stored as a string cell (never a formula), with no apostrophe added.
    assert row["Service"].value == evil and row["Service"].data_type == "s"
    assert row["Agreement reference"].value == "-1+2" and row["Agreement reference"].data_type == "s"
    payment = next(r for r in _rows(workbook["Payments"]) if r["Commitment ID"].value == commitment.pk)
    assert payment["Reference"].value == "@SUM(A1)" and payment["Service"].value == evil
    for sheet in workbook.worksheets:
        for cells in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in cells), sheet.title


def test_an_unknown_year_is_not_found(export_world, client_for):
    client = client_for("finance_officer")
    assert client.post(URL, {"year": "2040"}).status_code == 404
    assert client.get(URL, {"year": "2040"}).status_code == 404


def test_the_export_page_explains_and_starts_nothing_on_get(export_world, client_for):
    from commissioning.core.models import BackgroundJob

    response = client_for("auditor").get(URL, {"year": "2026"})
    assert response.status_code == 200 and "Start the export" in response.content.decode()
    assert not BackgroundJob.objects.exists()


def test_no_years_yet(users, client_for):
    assert client_for("finance_officer").get(URL).status_code == 404


def test_the_export_takes_a_fixed_number_of_queries(export_world, client_for, django_assert_max_num_queries):
    for n in range(30):
        commitment = export_world.approved(export_world.safety, "10", agreement=AgreementFactory())
        services.payment_record(
            actor=export_world.finance,
            commitment=commitment,
            amount="1",
            paid_on=dt.date(2026, 7, 1),
            reference=f"Q{n}",
        )
    from commissioning.core.models import BackgroundJob
    from commissioning.funds import tasks

    job = BackgroundJob.objects.create(
        owner=export_world.finance, kind="funds.export_dashboard", title="Export", input={"year": export_world.year.pk}
    )
    # the job (savepoint, claim, release; the year; two counts and the progress; the owner; the final save);
    # positions (4); commitments (1); payments (1): the same for 30 rows or 30,000
    with django_assert_max_num_queries(15):
        tasks.export_dashboard.call(str(job.pk))
    job.refresh_from_db()
    assert job.status == "done" and job.progress_done == job.progress_total == 31 + 31


@pytest.mark.django_db(transaction=True)  # the worker commits, as in production
def test_the_export_runs_in_the_worker_not_the_request(export_world, client_for, settings):
    """With the database backend (production), pressing Export only queues the job; the worker builds the file."""
    from django.core.management import call_command

    from commissioning.core.models import BackgroundJob

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    client = client_for("finance_officer")
    posted = client.post(URL, {"year": "2026"})
    job = BackgroundJob.objects.get()
    assert posted["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == "queued" and not job.file
    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)
    job.refresh_from_db()
    assert job.status == "done" and job.file_name == "fund-dashboard-2026-27.xlsx"
    assert _workbook(client.get(reverse("core:job_file", args=[job.pk]))).sheetnames == [
        "Funds",
        "Commitments",
        "Payments",
    ]
