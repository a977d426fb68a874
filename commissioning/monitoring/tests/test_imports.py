"""A return's spreadsheet template, and reading it back: every problem by row and column, nothing saved from a
bad file, a good file submitted as a version."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from commissioning.monitoring import imports, services
from commissioning.monitoring.models import ReturnStatus, ReturnVersion
from commissioning.monitoring.tests.factories import (
    GenderDefinitionFactory,
    KpiDefinitionFactory,
    KpiReturnFactory,
    ServiceFactory,
)


@pytest.fixture
def service(users):
    return ServiceFactory(name="Safe Steps", provider=users["provider"].organisation)


@pytest.fixture
def kpis(users, service):
    KpiDefinitionFactory(), GenderDefinitionFactory()
    return services.kpis_attach_minimum_dataset(actor=users["policy_officer"], service=service)


@pytest.fixture
def kpi_return(service):
    return KpiReturnFactory(service=service)


def _rows(kpi_return, kpis):
    return list(csv.reader(io.StringIO(imports.template_csv(kpi_return, kpis).decode("utf-8-sig"))))


def _upload(rows, name="return.csv"):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def _filled(kpi_return, kpis, figures=("10", "10", "7", "2", "1")):
    rows = _rows(kpi_return, kpis)
    for row, figure in zip(rows[1:], figures, strict=True):
        row[4] = figure
    return rows


def test_the_template_has_a_row_for_every_figure(kpi_return, kpis):
    rows = _rows(kpi_return, kpis)
    assert rows[0] == ["Period", "Measure code", "Measure", "Category", "Value"]
    assert [row[1:4] for row in rows[1:]] == [
        ["beneficiaries", "Number of beneficiaries", "Total"],
        ["gender", "Gender", "Total"],
        ["gender", "Gender", "Female"],
        ["gender", "Gender", "Male"],
        ["gender", "Gender", "Not known"],
    ]
    assert {row[0] for row in rows[1:]} == {"2026-04-01 to 2026-06-30"}
    sheet = load_workbook(io.BytesIO(imports.template_xlsx(kpi_return, kpis))).worksheets[0]
    assert [cell.value for cell in sheet[3]] == ["2026-04-01 to 2026-06-30", "gender", "Gender", "Total", None]


def test_a_good_file_is_submitted_as_a_version(users, kpi_return, kpis):
    version = imports.import_return(
        actor=users["provider"], kpi_return=kpi_return, upload=_upload(_filled(kpi_return, kpis))
    )
    assert version.method == ReturnVersion.Method.UPLOAD
    assert {(v.kpi_id, v.category): v.value for v in version.values.all()}[(kpis[1].pk, "Female")] == 7


def test_every_problem_is_reported_by_row_and_column_and_nothing_saved(users, kpi_return, kpis):
    rows = _filled(kpi_return, kpis, ("10", "10", "seven", "5", "1"))
    rows[1][0] = "2026-01-01 to 2026-03-31"  # the wrong period
    rows[5][3] = "Other"  # not a category
    rows.append(["2026-04-01 to 2026-06-30", "ethnicity", "Ethnicity", "Total", "3"])
    with pytest.raises(imports.ReturnFileProblems) as error:
        imports.import_return(actor=users["provider"], kpi_return=kpi_return, upload=_upload(rows))
    found = [(p.row, p.column, p.message) for p in error.value.problems]
    assert found == [
        (2, "Period", "‘2026-01-01 to 2026-03-31’ is not this return's period; enter 2026-04-01 to 2026-06-30"),
        (4, "Value", "‘seven’ must be a whole number, 0 or more, like 12"),
        (6, "Category", "‘Other’ is not a category of Gender; use the template"),
        (7, "Measure code", "‘ethnicity’ is not one of this return's measures; use the codes in the template"),
        (None, "Category", "Enter Gender: Not known, 0 if there were none"),
    ]
    assert kpi_return.versions.count() == 0  # the figure in row 4 is reported once, not again as missing


def test_breakdowns_that_do_not_add_up_are_reported_on_the_total_row(users, kpi_return, kpis):
    rows = _filled(kpi_return, kpis, ("10", "10", "7", "5", "1"))
    with pytest.raises(imports.ReturnFileProblems) as error:
        imports.import_return(actor=users["provider"], kpi_return=kpi_return, upload=_upload(rows))
    [problem] = error.value.problems
    assert (problem.row, problem.column) == (3, "Value") and "add up to 13 but the total is 10" in problem.message


def test_an_xlsx_template_filled_in_is_read_back(users, kpi_return, kpis):
    workbook = load_workbook(io.BytesIO(imports.template_xlsx(kpi_return, kpis)))
    sheet = workbook.worksheets[0]
    for row, figure in zip(range(2, 7), (4, 4, 1, 3, 0), strict=True):
        sheet.cell(row=row, column=5, value=figure)
    out = io.BytesIO()
    workbook.save(out)
    upload = SimpleUploadedFile("return.xlsx", out.getvalue())
    version = imports.import_return(actor=users["provider"], kpi_return=kpi_return, upload=upload)
    assert version.values.get(kpi=kpis[0]).value == 4


def test_the_upload_page_lists_problems_then_submits_the_corrected_file(client_for, kpi_return, kpis):
    url = reverse("monitoring:return_upload", args=[kpi_return.pk])
    client = client_for("provider")
    template = client.get(reverse("monitoring:return_template", args=[kpi_return.pk, "csv"]))
    assert template["Content-Disposition"].endswith('-return-2026-04.csv"')
    bad = _filled(kpi_return, kpis, ("x", "10", "7", "-2", "1"))
    html = client.post(url, {"file": _upload(bad)}).content.decode()
    assert "The selected file has 2 problems. Nothing has been submitted" in html
    assert "Row 5" in html and "‘-2’ must be a whole number, 0 or more, like 12" in html
    response = client.post(url, {"file": _upload(_filled(kpi_return, kpis))})
    assert response.status_code == 302
    kpi_return.refresh_from_db()
    assert kpi_return.status == ReturnStatus.SUBMITTED


def test_a_file_that_is_not_a_spreadsheet_is_refused(client_for, kpi_return, kpis):
    upload = SimpleUploadedFile("return.csv", b"PK\x03\x04 not really")
    html = client_for("provider").post(reverse("monitoring:return_upload", args=[kpi_return.pk]), {"file": upload})
    assert "The selected file must be a CSV or an Excel (.xlsx) file" in html.content.decode()
    assert kpi_return.versions.count() == 0
