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
