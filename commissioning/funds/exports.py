"""The fund dashboard as a workbook (issue 4, point 6): a Funds sheet with each fund's position, and the year's
Commitments and Payments, money as numbers formatted £#,##0.00 and text made safe from formula injection
(core.spreadsheets.safe_cell).

The workbook is built with openpyxl's write-only mode, which streams each sheet's rows to a temporary file as
they are appended, so memory stays flat whatever the number of commitments and payments. Seven queries: the
fund positions (four), the commitments (one), the payments (one), and who recorded them is in that last one.
"""

from django.utils import timezone
from openpyxl import Workbook

from commissioning.core.spreadsheets import date_cell, header_row, money_cell, text_cell
from commissioning.funds import selectors
from commissioning.funds.models import FinancialYear

FUND_HEADINGS = (
    "Fund",
    "Fund code",
    "Part of",
    "Ring-fenced",
    "Budget",
    "Committed",
    "Paid",
    "Available",
    "Forecast",
    "Planned",
)
COMMITMENT_HEADINGS = (
    "Commitment ID",
    "Fund",
    "Fund code",
    "Year",
    "Agreement reference",
    "Service",
    "Provider",
    "Status",
    "Amount",
    "Released",
    "Live amount",
    "Paid",
    "Unpaid",
    "Approved by",
)
PAYMENT_HEADINGS = (
    "Paid on",
    "Reference",
    "Amount",
    "Commitment ID",
    "Fund",
    "Fund code",
    "Agreement reference",
    "Service",
    "Recorded by",
)
CHUNK = 2000


def _widths(sheet, widths) -> None:
    for letter, width in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", widths, strict=False):
        sheet.column_dimensions[letter].width = width


def _name(user) -> str:
    if user is None:
        return ""
    return getattr(user, "display_name", "") or user.get_username()


def write_funds(workbook: Workbook, *, year: FinancialYear) -> None:
    sheet = workbook.create_sheet("Funds")
    _widths(sheet, (40, 20, 30, 12, 16, 16, 16, 16, 16, 16))
    sheet.freeze_panes = "B2"
    sheet.append(header_row(sheet, FUND_HEADINGS))
    positions = selectors.fund_positions(year=year)
    names = {p.fund.pk: p.fund.name for p in positions}
    for p in positions:
        fund = p.fund
        sheet.append(
            [
                text_cell(sheet, fund.name, indent=p.depth),
                text_cell(sheet, fund.code),
                text_cell(sheet, names.get(fund.parent_id, "")),
                text_cell(sheet, "Yes" if fund.is_ring_fenced else "No"),
                money_cell(sheet, p.budget),
                money_cell(sheet, p.committed),
                money_cell(sheet, p.paid),
                money_cell(sheet, p.available),
                money_cell(sheet, p.forecast),
                money_cell(sheet, p.planned),
            ]
        )


def write_commitments(workbook: Workbook, *, year: FinancialYear, progress=None) -> int:
    sheet = workbook.create_sheet("Commitments")
    _widths(sheet, (14, 34, 20, 10, 20, 40, 36, 12, 16, 16, 16, 16, 16, 24))
    sheet.freeze_panes = "A2"
    sheet.append(header_row(sheet, COMMITMENT_HEADINGS))
    written = 0
    for c in selectors.commitments_for(year=year).iterator(chunk_size=CHUNK):
        written += 1
        if progress is not None and written % CHUNK == 0:
            progress(written)
        service = c.agreement.service
        sheet.append(
            [
                c.pk,
                text_cell(sheet, c.fund.name),
                text_cell(sheet, c.fund.code),
                text_cell(sheet, c.year.label),
                text_cell(sheet, c.agreement.reference),
                text_cell(sheet, service.name),
                text_cell(sheet, service.provider.name),
                text_cell(sheet, c.get_status_display()),
                money_cell(sheet, c.amount),
                money_cell(sheet, c.released_amount),
                money_cell(sheet, c.live_amount),
                money_cell(sheet, c.paid),
                money_cell(sheet, c.live_amount - c.paid),
                text_cell(sheet, _name(c.approved_by)),
            ]
        )
    return written


def write_payments(workbook: Workbook, *, year: FinancialYear, progress=None, before: int = 0) -> None:
    sheet = workbook.create_sheet("Payments")
    _widths(sheet, (12, 20, 16, 14, 34, 20, 20, 40, 24))
    sheet.freeze_panes = "A2"
    sheet.append(header_row(sheet, PAYMENT_HEADINGS))
    for written, p in enumerate(selectors.payments_for(year=year).iterator(chunk_size=CHUNK), start=1):
        if progress is not None and written % CHUNK == 0:
            progress(before + written)
        commitment = p.commitment
        sheet.append(
            [
                date_cell(sheet, p.paid_on),
                text_cell(sheet, p.reference),
                money_cell(sheet, p.amount),
                commitment.pk,
                text_cell(sheet, commitment.fund.name),
                text_cell(sheet, commitment.fund.code),
                text_cell(sheet, commitment.agreement.reference),
                text_cell(sheet, commitment.agreement.service.name),
                text_cell(sheet, _name(p.recorded_by)),
            ]
        )


def dashboard_workbook(*, year: FinancialYear, out, progress=None) -> None:
    """Write the year's Funds, Commitments and Payments sheets as XLSX to `out` (a path or binary file).
    `progress(rows written)` is called every CHUNK rows (the background job's page shows it)."""
    workbook = Workbook(write_only=True)
    workbook.properties.title = f"Fund dashboard {year.label}"
    workbook.properties.created = timezone.now().replace(tzinfo=None)
    write_funds(workbook, year=year)
    written = write_commitments(workbook, year=year, progress=progress)
    write_payments(workbook, year=year, progress=progress, before=written)
    workbook.save(out)
