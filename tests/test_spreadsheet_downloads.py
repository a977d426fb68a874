"""Every CSV and XLSX the project writes is safe from formula injection (issue 12, point 6; OWASP "CSV Injection").

- Every module that writes a spreadsheet is listed in WRITERS; a new csv.writer or openpyxl Workbook elsewhere
  fails test_every_spreadsheet_writer_is_audited until it is added here with a test of hostile values.
- Each writer is fed text starting with each character a spreadsheet may run as a formula (=, +, -, @, tab,
  carriage return): in XLSX the text comes back exactly as typed in a string cell (never a formula), in CSV it
  comes back with a leading apostrophe (the only defence the format allows).
The fund dashboard workbook's own test (funds/tests/test_exports.py) checks it through its download.
"""

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

import commissioning

HOSTILE = [
    '=HYPERLINK("http://evil.example","Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]
# XLSX is XML, whose parsers read a carriage return as a line feed: otherwise the text is kept as typed.
AS_TYPED = [value.replace("\r", "\n") for value in HOSTILE]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# module (relative to commissioning/) -> what it writes and where it is tested
WRITERS = {
    "funds/exports.py": "the fund dashboard workbook (funds/tests/test_exports.py)",
    "funds/imports.py": "the import templates' CSV heading row (below)",
    "monitoring/imports.py": "the monitoring return templates, CSV and XLSX (below)",
    "monitoring/imports_large.py": "the case-level file template, CSV (below)",
    "procurement/views/tenders.py": "a tender's bids, CSV, after the opening (below)",
    "reporting/exports.py": "the Panel report workbook (below)",
    "reporting/funder_files.py": "funder returns, CSV and XLSX (below)",
    "transparency/giving.py": "360Giving CSV and XLSX (below)",
}
WRITES = re.compile(r"csv\.(writer|DictWriter)\(|\bWorkbook\(")


def test_every_spreadsheet_writer_is_audited():
    root = Path(commissioning.__file__).parent
    found = {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and "testing" not in path.parts and WRITES.search(path.read_text())
    }
    assert found == set(WRITERS), f"Spreadsheet writers not audited here: {sorted(found - set(WRITERS))}"


def assert_csv_safe(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START), f"CSV cell would run as a formula: {cell!r}"
    return rows


def assert_xlsx_safe(content) -> list[list]:
    book = load_workbook(io.BytesIO(content) if isinstance(content, bytes) else content)
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
            values.append([cell.value for cell in row])
    return values


def test_monitoring_return_templates(monkeypatch):
    from commissioning.monitoring import imports

    rows = [["2026-Q1", f"code{n}", text, text, ""] for n, text in enumerate(HOSTILE)]
    monkeypatch.setattr(imports, "template_rows", lambda kpi_return, kpis: rows)
    text = imports.template_csv(None, []).decode("utf-8-sig")
    parsed = assert_csv_safe(text)
    assert [row[2] for row in parsed[1:]] == ["'" + value for value in HOSTILE]
    values = assert_xlsx_safe(imports.template_xlsx(None, []))
    assert [row[2] for row in values[1:]] == AS_TYPED


def test_import_templates_heading_rows():
    from commissioning.funds.imports import BUDGET_LINES, PAYMENTS, template_csv

    for kind in (BUDGET_LINES, PAYMENTS):
        assert_csv_safe(template_csv(kind))


@pytest.mark.django_db
def test_360giving_spreadsheets(tmp_path):
    from commissioning.grants.selectors.open_data import COMMUNITY, GrantRecord
    from commissioning.transparency import giving

    records = [
        GrantRecord(
            route=COMMUNITY,
            reference=f"R{n}",
            title=text,
            description=text,
            amount=Decimal("10.00"),
            award_date=dt.date(2026, 5, 1),
            recipient_org_id="GB-CHC-1",
            recipient_name=text,
            charity_number="",
            company_number="",
            programme_code="p",
            programme_title=text,
            conditions=text,
            reasons=text,
            decision_number="",
            planned_start=None,
            planned_end=None,
            location=text,
            publishable=True,
            priorities=[("1.1", text)],
        )
        for n, text in enumerate(HOSTILE)
    ]
    context = giving.Context()
    parsed = assert_csv_safe("".join(giving.csv_chunks(records, context)))
    assert [row[1] for row in parsed[1:]] == ["'" + value for value in HOSTILE]
    giving.write_xlsx(tmp_path / "g.xlsx", records, context)
    values = assert_xlsx_safe(str(tmp_path / "g.xlsx"))
    assert [row[1] for row in values[1:]] == AS_TYPED


def test_case_level_template(monkeypatch):
    from types import SimpleNamespace

    from commissioning.monitoring import imports_large

    columns = [
        SimpleNamespace(heading=text, kpi=SimpleNamespace(is_breakdown=True, not_known_category=text))
        for text in HOSTILE
    ]
    monkeypatch.setattr(imports_large, "case_columns", lambda kpis: columns)
    parsed = assert_csv_safe(
        imports_large.case_template_csv(SimpleNamespace(period_code="2026-Q1"), []).decode("utf-8-sig")
    )
    assert parsed[0][2:] == ["'" + value for value in HOSTILE]
    assert parsed[1][2:] == ["'" + value for value in HOSTILE]


def test_funder_return_files():
    from types import SimpleNamespace

    from commissioning.reporting import funder_files

    data = SimpleNamespace(
        title=HOSTILE[0],
        period_label=HOSTILE[1],
        headings=["Service", "Spend"],
        rows=[[text, Decimal("12.50")] for text in HOSTILE],
        second_headings=["Ring-fence", "Spend"],
        second_rows=[[text, Decimal("1.00")] for text in HOSTILE],
    )
    parsed = assert_csv_safe(funder_files.as_csv(data).decode("utf-8-sig"))
    assert [row[0] for row in parsed[1 : 1 + len(HOSTILE)]] == ["'" + value for value in HOSTILE]
    values = assert_xlsx_safe(funder_files.as_xlsx(data))
    assert values[0][0] == AS_TYPED[0]
    assert [row[0] for row in values[4 : 4 + len(HOSTILE)]] == AS_TYPED


@pytest.mark.django_db
def test_panel_report_workbook():
    from commissioning.reporting import exports
    from commissioning.reporting.selectors.panel import Period, panel_report
    from commissioning.reporting.tests.factories import PanelHighlightFactory
    from commissioning.strategy.tests.factories import PanelAreaFactory

    area = PanelAreaFactory(code="hostile", name=HOSTILE[3], order=1)
    for text in HOSTILE:
        PanelHighlightFactory(start_year=2026, quarter=1, panel_area=area, title=text, body=text)
    report = panel_report(period=Period(start_year=2026, quarter=1))
    values = assert_xlsx_safe(exports.report_xlsx(report))
    cells = {cell for row in values for cell in row if isinstance(cell, str)}
    assert set(AS_TYPED) <= cells


@pytest.mark.django_db
def test_tender_bids_csv(client_for):
    from django.urls import reverse

    from commissioning.organisations.tests.factories import OrganisationFactory
    from commissioning.procurement.tests.factories_tenders import open_tender, published_tender, sealed_bid

    tender = published_tender(deadline=dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC))
    for text in HOSTILE:
        sealed_bid(tender, OrganisationFactory(kind="provider", name=text))
    open_tender(tender)
    response = client_for("auditor").get(reverse("procurement:bids_export", args=[tender.pk]))
    parsed = assert_csv_safe(response.content.decode("utf-8-sig"))
    assert sorted(row[1] for row in parsed[1:]) == sorted("'" + value for value in HOSTILE)


def test_a_control_character_pasted_into_text_does_not_break_a_download():
    """XML (so XLSX) cannot hold most control characters: they are dropped, the rest of the text kept as typed."""
    from openpyxl import Workbook

    from commissioning.core.spreadsheets import text_cell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Text")
    sheet.append([text_cell(sheet, "Café\x01 =SUM(A1)\x0b end\ttab")])
    out = io.BytesIO()
    book.save(out)
    assert load_workbook(out).active["A1"].value == "Café =SUM(A1) end\ttab"
