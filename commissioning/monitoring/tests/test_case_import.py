"""Case-level return files (imports_large.py, tasks.import_case_file): one row per case counted into the return's
figures, checked and submitted in the background with progress; every problem by row and column; nothing saved
from a bad file."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commissioning.core.models import BackgroundJob
from commissioning.monitoring import imports_large, services
from commissioning.monitoring.api_models import ReturnCase
from commissioning.monitoring.models import KpiDefinition, ReturnStatus, ReturnVersion
from commissioning.monitoring.tests.factories import (
    GenderDefinitionFactory,
    KpiDefinitionFactory,
    KpiReturnFactory,
    ServiceFactory,
)

PERIOD = "2026-04-01 to 2026-06-30"
HEADINGS = ["Period", "Case reference", "beneficiaries", "gender", "intervention-type", "Notes from our system"]


@pytest.fixture
def kpi_return(users):
    KpiDefinitionFactory(), GenderDefinitionFactory()
    KpiDefinitionFactory(
        code="intervention-type",
        name="Intervention type",
        kind=KpiDefinition.Kind.BREAKDOWN,
        breakdown=["Advocacy", "Counselling", "Not known"],
        not_known="Not known",
        adds_up=False,
        order=3,
    )
    service = ServiceFactory(name="Safe Steps", provider=users["provider"].organisation)
    services.kpis_attach_minimum_dataset(actor=users["policy_officer"], service=service)
    return KpiReturnFactory(service=service)


def _kpis(kpi_return):
    return services.kpis_for_return(kpi_return)


def _figures(version):
    return {(v.kpi.definition.code, v.category): v.value for v in version.values.select_related("kpi__definition")}


def _csv(rows, name="cases.csv"):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def test_the_template_names_every_measure_of_the_return(kpi_return):
    content = imports_large.case_template_csv(kpi_return, _kpis(kpi_return)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == ["Period", "Case reference", "beneficiaries", "gender", "intervention-type"]
    assert rows[1] == [PERIOD, "EXAMPLE-1", "1", "Not known", "Not known"]


def test_cases_are_counted_into_the_figures_and_kept(users, kpi_return):
    rows = [
        HEADINGS,
        [PERIOD, "C-1", "1", "Female", "Advocacy; counselling", "anything"],
        [PERIOD, "C-2", "1", "male", "Advocacy", ""],
        [PERIOD, "C-3", "1", "", "", ""],  # gender not given: counted as not known; no intervention
        ["", "", "", "", "", ""],  # blank rows are skipped
    ]
    version = imports_large.import_cases(actor=users["provider"], kpi_return=kpi_return, rows=rows)
    assert version.method == ReturnVersion.Method.CASES
    assert _figures(version) == {
        ("beneficiaries", ""): 3,
        ("gender", ""): 3,
        ("gender", "Female"): 1,
        ("gender", "Male"): 1,
        ("gender", "Not known"): 1,
        ("intervention-type", ""): 3,
        ("intervention-type", "Advocacy"): 2,
        ("intervention-type", "Counselling"): 1,
        ("intervention-type", "Not known"): 0,
    }
    cases = list(version.cases.order_by("row"))
    assert [(c.row, c.reference) for c in cases] == [(2, "C-1"), (3, "C-2"), (4, "C-3")]
    assert cases[0].data == {"beneficiaries": 1, "gender": "Female", "intervention-type": ["Advocacy", "Counselling"]}
    kpi_return.refresh_from_db()
    assert kpi_return.status == ReturnStatus.SUBMITTED


def test_every_problem_is_reported_by_row_and_column_and_nothing_saved(users, kpi_return):
    rows = [
        HEADINGS,
        [PERIOD, "C-1", "1", "Female", "Advocacy", ""],
        ["2026-01-01 to 2026-03-31", "C-2", "one", "Femal", "Advocacy; Juggling", ""],
        [PERIOD, "C-1", "1", "Male", "", ""],
        [PERIOD, "", "-1", "Male", "", ""],
    ]
    with pytest.raises(imports_large.CaseFileProblems) as caught:
        imports_large.import_cases(actor=users["provider"], kpi_return=kpi_return, rows=rows)
    found = [(p.row, p.column) for p in caught.value.problems]
    assert found == [
        (3, "Period"),
        (3, "beneficiaries"),
        (3, "gender"),
        (3, "intervention-type"),
        (4, "Case reference"),
        (5, "Case reference"),
        (5, "beneficiaries"),
    ]
    messages = {(p.row, p.column): p.message for p in caught.value.problems}
    assert "‘Femal’ is not a category of Gender" in messages[(3, "gender")]
    assert "already in row 2" in messages[(4, "Case reference")]
    assert not kpi_return.versions.exists() and not ReturnCase.objects.exists()


def test_missing_columns_are_reported_on_row_1(users, kpi_return):
    rows = [["Period", "beneficiaries"], [PERIOD, "1"]]
    with pytest.raises(imports_large.CaseFileProblems) as caught:
        imports_large.import_cases(actor=users["provider"], kpi_return=kpi_return, rows=rows)
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (1, "Case reference"),
        (1, "gender"),
        (1, "intervention-type"),
    ]


def test_a_case_file_is_imported_in_the_background_with_progress(client_for, kpi_return):
    rows = [HEADINGS] + [[PERIOD, f"C-{n}", "1", "Female", "Advocacy", ""] for n in range(2500)]
    client = client_for("provider")
    response = client.post(reverse("monitoring:case_upload", args=[kpi_return.pk]), {"file": _csv(rows)})
    assert response.status_code == 302
    job = BackgroundJob.objects.get()
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == BackgroundJob.Status.DONE and not job.errors
    assert job.progress_unit == "cases" and job.progress_done == job.progress_total == 2500
    assert "2,500 cases" in job.result["summary"]
    assert "rows" not in job.input  # the cases are in the version, not left on the job
    version = kpi_return.versions.get()
    assert _figures(version)[("gender", "Female")] == 2500
    page = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert "2,500 cases" in page


def test_a_bad_case_file_lists_its_problems_on_the_job_page_and_saves_nothing(client_for, kpi_return):
    rows = [HEADINGS, [PERIOD, "C-1", "1", "Female", "", ""], [PERIOD, "C-2", "1", "Robot", "", ""]]
    client = client_for("provider")
    response = client.post(reverse("monitoring:case_upload", args=[kpi_return.pk]), {"file": _csv(rows)}, follow=True)
    job = BackgroundJob.objects.get()
    assert job.errors == [
        "Row 3, gender: ‘Robot’ is not a category of Gender; use one of ‘Female’, ‘Male’, ‘Not known’"
    ]
    assert "Nothing has been submitted" in job.result["summary"]
    assert "Row 3, gender" in response.content.decode()
    assert not kpi_return.versions.exists()


def test_the_upload_page_refuses_a_file_that_is_not_a_spreadsheet(client_for, kpi_return):
    client = client_for("provider")
    page = client.get(reverse("monitoring:case_upload", args=[kpi_return.pk]))
    assert page.status_code == 200 and "beneficiaries" in page.content.decode()
    bad = SimpleUploadedFile("cases.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(reverse("monitoring:case_upload", args=[kpi_return.pk]), {"file": bad})
    assert response.status_code == 200
    assert "must be a CSV or an Excel" in response.content.decode()
    assert not BackgroundJob.objects.exists()


def test_only_the_provider_of_the_service_may_send_a_case_file(client_for, kpi_return):
    assert client_for("policy_officer").get(reverse("monitoring:case_upload", args=[kpi_return.pk])).status_code == 403
    other = KpiReturnFactory(service=ServiceFactory())
    assert client_for("provider").get(reverse("monitoring:case_upload", args=[other.pk])).status_code == 404
