"""Helpers for spreadsheets we write (openpyxl): text that cannot run as a formula, and money cells; and for
CSV and Excel files people upload: read_upload checks the type by name AND content, the size and the encoding.

A spreadsheet program runs a cell whose text begins with "=", "+", "-" or "@" as a formula (and a leading tab
or carriage return can hide one) (OWASP, "CSV Injection"). Text that came from users, such as a service called
'=HYPERLINK("http://evil.example","Click")', is therefore written so that it stays text:
- in XLSX, as a string cell (data_type "s", a shared string): the file itself says "this is text", so the text
  is kept exactly as typed, with no apostrophe added (text_cell);
- in CSV, which has no cell types, with a leading apostrophe (safe_cell): the only defence the format allows.
Numbers and dates are written as numbers and dates, never as text. Every CSV and XLSX download goes through
these (tests/test_spreadsheet_downloads.py walks them all with hostile values).
"""

import csv
import datetime as dt
import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font

from commissioning.core import uploads

MONEY_FORMAT = "£#,##0.00"
DATE_FORMAT = "dd/mm/yyyy"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """The value to put in a CSV cell: text that could start a formula gets a leading apostrophe; anything else
    (numbers, dates, None, other text) is returned unchanged. (XLSX: use text_cell, which keeps the text.)"""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def text_cell(sheet, value, *, bold: bool = False, indent: int = 0) -> WriteOnlyCell:
    """A text cell holding the text as typed, typed as a string so no spreadsheet runs it as a formula
    (openpyxl would otherwise store text beginning with "=" as a formula). Control characters XML cannot hold
    (pasted from other programs) are dropped rather than failing the whole download."""
    cell = WriteOnlyCell(sheet, value="" if value is None else ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    if indent:
        cell.alignment = Alignment(indent=indent)
    return cell


def money_cell(sheet, value: Decimal | None, *, bold: bool = False) -> WriteOnlyCell:
    """A numeric cell shown as £1,234.56 (Decimal in, never float)."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = MONEY_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def date_cell(sheet, value: dt.date | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = DATE_FORMAT
    return cell


def header_row(sheet, headings) -> list[WriteOnlyCell]:
    return [text_cell(sheet, heading, bold=True) for heading in headings]


# --- Reading uploaded CSV and Excel files --------------------------------------------------------------------

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000  # data rows an upload may have; a workbook is read no further than one past it

WRONG_TYPE = "The selected file must be a CSV or an Excel (.xlsx) file"
NOT_UTF8 = "The selected CSV file must be saved as UTF-8 (in Excel: Save as, then 'CSV UTF-8')"
NOT_XLSX = "The selected file could not be opened as an Excel (.xlsx) workbook; save it again as .xlsx, or as CSV"
TOO_BIG = "The selected file must be smaller than 5MB"
EMPTY = "The selected file is empty"


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _text(value) -> str:
    """A spreadsheet cell as text. Numbers come back from openpyxl as int or float; a float is turned into its
    shortest decimal form (1250.5, not 1250.4999...) and checked as money by the row form, never kept as float."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    return str(value).strip()


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(NOT_UTF8) from None
    if "\x00" in text:
        raise ValidationError(WRONG_TYPE)
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error:
        raise ValidationError("The selected CSV file could not be read; check it has one row per line") from None


def _read_xlsx(data: bytes, max_rows: int = MAX_ROWS) -> list[list[str]]:
    from openpyxl import load_workbook

    # The same checks as every uploaded document (core.uploads): a real Excel package, and no "zip bomb".
    package = io.BytesIO(data)
    names = uploads.zip_names(package) if data.startswith(uploads.ZIP) else None
    if names is None or "[Content_Types].xml" not in names:
        raise ValidationError(WRONG_TYPE)
    if not uploads.package_matches(package, "xlsx") or uploads.expands_too_far(package, len(data)):
        raise ValidationError(NOT_XLSX)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged workbook
        raise ValidationError(NOT_XLSX) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_text(value) for value in values])
            if len(rows) > max_rows + 1:
                break
        return rows
    except Exception:
        raise ValidationError(NOT_XLSX) from None
    finally:
        workbook.close()


def read_upload(upload, *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS) -> list[list[str]]:
    """Every row of the uploaded file (headings first) as text; a ValidationError saying what is wrong when the
    file is too big, empty, or not really a UTF-8 CSV or an Excel workbook (the name AND the content are checked).
    A workbook is read no further than one row past `max_rows`; a caller that takes large files (case-level
    returns) names larger limits.
    """
    if upload is None:
        raise ValidationError("Select a CSV or Excel file")
    if not upload.size:
        raise ValidationError(EMPTY)
    too_big = TOO_BIG if max_bytes == MAX_BYTES else uploads.too_big_message(max_bytes)
    if upload.size > max_bytes:
        raise ValidationError(too_big)
    kind = _extension(upload.name or "")
    if kind not in ("csv", "xlsx"):
        raise ValidationError(WRONG_TYPE)
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(too_big)
    if kind == "csv" and data.startswith(uploads.ZIP):
        raise ValidationError(WRONG_TYPE)  # a workbook renamed .csv
    return _read_csv(data) if kind == "csv" else _read_xlsx(data, max_rows)
